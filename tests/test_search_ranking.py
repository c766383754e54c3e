"""Bounded relevance ranking: only a search's best candidates are ranked, and a title match is always one of them."""

import sys

import pytest
from django.urls import reverse

from cases import search
from cases.filters import CaseFilter
from cases.models import Case
from cases.search import refresh_search_vector, search_cases

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]


@pytest.fixture
def few_ranked(monkeypatch):
    """Rank only two candidates of each kind, so a handful of cases stands for a search matching thousands."""
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    monkeypatch.setattr(search, "RANKED_PAGES", 2)


def indexed_case(**fields):
    case = factories.case(published=True, **fields)
    refresh_search_vector(case.pk)
    return case


def listed(client, **params):
    return list(client.get(reverse("cases:case_list"), params).context["page"].object_list)


def test_a_title_match_is_ranked_first_among_more_matches_than_are_ranked(client, upload_document, few_ranked):
    for n in range(4):
        indexed_case(title=f"A mention {n}", summary="The zebra crossing is mentioned once.")
    upload_document(b"The zebra crossing. " * 50, case=indexed_case(title="A document"))
    indexed_case(title="Zebra crossings in Moscow", summary="Cameras at every zebra crossing.")

    cases = listed(client, q="zebra")

    assert cases[0].title == "Zebra crossings in Moscow"
    # Every match is listed once, the unranked ones after the ranked, in title order.
    assert sorted(case.title for case in cases) == sorted(Case.objects.values_list("title", flat=True))
    unranked = [case.title for case in cases if not case.rank]
    assert unranked and unranked == sorted(unranked) == [case.title for case in cases[-len(unranked) :]]


def test_ranking_is_among_the_cases_the_other_filters_leave(client, few_ranked):
    indexed_case(title="Zebra crossings in Moscow", country="RU")
    indexed_case(title="Zebra crossings in Paris", country="FR")
    for n in range(3):
        indexed_case(title=f"B mention {n}", summary="A zebra crossing.", country="GB")
    indexed_case(title="Zebra crossings in London", country="GB")

    assert listed(client, q="zebra", country="GB")[0].title == "Zebra crossings in London"


def test_search_cases_ranks_the_candidates_and_keeps_every_match(few_ranked):
    for n in range(5):
        indexed_case(title=f"C mention {n}", summary="A zebra crossing.")
    best = indexed_case(title="Zebra", summary="Zebra, zebra, zebra.")
    indexed_case(title="Unrelated", summary="Nothing to see.")

    ranked = list(search_cases(Case.objects.public(), "zebra").order_by("-rank", "title", "pk"))

    assert ranked[0] == best
    assert len(ranked) == 6
    # The title match, and the two most recently active matches, are ranked; the others are not.
    assert ranked[0].rank > ranked[2].rank > ranked[3].rank == ranked[-1].rank == 0


def test_pages_across_the_ranked_ones_follow_the_full_order(client, few_ranked, monkeypatch):
    monkeypatch.setattr(sys.modules["cases.views.case_list"], "PAGE_SIZE", 3)
    for n in range(7):
        indexed_case(title=f"D mention {n}", summary="A zebra crossing.")
    indexed_case(title="Zebra crossings in Moscow")

    pages = [listed(client, q="zebra", page=number) for number in (1, 2, 3)]
    filterset = CaseFilter({"q": "zebra"})
    # The ranked cases (the title match and two recent ones) are read by id, the rest sorted as before.
    assert 0 < len(filterset.qs.filter(rank__gt=0)) < 8 and filterset.ranked
    assert [case.pk for page in pages for case in page] == [case.pk for case in filterset.qs]
