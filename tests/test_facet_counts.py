"""Facet counts on the demo data: each count is what the list shows once that value is ticked."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cases.models import Technology
from cases.search import refresh_all_search_vectors
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db

STATES = [
    "country=RU",
    "technology=face-recognition",
    "q=recognition&country=GB",
    "q=court&technology=face-recognition",
    "filed_after=2015-01-01&status=decided",
    "filed_before=2021-12-31&country=RU&country=GB",
    "q=police&filed_after=2010-01-01&outcome=violation",
    "q=data&status=decided&technology=face-recognition",
]


DRAFT = "Draft face recognition police court data case"


# Values of at least this many cases are counted from their pair counts; the others from the cases' facet rows.
PAIRED, SCANNED = 1, 10**9


@pytest.fixture(autouse=True, params=[PAIRED, SCANNED], ids=["paired", "scanned"])
def demo(request, settings, tmp_path, capsys):
    settings.FACET_PAIR_MIN_CASES = request.param
    settings.MEDIA_ROOT = tmp_path  # the demo attaches documents
    call_command("load_demo")
    capsys.readouterr()
    # A draft that every search and filter above would find, if drafts leaked into counts.
    draft = f.case(
        title=DRAFT,
        summary="recognition police court data",
        country="GB",
        status="decided",
        outcome="dismissed",
        filed_on=datetime.date(2020, 1, 1),
    )
    draft.technologies.add(*Technology.objects.all())
    refresh_all_search_vectors()  # what case_changed() does on commit, which a test transaction never reaches
    rebuild_case_facets()


def listed(client, query):
    response = client.get(f"/cases/?{query}")
    assert response.status_code == 200, query
    return response.context


def ticking(state, name, value):
    """Return the query string of state with value as the only one of facet name (values of a facet add up)."""
    query = QueryDict(state, mutable=True)
    query.setlist(name, [value])
    return query.urlencode()


@pytest.mark.parametrize("state", STATES)
def test_each_count_is_the_list_with_that_value_ticked(client, state):
    context = listed(client, state)
    checked = 0
    for group in context["facets"]:
        for option in group["options"]:
            if option["selected"]:
                continue  # its count is of the list without the facet's own filter
            ticked = listed(client, ticking(state, group["name"], option["value"]))
            assert option["count"] == ticked["page"].paginator.count, (state, group["name"], option["value"])
            assert DRAFT not in [case.title for case in ticked["page"].object_list]
            checked += 1
    assert checked


def test_a_selected_value_counts_without_its_own_facet(client):
    context = listed(client, "q=recognition&country=RU")
    country = next(group for group in context["facets"] if group["name"] == "country")
    russia = next(option for option in country["options"] if option["value"] == "RU")
    assert russia["selected"]
    assert russia["count"] == listed(client, "q=recognition&country=RU")["page"].paginator.count


def test_a_search_is_matched_once_for_all_facets(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/cases/?q=recognition&country=GB")
    matches = [query["sql"] for query in queries.captured_queries if "@@" in query["sql"]]
    assert not [sql for sql in matches if "GROUP BY" in sql]  # no facet query repeats the full-text match
    # The matches for the facets, then the page's count, rows and document hits: not one more per facet.
    assert len(matches) <= 4
