"""The case changelist costs the same number of queries for any number of cases, searched or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.search import refresh_search_vectors
from tests import factories

pytestmark = pytest.mark.django_db


def queries_for(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/admin/cases/case/", params)
    assert response.status_code == 200
    return len(captured), response.context["cl"]


@pytest.mark.parametrize("user", ["editor", "lawyer"])
@pytest.mark.parametrize("params", [{}, {"q": "surveillance"}, {"q": "nomatch"}])
def test_queries_do_not_grow_with_cases(client, request, user, params):
    client.force_login(request.getfixturevalue(user))
    factories.case(title="Surveillance one")
    first, _ = queries_for(client, params)
    cases = [factories.case(title=f"Surveillance {n}") for n in range(5)]
    refresh_search_vectors([case.pk for case in cases])
    second, changelist = queries_for(client, params)
    assert second == first
    assert changelist.result_count == (0 if params.get("q") == "nomatch" else 6)


def test_a_search_finds_indexed_and_not_yet_indexed_cases_alike(client, editor):
    client.force_login(editor)
    indexed = factories.case(title="Camera network")
    refresh_search_vectors([indexed.pk])
    factories.case(title="Camera pilot")  # its search index is built after commit, which has not come
    factories.case(title="Unrelated")
    _, changelist = queries_for(client, {"q": "camera"})
    assert changelist.result_count == 2
    _, changelist = queries_for(client, {"q": indexed.slug})
    assert [case.pk for case in changelist.result_list] == [indexed.pk]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Попова", True),  # Russian stemming
        ("Popova", True),  # the transliteration key of the Russian title
        ("cameras", True),  # English stemming: "camera"
        ("2a-577/2019", True),  # a docket as typed
        ("Milov cameras", True),  # terms in different fields
        ("Milov nomatch", False),
        ("the", False),  # only stop words in English: "the" must still not match everything
        ("!!! & | ( ) :*", False),
        ("'; DROP TABLE cases_case; --", False),
        ("a" * 2000, False),
    ],
)
def test_searches_through_the_index_as_the_public_search_does(client, editor, require_postgres, text, found):
    client.force_login(editor)
    case = factories.case(title="Popova v. Moscow", title_ru="Попова против Москвы", summary="Cameras at protests.")
    factories.participation(case, party=factories.party(name="Vladimir Milov"))
    factories.proceeding(case, docket_number="2a-577/2019")
    factories.case(title="Unrelated")
    refresh_search_vectors(list(Case.objects.values_list("pk", flat=True)))
    _, changelist = queries_for(client, {"q": text})
    assert [found_case.pk for found_case in changelist.result_list] == ([case.pk] if found else [])


def test_a_large_search_is_counted_from_an_estimate_and_says_so(client, editor, require_postgres, monkeypatch):
    monkeypatch.setattr("cases.admin.cases.EXACT_COUNT_LIMIT", 2)
    client.force_login(editor)
    cases = [factories.case(title=f"Camera {n}") for n in range(4)]
    refresh_search_vectors([case.pk for case in cases])
    response = client.get("/admin/cases/case/", {"q": "camera"})
    changelist = response.context["cl"]
    assert changelist.paginator.estimated
    assert changelist.result_count >= 3  # never fewer than it saw
    assert len(changelist.result_list) == 4
    assert b"about" in response.content
    # Up to the limit the count is exact, and says nothing of an estimate.
    response = client.get("/admin/cases/case/", {"q": cases[0].slug})
    assert not response.context["cl"].paginator.estimated
    assert response.context["cl"].result_count == 1
    assert b"about" not in response.content
