"""The nightly open-data dump: every public case as JSON Lines and CSV, with a README, served at /data/.

/data/ never serves more than is public now: a case (or document) unpublished, deleted or changed since the
dump was written is cut out of the file as it is served, and the current records of changed and newly
published ones are appended, so unpublishing takes effect at once without waiting for the nightly rebuild.
"""

import contextlib
import datetime
import functools
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext

from casetracker.clientip import client_over_limit

from . import exports, selectors
from .api.serializers import DeploymentSerializer, DocumentSerializer, SystemSerializer, VendorSerializer

FILES = {
    "cases.jsonl": "application/x-ndjson",
    "documents.jsonl": "application/x-ndjson",
    "vendors.jsonl": "application/x-ndjson",
    "systems.jsonl": "application/x-ndjson",
    "deployments.jsonl": "application/x-ndjson",
    "cases.csv": "text/csv; charset=utf-8",
    "README.md": "text/markdown; charset=utf-8",
}

# One line per field of a case record; the dump's README and its test keep them in step with the serializer.
FIELD_DOCS = {
    "slug": "Stable identifier, also the last part of the case's web address.",
    "url": "The case's public page.",
    "title": "Title in English.",
    "title_ru": "Title in Russian, if any.",
    "original_title": "The title as the court wrote it.",
    "summary": "A few sentences in English.",
    "summary_ru": "The summary in Russian, if any.",
    "description": "Long account in Markdown.",
    "country": "ISO 3166-1 alpha-2 code of where the surveillance took place.",
    "status": "pending, decided, on_appeal, settled, withdrawn or closed.",
    "outcome": "Overall result so far: granted, partly_granted, dismissed, struck_out, settled, violation, "
    "no_violation, or empty.",
    "filed_on": "Date filed (YYYY-MM-DD), if known.",
    "last_activity_on": "Date of the newest public filing, hearing or decision.",
    "published_at": "When the case was first published on the site (ISO 8601, UTC).",
    "technologies": "Slugs of the surveillance technologies challenged (CSV: separated by '; ').",
    "grounds": "Slugs of the rights and legal grounds at issue (CSV: separated by '; ').",
    "parties": "List of {role, note, party: {slug, name, name_ru, kind, country, website, description, url}, "
    "counsel: [{name, organisation}]} (CSV: JSON).",
    "proceedings": "List of {id, court: {slug, name, name_ru, country, level, timezone, appeals_to, url}, "
    "docket_number, other_numbers: [{scheme (docket or application), value}], started_on, ended_on, judges, "
    "appeals_from (id of the lower proceeding), "
    "filings: [{id, filed_on, kind, title, description, filed_by: {party, role}, document_url}], "
    "hearings: [{id, starts_at (UTC), timezone, place, summary}], "
    "decisions: [{id, announced_on, final_form_on, result, summary, is_final, "
    "identifiers: [{scheme (neutral, ecli, application, report or url), value}], document_url}]} (CSV: JSON).",
    "links": "Press and sources: list of {kind, title, url, published_on} (CSV: JSON).",
    "related_cases": "Slugs of related published cases (CSV: separated by '; ').",
    "challenges": "What the case challenges: list of {system (slug, see systems.jsonl), deployment (slug, see "
    "deployments.jsonl, or null when the system as a whole is challenged), claim, remedies: [{kind (switched_off, "
    "data_deleted, law_amended, damages or none), date, source_url, public_note}]} (CSV: JSON).",
}


# The files that hold case records, and their export format.
FORMATS = {"cases.jsonl": "jsonl", "cases.csv": "csv"}
DOCUMENTS = "documents.jsonl"
MANIFEST = "manifest.json"
COPY_CHUNK = 1 << 16
# A document's record changes with its case (a new reading of its text retires the case's version too).
DOCUMENT_VERSION = Coalesce("filing__proceeding__case__public_version", "decision__proceeding__case__public_version")


def dump_dir():
    return Path(settings.DATA_DUMP_ROOT)


def write_dump(directory=None):
    """Write the case files, the live files (documents, vendors, systems, deployments) and README; return the count.

    Each file is written next to its final name and moved into place, so /data/ never serves a half-written file.
    The manifest records where each record lies in each file and the public_version of its case, so /data/ can
    serve the files without the cases and documents that have changed or left since.
    """
    directory = Path(directory or dump_dir())
    directory.mkdir(parents=True, exist_ok=True)
    files = _manifest_files(directory)
    # The case files in one pass, each record built (or copied) once for both; then the documents.
    for names in [list(FORMATS), [DOCUMENTS]]:
        # Read before the records: a record that changes meanwhile is noted at its older version, so it is redone.
        versions = current_versions(names[0])
        with _replacing([directory / name for name in names]) as outs:
            indexes = _write_records(outs, chunks=record_chunks(names), versions=versions)
        for name, index in zip(names, indexes, strict=True):
            files[name] = {"size": (directory / name).stat().st_size, "records": index}
        # Noted at once, so /data/ serves the new files meanwhile.
        manifest = json.dumps({"files": files}).encode()
        _write_atomically(directory / MANIFEST, lambda out, manifest=manifest: out.write(manifest))
    for name, lines in LIVE_FILES.items():
        _write_atomically(directory / name, lambda out, lines=lines: out.writelines(lines()))
    count = len(files["cases.jsonl"]["records"])
    readme = render_readme(count, timezone.now()).encode()
    _write_atomically(directory / "README.md", lambda out: out.write(readme))
    return count


