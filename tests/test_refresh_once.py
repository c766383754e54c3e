"""One write refreshes each case it touches once, however many rows it saved, and derived data stays right."""

import datetime
from unittest import mock

import pytest
import time_machine

from cases.actions import events
from cases.actions.records import save_record
from cases.actions.refresh import refresh_once
from cases.deadlines import generate
from cases.models import Case, Deadline, Decision
from tests import factories
from tests.admin_posts import case_post, change_url

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def proceeding_row(proceeding, **fields):
    row = {"id": proceeding.pk, "case": proceeding.case_id, "court": proceeding.court_id}
    row |= {"procedure": proceeding.procedure, "docket_number": proceeding.docket_number}
    return row | {"started_on": str(proceeding.started_on), "appeals_from": ""} | fields


@pytest.fixture
def case_of_five(lawyer):
    """A Russian case with five proceedings, the first with a decision and no procedure yet (so no deadlines)."""
    case = factories.case(country="RU", filed_on=D(2022, 3, 1), facts_date=D(2022, 2, 1))
    case.team.add(lawyer)
    factories.participation(case, is_client=True)
    proceedings = [factories.proceeding(case, procedure="") for _ in range(5)]
    Decision.objects.create(
        proceeding=proceedings[0], announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 12), result="dismissed"
    )
    return case, proceedings


def spies():
    return (
        mock.patch("cases.actions.refresh.case_changed", wraps=events.case_changed),
        mock.patch.object(generate, "sync_case_deadlines", wraps=generate.sync_case_deadlines),
    )


def test_a_case_save_with_five_proceedings_refreshes_the_case_once(client, lawyer, case_of_five):
    case, proceedings = case_of_five
    rows = [proceeding_row(p, procedure="kas", docket_number=f"2a-{n}/2023") for n, p in enumerate(proceedings)]
    client.force_login(lawyer)
    changed, synced = spies()
    with changed as case_changed, synced as sync_case_deadlines:
        response = client.post(change_url(case), case_post(case, summary="Edited.", rows={"proceedings": rows}))
    assert response.status_code == 302
    assert case_changed.call_args_list == [mock.call(case.pk)]
    assert sync_case_deadlines.call_count == 1
    # ... and the one recomputation saw every row: the first proceeding's decision now has its appeal deadline.
    assert Deadline.objects.filter(case=case, status="open").exists()
    assert set(case.proceedings.values_list("procedure", flat=True)) == {"kas"}


def test_outside_a_block_every_action_refreshes_at_once(lawyer, case_of_five):
    case, proceedings = case_of_five
    changed, synced = spies()
    with changed as case_changed, synced as sync_case_deadlines:
        for proceeding in proceedings[:2]:
            proceeding.procedure = "kas"
            save_record(proceeding, actor=lawyer)
        assert Deadline.objects.filter(case=case, status="open").exists()
    # Each save, and each deadline the first one generated, refreshed the case on its own.
    assert sync_case_deadlines.call_count == 2 and case_changed.call_count >= 2


def test_a_block_refreshes_each_case_once_and_a_refused_block_refreshes_none(lawyer, case_of_five):
    case, proceedings = case_of_five
    other = factories.proceeding(factories.case())
    changed, synced = spies()
    with changed as case_changed, synced:
        with refresh_once():
            for proceeding in [*proceedings, other]:
                save_record(proceeding, actor=None)
            assert case_changed.call_count == 0  # nothing yet: the block is still collecting
        assert sorted(call.args[0] for call in case_changed.call_args_list) == sorted([case.pk, other.case_id])
        case_changed.reset_mock()
        with pytest.raises(RuntimeError), refresh_once():
            save_record(proceedings[0], actor=None)
            raise RuntimeError
        assert case_changed.call_count == 0


def test_a_lawyers_party_edit_recomputes_other_teams_cases_as_the_system(client, lawyer, other_lawyer):
    party = factories.party(name="Moscow Department of IT", kind="agency")
    theirs = factories.case()
    theirs.team.add(other_lawyer)
    factories.participation(theirs, party=party, role="defendant")
    client.force_login(lawyer)
    data = {"name": "Moscow IT Department", "name_ru": "", "slug": party.slug, "kind": "agency"}
    data |= {"country": "", "website": "", "government_level": "regional"}
    _, synced = spies()
    with synced as sync_case_deadlines:
        response = client.post(change_url(party), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [call.kwargs["actor"] for call in sync_case_deadlines.call_args_list] == [None]
    assert Case.objects.get(pk=theirs.pk).participations.get().party.name == "Moscow IT Department"
