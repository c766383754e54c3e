"""Deadlines that recording a decision creates, recomputes and cancels."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.actions.decisions import save_decision
from cases.models import CalendarOverride, Deadline, Decision
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def record(proceeding, actor, **fields):
    decision = Decision(proceeding=proceeding, result="dismissed", **fields)
    return save_decision(decision, actor=actor)


@pytest.fixture
def russian_case(lawyer):
    case = factories.case(country="RU", filed_on=D(2022, 3, 1))
    case.team.add(lawyer)
    return case


def test_russian_first_instance_decision_creates_appeal_from_final_form_date(russian_case, lawyer):
    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.trigger_date, deadline.due_on) == ("ru-appeal", D(2023, 5, 15), D(2023, 6, 15))
    assert deadline.status == Deadline.Status.OPEN and deadline.kind == "appeal"
    assert "GPK RF art. 321(2)" in deadline.citation
    assert "Raw end: 2023-06-15." in deadline.explanation
    assert deadline.warning == ""
    assert list(deadline.responsible.all()) == []  # blank: the case team
    assert set(deadline.deliveries.values_list("recipient", flat=True)) == {lawyer.pk}
    assert deadline.history.first().history_user == lawyer


def test_date_correction_recomputes_open_deadline_and_records_history(russian_case, lawyer, editor):
    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    decision.final_form_on = D(2023, 5, 16)
    save_decision(decision, actor=editor)
    deadline = decision.deadlines.get()
    assert (deadline.trigger_date, deadline.due_on) == (D(2023, 5, 16), D(2023, 6, 16))
    latest = deadline.history.first()
    assert latest.history_user == editor
    assert "2023-06-15 is now 2023-06-16" in latest.history_change_reason
    assert deadline.calendar_sequence == 1
    assert deadline.deliveries.filter(status="pending").count() == 5


def test_correction_leaves_completed_deadline_alone(russian_case, lawyer):
    from cases.actions.deadlines import complete_deadline

    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    complete_deadline(decision.deadlines.get(), actor=lawyer)
    decision.final_form_on = D(2023, 5, 17)
    save_decision(decision, actor=lawyer)
    assert decision.deadlines.get().due_on == D(2023, 6, 15)


def test_final_decision_creates_echr_deadline_with_russia_warning(lawyer):
    case = factories.case(country="RU", filed_on=D(2022, 10, 1))
    case.team.add(lawyer)
    proceeding = factories.proceeding(case, court=factories.court(level="appeal"), started_on=D(2022, 10, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 1, 20), is_final=True)
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("echr-application", D(2023, 5, 20))
    assert "16 September 2022" in deadline.warning


def test_echr_deadline_for_facts_before_russia_left_has_no_warning(russian_case, lawyer):
    proceeding = factories.proceeding(russian_case, court=factories.court(level="appeal"), started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 1, 20), is_final=True)
    assert decision.deadlines.get().warning == ""


def test_us_district_court_picks_sixty_days_when_government_is_a_party(lawyer):
    case = factories.case(country="US")
    case.team.add(lawyer)
    court = factories.court(country="US", timezone="America/New_York")
    decision = record(factories.proceeding(case, court=court), lawyer, announced_on=D(2023, 5, 1))
    assert decision.deadlines.get().rule_code == "us-frap-4a1a"

    other = factories.case(country="US")
    other.team.add(lawyer)
    factories.participation(other, role="defendant", party=factories.party(kind="agency", country="US"))
    decision = record(factories.proceeding(other, court=court), lawyer, announced_on=D(2023, 5, 1))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("us-frap-4a1b", D(2023, 6, 30))


def test_uk_decision_uses_cpr_and_staff_closure(lawyer):
    case = factories.case(country="GB")
    case.team.add(lawyer)
    court = factories.court(country="GB", timezone="Europe/London")
    CalendarOverride.objects.create(calendar="GB-ENG", court=court, day=D(2023, 5, 31), reason="Building works")
    decision = record(factories.proceeding(case, court=court), lawyer, announced_on=D(2023, 5, 10))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("uk-cpr-52-12", D(2023, 6, 1))
    assert "Building works" in deadline.explanation


def test_decision_no_longer_triggering_a_rule_cancels_its_open_deadline(russian_case, lawyer):
    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    decision.is_final = True
    save_decision(decision, actor=lawyer)
    statuses = dict(decision.deadlines.values_list("rule_code", "status"))
    assert statuses == {"ru-appeal": "cancelled", "echr-application": "open"}
    assert not decision.deadlines.get(rule_code="ru-appeal").deliveries.filter(status="pending").exists()


def test_old_decision_creates_no_passed_deadline(russian_case, lawyer):
    proceeding = factories.proceeding(russian_case, started_on=D(2019, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2019, 11, 6), final_form_on=D(2019, 11, 12))
    assert not decision.deadlines.exists()


def test_future_decision_date_is_a_clear_error_and_saves_nothing(russian_case, lawyer):
    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    with pytest.raises(ValidationError, match="in the future"):
        record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 7, 1))
    assert not Decision.objects.exists() and not Deadline.objects.exists()


def test_case_without_team_gets_deadline_with_warning(lawyer):
    proceeding = factories.proceeding(factories.case(country="RU"), started_on=D(2022, 3, 1))
    decision = record(proceeding, None, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert "Nobody would be reminded" in deadline.warning
    assert not deadline.deliveries.exists()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_recording_a_decision_in_the_admin_creates_its_deadline(editor_client, russian_case, lawyer):
    from tests.admin_posts import change_url, proceeding_post

    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    row = {"announced_on": "2023-05-10", "final_form_on": "2023-05-15", "result": "dismissed", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    assert response.status_code == 302
    deadline = Deadline.objects.get()
    assert (deadline.rule_code, deadline.due_on, deadline.status) == ("ru-appeal", D(2023, 6, 15), "open")
    page = editor_client.get(change_url(deadline)).content.decode()
    assert "GPK RF art. 321(2)" in page and "Raw end: 2023-06-15." in page


def test_admin_refuses_a_deadline_nobody_would_be_reminded_of(editor_client):
    from tests.admin_posts import add_url

    case = factories.case()
    data = {"case": case.pk, "title": "Reply", "kind": "other", "due_on": "2023-06-01", "reminder_offsets": "[]"}
    data |= {"deliveries-TOTAL_FORMS": 0, "deliveries-INITIAL_FORMS": 0}
    response = editor_client.post(add_url(Deadline), data)
    assert response.status_code == 200
    assert "Nobody would be reminded" in response.content.decode()
    assert not Deadline.objects.exists()


def test_admin_actions_close_deadlines_and_the_delivery_log_is_read_only(editor_client, russian_case, lawyer):
    from tests.admin_posts import change_url

    proceeding = factories.proceeding(russian_case, started_on=D(2022, 3, 1))
    deadline = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15)).deadlines.get()
    changelist = reverse("admin:cases_deadline_changelist")
    response = editor_client.post(changelist, {"action": "mark_done", "_selected_action": [deadline.pk]})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == "done"
    assert set(deadline.deliveries.values_list("status", flat=True)) == {"cancelled"}
    log = editor_client.get(reverse("admin:cases_reminderdelivery_changelist"))
    assert log.status_code == 200 and "Cancelled" in log.content.decode()
    row = deadline.deliveries.first()
    assert editor_client.post(change_url(row), {}).status_code == 403


def test_final_public_decision_sets_case_outcome(editor):
    case_obj = factories.case(published=True)
    proceeding = factories.proceeding(case_obj)
    decision = Decision(
        proceeding=proceeding, announced_on=datetime.date(2019, 11, 6), result="dismissed", is_final=True
    )
    save_decision(decision, actor=editor)
    case_obj.refresh_from_db()
    assert case_obj.outcome == "dismissed"
    assert case_obj.history.first().history_user == editor


def test_confidential_decision_does_not_set_public_outcome(editor):
    case_obj = factories.case(published=True)
    decision = Decision(
        proceeding=factories.proceeding(case_obj),
        announced_on=datetime.date(2019, 11, 6),
        result="granted",
        is_final=True,
        is_public=False,
    )
    save_decision(decision, actor=editor)
    case_obj.refresh_from_db()
    assert case_obj.outcome == ""
