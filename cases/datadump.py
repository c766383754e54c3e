"""The nightly open-data dump: every public case as JSON Lines and CSV, with a README, served at /data/."""

import datetime
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from . import exports, selectors

FILES = {
    "cases.jsonl": "application/x-ndjson",
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
}


def dump_dir():
    return Path(settings.DATA_DUMP_ROOT)


def write_dump(directory=None):
    """Write cases.jsonl, cases.csv and README.md of all public cases; return the count of cases.

    Each file is written next to its final name and moved into place, so /data/ never serves a half-written file.
    """
    directory = Path(directory or dump_dir())
    directory.mkdir(parents=True, exist_ok=True)
    context = {"base_url": settings.SITE_URL}
    cases = selectors.public_cases().order_by("slug")
    count = cases.count()
    for name, fmt in (("cases.jsonl", "jsonl"), ("cases.csv", "csv")):
        _write_atomically(
            directory / name, lambda fileobj, fmt=fmt: exports.write_export(cases, fmt, fileobj, context=context)
        )
    readme = render_readme(count, timezone.now())
    _write_atomically(directory / "README.md", lambda fileobj: fileobj.write(readme))
    return count


def _write_atomically(path, write):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as fileobj:
            write(fileobj)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
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
    """Serve one file of the dump."""
    if name not in FILES:
        raise Http404
    path = dump_dir() / name
    if not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=FILES[name], as_attachment=name != "README.md")
    return response
