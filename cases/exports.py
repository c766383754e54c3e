"""Streaming CSV, JSON and JSON Lines of public cases, one shared record per case.

A record is the API's CaseSerializer output. CSV flattens it: lists of slugs become
"a; b" cells and nested records (parties, proceedings, links) become JSON cells, so the
bulk import reads every format back. Cases are read `chunk_size` at a time with their
public records prefetched per chunk: 100,000 cases never sit in memory at once.
"""

import csv
import itertools
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse

from . import selectors
from .api.serializers import CaseSerializer

CHUNK_SIZE = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
# Cells that spreadsheets would run as formulas get a leading apostrophe; the import removes it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
FIELDS = list(CaseSerializer.Meta.fields)


def case_records(cases, *, context=None):
    """Yield the public record of each case in cases (a public queryset), streaming in chunks."""
    cases = selectors.with_public_records(cases).iterator(chunk_size=CHUNK_SIZE)
    # One serializer per chunk: building its nested fields again for every case would cost more than the rest.
    serializer = CaseSerializer(many=True, context=context or {})
    while chunk := list(itertools.islice(cases, CHUNK_SIZE)):
        yield from serializer.to_representation(chunk)


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


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


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def stream_csv(records):
    """Yield CSV lines: a header row of FIELDS, then one row per record."""
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for record in records:
        yield writer.writerow([csv_cell(record.get(name)) for name in FIELDS])


def stream_json(records):
    """Yield one JSON array of records, a record at a time."""
    yield "["
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + _dumps(record)
    yield "\n]\n"


def stream_jsonl(records):
    """Yield one JSON record per line."""
    for record in records:
        yield _dumps(record) + "\n"


WRITERS = {"csv": stream_csv, "json": stream_json, "jsonl": stream_jsonl}


class TooManyCases(Exception):
    """An export would hold more cases than settings.EXPORT_MAX_CASES, so it could outlast the worker timeout."""

    def __init__(self, count):
        self.count = count
        self.limit = settings.EXPORT_MAX_CASES
        super().__init__(f"{count} cases, more than the {self.limit} an export may hold.")


def export_response(cases, fmt, *, filename="cases", request=None):
    """Return a streaming download of cases (a public queryset) in fmt: csv, json or jsonl.

    Raises TooManyCases rather than start a download that a worker timeout could cut short: a cut-off
    stream would still have said 200 OK and left the user a file ending mid-row.
    """
    count = cases.count()
    if count > settings.EXPORT_MAX_CASES:
        raise TooManyCases(count)
    records = case_records(cases, context={"request": request} if request is not None else None)
    response = StreamingHttpResponse(WRITERS[fmt](records), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def write_export(cases, fmt, fileobj, *, context=None):
    """Write cases (a public queryset) in fmt to a text file object."""
    for chunk in WRITERS[fmt](case_records(cases, context=context)):
        fileobj.write(chunk)
