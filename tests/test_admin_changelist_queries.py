"""The case changelist costs the same number of queries for any number of cases, searched or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
