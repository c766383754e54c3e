"""Moving a proceeding to another case takes its deadlines along and refreshes both cases; both must be yours."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from cases.actions.decisions import save_decision
from cases.actions.records import save_record
from cases.models import Case, Deadline, Decision
from tests import factories
from tests.admin_posts import change_url, errors_of, proceeding_post

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def moving(lawyer):
    """A proceeding with a public decision and its generated appeal deadline, entered in the wrong case."""
    wrong, right = (factories.case(country="RU", facts_date=D(2022, 2, 1)) for _ in range(2))
    for case in (wrong, right):
        case.team.add(lawyer)
        factories.participation(case, is_client=True)
    proceeding = factories.proceeding(wrong, procedure="kas", started_on=D(2023, 1, 10))
    decision = Decision(
        proceeding=proceeding, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 12), result="dismissed"
    )
    save_decision(decision, actor=lawyer)
    assert Deadline.objects.filter(case=wrong, proceeding=proceeding).exists()
    return wrong, right, proceeding


def test_moving_a_proceeding_takes_its_deadlines_and_refreshes_both_cases(client, lawyer, moving):
    wrong, right, proceeding = moving
    assert Case.objects.get(pk=wrong.pk).last_activity_on == D(2023, 5, 10)
    client.force_login(lawyer)
    response = client.post(change_url(proceeding), proceeding_post(proceeding, case=right.pk))
    assert response.status_code == 302, errors_of(response)
    deadlines = Deadline.objects.filter(proceeding=proceeding)
    assert deadlines.exists() and set(deadlines.values_list("case", flat=True)) == {right.pk}
    assert not Deadline.objects.filter(case=wrong).exists()
    assert Case.objects.get(pk=wrong.pk).last_activity_on is None
    assert Case.objects.get(pk=right.pk).last_activity_on == D(2023, 5, 10)
    moved = deadlines.first().history.first()
    assert moved.history_user == lawyer and moved.history_change_reason.startswith("Moved with its proceeding")


def test_a_lawyer_cannot_move_a_proceeding_into_another_teams_case(client, lawyer, other_lawyer, moving):
    wrong, right, proceeding = moving
    right.team.set([other_lawyer])
    client.force_login(lawyer)
    response = client.post(change_url(proceeding), proceeding_post(proceeding, case=right.pk))
    assert response.status_code == 200
    assert any("valid choice" in error for error in errors_of(response))
    proceeding.refresh_from_db()
    assert proceeding.case == wrong
    # The action refuses it too, whatever path the request took.
    proceeding.case = right
    with pytest.raises(PermissionDenied):
        save_record(proceeding, actor=lawyer)
    assert set(Deadline.objects.values_list("case", flat=True)) == {wrong.pk}


def test_a_lawyer_cannot_move_another_teams_proceeding_into_their_case(client, lawyer, other_lawyer, moving):
    wrong, right, proceeding = moving
    wrong.team.set([other_lawyer])
    client.force_login(lawyer)
    response = client.post(change_url(proceeding), proceeding_post(proceeding, case=right.pk))
    assert response.status_code in (302, 403)  # a read-only page: nothing is saved
    proceeding.refresh_from_db()
    assert proceeding.case == wrong
    proceeding.case = right
    with pytest.raises(PermissionDenied):
        save_record(proceeding, actor=lawyer)