def _manifest_files(directory):
    """Return the entries of the manifest in directory, {} if it has none."""
    try:
        return json.loads((directory / MANIFEST).read_bytes())["files"]
    except (OSError, ValueError, KeyError):
        return {}


def current_versions(name):
    """Return {key: public_version} of the records the file name holds now: case slugs or document ids."""
    if name == DOCUMENTS:
        return dict(selectors.public_document_texts().values_list("pk", DOCUMENT_VERSION))
    return dict(selectors.public_cases().values_list("slug", "public_version"))


def record_chunks(names, keys=None):
    """Yield (key, [bytes for each file of names]) for the public records of the dump's files names, or those of
    keys only; a header has key None. names are the case files (FORMATS), or the documents' file alone.
    """
    if names == [DOCUMENTS]:
        texts = selectors.public_document_texts()
        return _document_chunks(texts if keys is None else texts.filter(pk__in=keys))
    cases = selectors.public_cases().order_by("slug")
    cases = cases if keys is None else cases.filter(slug__in=keys)
    return _case_chunks(cases.values_list("slug", "public_version"), [FORMATS[name] for name in names])


def _case_chunks(versions, fmts):
    # Records still current in the previous dump are copied from it (exports.slug_texts), so a nightly rebuild
    # builds only the records that changed. The CSV header comes before any record.
    yield None, [exports.header().encode() if fmt == "csv" else b"" for fmt in fmts]
    for slug, texts in exports.slug_texts(versions.iterator(chunk_size=2000), fmts):
        yield slug, [(text if fmt == "csv" else text + "\n").encode() for fmt, text in zip(fmts, texts, strict=True)]


