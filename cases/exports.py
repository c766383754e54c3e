"""Streaming CSV, JSON and JSON Lines of public cases, one shared record per case.

A record is the API's case record (cases.records). CSV flattens it: lists of slugs become
"a; b" cells and nested records (parties, proceedings, links) become JSON cells, so the
bulk import reads every format back. Cases are read `CHUNK_SIZE` at a time with their
public records read per chunk: 100,000 cases never sit in memory at once. A case whose record in the
nightly dump is still current (same public_version) is copied from the dump instead, which is what makes
large exports fast: building a record costs a fraction of a millisecond, copying it microseconds.
"""

import itertools
import json
import re

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from . import datadump, selectors
from .records import FIELDS, case_rows, records_of_rows

CHUNK_SIZE = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
# Cells that spreadsheets would run as formulas get a leading apostrophe; the import removes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
# A record with these takes milliseconds to build and microseconds to copy from the dump; records without
# them are quicker to build than to parse back out of the dump's full records.
COSTLY_FIELDS = {"parties", "proceedings", "links", "related_cases"}
# The dump's file of records in each format, copied from as it is.
FILES = {"csv": "cases.csv", "json": "cases.jsonl", "jsonl": "cases.jsonl"}
# How many records the download holds, sent before them: fewer rows than this means it was cut short.
COUNT_HEADER = "X-Case-Count"


# What json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False) makes for each call, made once.
_dumps = DjangoJSONEncoder(ensure_ascii=False).encode


def csv_cell(value):
    """Return one record value as the text of a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, list | dict):
        return _dumps(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_row(cells):
    """Return cells (text) as one CSV row with its line end, quoted as csv.writer's default dialect quotes them."""
    if cells == [""]:
        return '""\r\n'  # a lone empty cell, quoted so the line is not blank
    # csv.writer copies a cell character by character; on long JSON cells str methods are several times faster.
    return ",".join([_quoted(cell) if _NEEDS_QUOTES.search(cell) else cell for cell in cells]) + "\r\n"


_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _quoted(cell):
    return '"' + cell.replace('"', '""') + '"'


def encode(record, fmt, fields=FIELDS):
    """Return one record as fmt text: a JSON object, or a CSV row of fields with its line end."""
    if fmt == "csv":
        return csv_row([csv_cell(record.get(name)) for name in fields])
    return _dumps(record)


def header(fields=FIELDS):
    """Return the CSV header row of fields."""
    return csv_row(list(fields))


def frame(texts, fmt, fields=FIELDS):
    """Yield the whole file around texts, records already encoded in fmt: CSV header, JSON brackets, line ends."""
    if fmt == "csv":
        yield header(fields)
        yield from texts
    elif fmt == "json":
        yield "["
        for index, text in enumerate(texts):
            yield ("," if index else "") + "\n" + text
        # A cut-off JSON download fails to parse: the closing bracket is its complete marker.
        yield "\n]\n"
    else:
        for text in texts:
            yield text + "\n"


def stream_csv(records, fields=FIELDS):
    """Yield CSV lines: a header row of fields, then one row per record."""
    return frame((encode(record, "csv", fields) for record in records), "csv", fields)


def stream_json(records):
    """Yield one JSON array of records, a record at a time."""
    return frame((encode(record, "json") for record in records), "json")


def stream_jsonl(records):
    """Yield one JSON record per line."""
    return frame((encode(record, "jsonl") for record in records), "jsonl")


WRITERS = {"csv": stream_csv, "json": stream_json, "jsonl": stream_jsonl}


def chosen_fields(raw):
    """Return the record fields named in raw (comma-separated, from `fields=`) in record order, or None for all.

    Raises UnknownFields for names a record does not have.
    """
    names = {name.strip() for name in (raw or "").split(",") if name.strip()}
    if not names:
        return None
    if unknown := sorted(names - set(FIELDS)):
        raise UnknownFields(unknown)
    return [name for name in FIELDS if name in names]


class UnknownFields(ValueError):
    """`fields=` named something a case record does not have."""

    def __init__(self, names):
        self.names = names
        super().__init__(
            _("Unknown fields: %(names)s. Allowed: %(allowed)s.")
            % {"names": ", ".join(names), "allowed": ", ".join(FIELDS)}
        )


def case_texts(slugs, fmt, *, fields=None):
    """Yield the record of each case named in slugs [(slug, public_version)] as fmt text, in that order."""
    return (texts[0] for _slug, texts in slug_texts(slugs, [fmt], fields=fields))


