"""Cursor pagination that answers a malformed cursor with 400 instead of 404 or 500."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination


class PublicCursorPagination(CursorPagination):
    ordering = "slug"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ParseError(self.invalid_cursor_message) from None
        if cursor is not None and cursor.position is not None:
            # The position is compared with the ordering field: it must be a value of that field.
            field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
            try:
                field.to_python(cursor.position)
            except DjangoValidationError:
                raise ParseError(self.invalid_cursor_message) from None
        return cursor


class CaseCursorPagination(PublicCursorPagination):
    ordering = "-published_at"
