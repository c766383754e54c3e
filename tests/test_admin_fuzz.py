"""Random proceeding, decision and filing rows posted to the case and proceeding pages: never a 500."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Proceeding
from cases.models.proceedings import appeal_cycle
from tests import factories
from tests.admin_posts import case_post, change_url, proceeding_post

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
dates = st.sampled_from(["", "2018-01-01", "2019-10-07", "2019-11-06", "2021-06-30", "2019-02-30", "soon"])
results = st.sampled_from(["dismissed", "granted", "appeal_allowed", "", "bogus"])


@pytest.fixture
def world(client, editor):
    """Two cases: one with a two-step appeal chain and a party, another whose records must stay out of reach."""
    client.force_login(editor)
    case, other = factories.case(), factories.case()
    first = factories.proceeding(case)
    second = factories.proceeding(case, appeals_from=first, started_on=None)
    stranger = factories.proceeding(other)
    factories.decision(first)
    return {
        "client": client,
        "case": case,
        "proceedings": [first, second],
        "refs": ["", first.pk, second.pk, stranger.pk, "above", 10**9, "x"],
        "parties": ["", factories.participation(case).pk, factories.participation(other).pk, "x"],
        "courts": [first.court_id, stranger.court_id, "", "x"],
        "cases": [case.pk, other.pk, "", "x"],
    }


def assert_chains_are_sound():
    links = dict(Proceeding.objects.values_list("pk", "appeals_from"))
    cases = dict(Proceeding.objects.values_list("pk", "case"))
    for pk, lower in links.items():
        assert lower != pk and not appeal_cycle(pk, links)
        assert lower is None or cases[lower] == cases[pk]


def post(client, url, data):
    # Each example starts from the same data: roll back whatever a successful post saved.
    with transaction.atomic():
        response = client.post(url, data)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert_chains_are_sound()
        transaction.set_rollback(True)


@FUZZ
@given(data=st.data())
def test_case_page_proceeding_rows(world, data):
    pick = lambda values: data.draw(st.sampled_from(values))  # noqa: E731
    rows = []
    for proceeding in world["proceedings"]:
        row = {"id": proceeding.pk, "case": pick(world["cases"]), "court": proceeding.court_id}
        row |= {"started_on": data.draw(dates), "ended_on": data.draw(dates), "appeals_from": pick(world["refs"])}
        if data.draw(st.booleans()):
            row["DELETE"] = "on"
        rows.append(row)
    for _ in range(data.draw(st.integers(0, 2))):
        rows.append(
            {
                "court": pick(world["courts"]),
                "started_on": data.draw(dates),
                "ended_on": data.draw(dates),
                "appeals_from": pick(world["refs"]),
            }
        )
    parties = [{"party": pick(world["parties"][:2]), "role": pick(["plaintiff", "defendant", ""])}]
    post(world["client"], change_url(world["case"]), case_post(world["case"], rows={"proceedings": rows}))
    post(world["client"], change_url(world["case"]), case_post(world["case"], rows={"participations": parties}))


@FUZZ
@given(data=st.data())
def test_proceeding_page_rows(world, data):
    pick = lambda values: data.draw(st.sampled_from(values))  # noqa: E731
    proceeding = pick(world["proceedings"])
    decisions = [
        {
            "announced_on": data.draw(dates),
            "final_form_on": data.draw(dates),
            "result": data.draw(results),
            "is_public": "on",
        }
        for _ in range(data.draw(st.integers(0, 2)))
    ]
    filings = [
        {"filed_on": data.draw(dates), "kind": "brief", "title": "Reply", "filed_by": pick(world["parties"])}
        for _ in range(data.draw(st.integers(0, 2)))
    ]
    fields = {
        "case": pick(world["cases"]),
        "started_on": data.draw(dates),
        "ended_on": data.draw(dates),
        "appeals_from": pick(world["refs"]),
    }
    post(
        world["client"],
        change_url(proceeding),
        proceeding_post(proceeding, {"decisions": decisions, "filings": filings}, **fields),
    )
