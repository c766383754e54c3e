"""Page numbers for public lists, capped so that no page reads deep into the table."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Deeper offsets would make the database step over every earlier row; filters, the API's cursor and the
# exports reach the rest.
MAX_PAGES = 200


class CappedPaginator(Paginator):
    """A paginator offering at most MAX_PAGES pages; a number past them (or past the end) shows the last one.

    It counts the objects only if it must: not when the caller knows their `count`, nor when they are known to
    be `at_least` enough to fill every page offered (the count is then that lower bound).
    """

    def __init__(self, object_list, per_page, *, count=None, at_least=None):
        super().__init__(object_list, per_page)
        self.known_count, self.at_least = count, at_least

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        if self.at_least is not None and self.at_least >= MAX_PAGES * self.per_page:
            return self.at_least
        return super().count

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)


def page_of(queryset, per_page, number, *, count=None, at_least=None):
    """Return the page number (any string, as in the query string) of queryset, capped at MAX_PAGES.

    `count` (how many objects queryset holds) or `at_least` (a lower bound), when known, spare counting them.
    """
    return CappedPaginator(queryset, per_page, count=count, at_least=at_least).get_page(number)


class RankedCases:
    """A search's cases in the list's order, for a paginator: the ranked ones fetched by id, the rest as sorted.

    The list sorts by relevance, and rank is known for a few hundred cases only (search.best_matches), yet sorting
    reads every match: 57,000 rows for a common word, to show 25 of the ranked ones. `by_id` is where the ranked
    ones are fetched from: the listed cases without the filters that found them (a list of thousands of ids
    there made PostgreSQL read every case rather than 25 by primary key).
    """

    def __init__(self, cases, ranked, by_id):
        self.cases, self.ranked, self.by_id = cases, ranked, by_id

    def count(self):
        return self.cases.count()

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        wanted = self.ranked[start:stop]
        found = self.by_id.in_bulk(wanted)
        rows = [found[pk] for pk in wanted if pk in found]
        if stop > len(self.ranked):
            # Every unranked case comes after every ranked one.
            rows += list(self.cases[max(start, len(self.ranked)) : stop])
        return rows