def slug_texts(slugs, fmts, *, fields=None):
    """Yield (slug, [record as text in each of fmts]) of each case named in slugs [(slug, public_version)], in order.

    A record still current in the nightly dump is copied from it: as it is from the file of the same format,
    or parsed out of cases.jsonl and encoded again. The rest are built through the public selector a chunk at
    a time, once for all formats. Cases that stopped being public meanwhile are left out.
    """
    copying = fields is None or not COSTLY_FIELDS.isdisjoint(fields)
    names = [FILES[fmt] for fmt in fmts if fmt in FILES] if fields is None else []
    names += ["cases.jsonl"] if copying else []
    sources = {name: found for name in dict.fromkeys(names) if (found := datadump.current_records(name))}
    # The slug finds each built record its place, so it is built even when not asked for.
    built_fields = None if fields is None else list(dict.fromkeys(["slug", *fields]))
    try:
        rows = iter(slugs)
        while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
            # Texts copied as they are, then records parsed from cases.jsonl or built for the formats left.
            texts = {}
            records = {}
            for slug, version in chunk:
                for fmt in fmts:
                    if fields is None and (text := _copy(sources, FILES.get(fmt), slug, version)) is not None:
                        texts[slug, fmt] = text.removesuffix("\n") if fmt != "csv" else text
                if not _complete(texts, slug, fmts) and (text := _copy(sources, "cases.jsonl", slug, version)):
                    records[slug] = json.loads(text)
            stale = [slug for slug, _version in chunk if slug not in records and not _complete(texts, slug, fmts)]
            if stale:
                # A chunk's rows at once, without a server-side cursor's round trips; links as in the dump,
                # whatever host the export was asked on.
                values = case_rows(selectors.public_cases().filter(slug__in=stale).order_by(), built_fields)
                built = records_of_rows(values, base_url=settings.SITE_URL, fields=built_fields)
                records.update((record["slug"], record) for record in built)
            for slug, _version in chunk:
                record = records.get(slug)
                if record is None and not _complete(texts, slug, fmts):
                    continue
                if record is not None and fields is not None:
                    record = {name: record[name] for name in fields}
                yield (
                    slug,
                    [
                        texts[slug, fmt] if (slug, fmt) in texts else encode(record, fmt, fields or FIELDS)
                        for fmt in fmts
                    ],
                )
    finally:
        for _index, source in sources.values():
            source.close()


def _copy(sources, name, slug, version):
    """Return the text of slug's record in the dump's file name if it is at version there, else None."""
    if name not in sources:
        return None
    index, source = sources[name]
    start, end, current = index.get(slug, (0, 0, None))
    if current != version:
        return None
    source.seek(start)
    return source.read(end - start).decode()


def _complete(texts, slug, fmts):
    return all((slug, fmt) in texts for fmt in fmts)


def listed(cases):
    """Return (slug, public_version) of each case in cases, in their order: what an export is to hold."""
    return cases.prefetch_related(None).values_list("slug", "public_version")


class TooManyCases(Exception):
    """An export would hold more cases than settings.EXPORT_MAX_CASES, so it could outlast the worker timeout."""

    def __init__(self, count):
        self.count = count
        self.limit = settings.EXPORT_MAX_CASES
        super().__init__(f"{count} cases, more than the {self.limit} an export may hold.")


def export_response(cases, fmt, *, filename="cases", fields=None):
    """Return a streaming download of cases (a public queryset) in fmt: csv, json or jsonl.

    Raises TooManyCases rather than start a download that a worker timeout could cut short. The
    X-Case-Count header says how many records follow, so a download cut short is seen to be: JSON no longer
    parses, and CSV and JSON Lines have fewer complete rows than the header said, or lack the last line end.
    """
    slugs = list(listed(cases)[: settings.EXPORT_MAX_CASES + 1])
    if len(slugs) > settings.EXPORT_MAX_CASES:
        raise TooManyCases(cases.count())
    texts = case_texts(slugs, fmt, fields=fields)
    response = StreamingHttpResponse(frame(texts, fmt, fields or FIELDS), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response[COUNT_HEADER] = len(slugs)
    return response


def write_export(cases, fmt, fileobj, *, fields=None):
    """Write cases (a public queryset) in fmt to a text file object."""
    texts = case_texts(listed(cases).iterator(chunk_size=CHUNK_SIZE), fmt, fields=fields)
    fileobj.writelines(frame(texts, fmt, fields or FIELDS))