def _document_chunks(texts):
    context = {"base_url": settings.SITE_URL}
    for text in texts.prefetch_related("pages").iterator(chunk_size=100):
        record = DocumentSerializer(text, with_text=True, context=context).data
        yield text.pk, [(json.dumps(record, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n").encode()]


def _write_records(outs, *, chunks, versions):
    """Write chunks to the binary files outs, one piece each; return an index of each, [[key, start, end,
    public_version], ...]."""
    indexes = [[] for _out in outs]
    positions = [0 for _out in outs]
    for key, pieces in chunks:
        for number, (out, data) in enumerate(zip(outs, pieces, strict=True)):
            out.write(data)
            if key is not None:
                indexes[number].append([key, positions[number], positions[number] + len(data), versions.get(key)])
            positions[number] += len(data)
    return indexes


def _records_lines(serializer, records):
    context = {"base_url": settings.SITE_URL}
    for record in records.iterator(chunk_size=500):
        data = serializer(record, context=context).data
        yield (json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n").encode()


def vendor_lines():
    """Yield every public vendor's record, one JSON object per line, as bytes."""
    return _records_lines(VendorSerializer, selectors.public_vendors().order_by("slug"))


def system_lines():
    """Yield every public system's record, one JSON object per line, as bytes."""
    systems = selectors.public_systems().select_related("vendor").prefetch_related("technologies")
    return _records_lines(SystemSerializer, systems.order_by("slug"))


def deployment_lines():
    """Yield every public deployment's record, one JSON object per line, as bytes."""
    deployments = selectors.public_deployments().select_related("system", "operator")
    return _records_lines(DeploymentSerializer, deployments.order_by("slug"))


# Files /data/ reads live through the public selectors, so what leaves the public leaves them at once.
LIVE_FILES = {
    "vendors.jsonl": vendor_lines,
    "systems.jsonl": system_lines,
    "deployments.jsonl": deployment_lines,
}


def _write_atomically(path, write):
    """Call write with a binary file that replaces path once complete; return what write returns."""
    with _replacing([path]) as (out,):
        return write(out)


@contextlib.contextmanager
def _replacing(paths):
    """Yield a binary file for each of paths; once all are written without error, they replace the paths."""
    temporaries, outs = [], []
    try:
        for path in paths:
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            temporaries.append(temporary)
            outs.append(os.fdopen(handle, "wb"))
        yield outs
        for out in outs:
            out.close()
        for temporary, path in zip(temporaries, paths, strict=True):
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
    except BaseException:
        for out in outs:
            out.close()
        for temporary in temporaries:
            Path(temporary).unlink(missing_ok=True)
        raise


def render_readme(count, generated_at):
    """Return the README for a dump of count cases made at generated_at."""
    from django.template.loader import render_to_string

    return render_to_string(
        "cases/data/README.md",
        {
            "count": count,
            "generated_at": generated_at,
            "fields": [(name, FIELD_DOCS[name]) for name in exports.FIELDS],
            "licence": settings.OPEN_DATA_LICENCE,
            "site_url": settings.SITE_URL,
        },
    )


def data_index(request):
    """List the dump's files with their sizes and times."""
    directory = dump_dir()
    files = []
    for name in FILES:
        path = directory / name
        if path.is_file():
            stat = path.stat()
            modified = datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC)
            files.append({"name": name, "size": stat.st_size, "modified": modified})
    return render(request, "cases/data/index.html", {"files": files, "licence": settings.OPEN_DATA_LICENCE})


def data_file(request, name):
    """Serve one file of the dump, as current as the site: without cases unpublished or changed since it was
    written, and with the current records of cases published or changed since appended."""
    if name not in FILES:
        raise Http404
    try:
        source = (dump_dir() / name).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if name == "README.md":
        return FileResponse(source, content_type=FILES[name])
    if name in LIVE_FILES:
        source.close()
        # Read live through the public selector: a system or deployment made private leaves at once.
        response = StreamingHttpResponse(LIVE_FILES[name](), content_type=FILES[name])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if name == DOCUMENTS and _too_many_downloads(request):
        source.close()
        message = gettext("Too many downloads of the documents' text from your address. Try again later.")
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=429)
        response["Retry-After"] = str(settings.DATA_DOCUMENTS_RATE_WINDOW)
        return response
    index = _index(name, os.fstat(source.fileno()).st_size)
    if index is None:
        source.close()
        # Between the rebuild's moves the file and its manifest can be of different generations.
        message = gettext("The data is being rebuilt. Try again in a few seconds.")
        response = HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
        response["Retry-After"] = "5"
        return response
    current = current_versions(name)
    stale = {key for key, _start, _end, version in index if current.get(key, -1) != version}
    fresh = current.keys() - {key for key, _start, _end, _version in index if key not in stale}
    if stale or fresh:
        content = _current_file(source, name, index, stale, fresh)
        response = StreamingHttpResponse(content, content_type=FILES[name])
    else:
        # Unchanged since it was written: the file's time and size tell versions apart.
        stat = os.fstat(source.fileno())
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        response = get_conditional_response(request, etag=etag, last_modified=int(stat.st_mtime))
        if response is not None:
            source.close()
            return response
        response = FileResponse(source, content_type=FILES[name])
        response["ETag"] = etag
        response["Last-Modified"] = http_date(stat.st_mtime)
        patch_cache_control(response, public=True)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def current_records(name):
    """Return ({slug: (start, end, public_version)}, the file opened for binary reading) of the dump's file name.

    None when there is no dump, or while the file and its manifest are of different generations.
    """
    try:
        source = (dump_dir() / name).open("rb")
    except FileNotFoundError:
        return None
    stat = os.fstat(source.fileno())
    try:
        manifest_mtime = (dump_dir() / MANIFEST).stat().st_mtime_ns
    except FileNotFoundError:
        manifest_mtime = None
    index = _slug_index(str(dump_dir()), name, stat.st_mtime_ns, stat.st_size, manifest_mtime)
    if index is None:
        source.close()
        return None
    return index, source


@functools.lru_cache(maxsize=len(FORMATS))
def _slug_index(directory, name, mtime_ns, size, manifest_mtime_ns):
    # Cached per generation of the file and manifest: at 100,000 cases reading the manifest costs 100 ms.
    records = _index(name, size)
    if records is None:
        return None
    return {slug: (start, end, version) for slug, start, end, version in records}


def _index(name, size):
    """Return the manifest's records of the file name if it describes a file of size bytes, else None."""
    try:
        entry = json.loads((dump_dir() / MANIFEST).read_bytes())["files"][name]
    except (OSError, ValueError, KeyError):
        return None
    return entry["records"] if entry["size"] == size else None


def _too_many_downloads(request):
    """Count one download of the documents' text from the client; tell whether it is over the limit."""
    # The text of every public document is large: a few downloads a day are what a researcher needs.
    return client_over_limit(
        request, "data.documents", settings.DATA_DOCUMENTS_RATE, settings.DATA_DOCUMENTS_RATE_WINDOW
    )


def _current_file(source, name, index, stale, fresh):
    """Yield the open file source without the records of stale keys, then the current records of fresh ones."""
    with source:
        position, size = 0, os.fstat(source.fileno()).st_size
        skipped = [(start, end) for key, start, end, _version in index if key in stale]
        for start, end in [*skipped, (size, size)]:
            # Copy everything up to this stale record (or the end of the file), then skip it.
            source.seek(position)
            while position < start:
                data = source.read(min(COPY_CHUNK, start - position))
                if not data:
                    break
                position += len(data)
                yield data
            position = end
    if fresh:
        # The CSV header (key None) is already out.
        yield from (pieces[0] for key, pieces in record_chunks([name], fresh) if key is not None)
