"""Page numbers for public lists, capped so that no page reads deep into the table."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Deeper offsets would make the database step over every earlier row; filters, the API's cursor and the
# exports reach the rest.
MAX_PAGES = 200


class CappedPaginator(Paginator):
    """A paginator offering at most MAX_PAGES pages; a number past them (or past the end) shows the last one."""

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)


def page_of(queryset, per_page, number, count=None):
    """Return the page number (any string, as in the query string) of queryset, capped at MAX_PAGES.

    `count`, if known already, saves counting the queryset.
    """
    paginator = CappedPaginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(number)
