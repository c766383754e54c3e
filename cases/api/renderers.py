"""CSV and JSON Lines renderers for case records; whole lists stream through cases.exports instead."""

import json

from rest_framework.renderers import BaseRenderer

from .. import exports


class _RecordRenderer(BaseRenderer):
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "slug" in data and "title" in data:
            return "".join(self.writer([data]))
        # Errors are not case records: give them as JSON, whatever format was asked for.
        return json.dumps(data, ensure_ascii=False)


class CSVRenderer(_RecordRenderer):
    media_type = "text/csv"
    format = "csv"
    writer = staticmethod(exports.stream_csv)


class JSONLinesRenderer(_RecordRenderer):
    media_type = "application/x-ndjson"
    format = "jsonl"
    writer = staticmethod(exports.stream_jsonl)
