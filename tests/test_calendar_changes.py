"""Calendar changes reach stored deadlines: staff overrides, `holidays` updates, provisional years."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from cases.actions.calendar import delete_calendar_override, save_calendar_override
from cases.actions.decisions import save_decision
from cases.models import CalendarOverride, Deadline, Decision
from casetracker.celery import app
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def eager_celery():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def appeal(lawyer):
    """A Russian first-instance decision whose appeal period ends on Saturday 26 December 2026."""
    case = factories.case(country="RU")
    case.team.add(lawyer)
    proceeding = factories.proceeding(case, procedure="kas", started_on=D(2026, 1, 1))
    decision = Decision(proceeding=proceeding, result="dismissed", announced_on=D(2026, 11, 20))
    decision.final_form_on = D(2026, 11, 26)
    save_decision(decision, actor=lawyer)
    deadline = decision.deadlines.get()
    assert deadline.due_on == D(2026, 12, 28)
    return deadline


def test_a_working_saturday_moves_the_stored_deadline_and_emails_the_team(
    appeal, editor, lawyer, mailoutbox, django_capture_on_commit_callbacks
):
    override = CalendarOverride(calendar="RU", day=D(2026, 12, 26), is_open=True, reason="Working Saturday")
    with django_capture_on_commit_callbacks(execute=True):
        save_calendar_override(override, actor=editor)
    appeal.refresh_from_db()
    assert (appeal.due_on, appeal.status) == (D(2026, 12, 26), "open")
    change = appeal.history.first()
    assert change.history_user == editor
    assert change.history_change_reason == (
        "Moved from 2026-12-28 to 2026-12-26 because the calendar entry for 2026-12-26 changed (Working Saturday)."
    )
    assert set(appeal.deliveries.filter(status="pending").values_list("send_at__date", flat=True)) >= {
        datetime.date(2026, 12, 26)
    }
    (email,) = mailoutbox
    assert email.to == [lawyer.email]
    assert email.subject.startswith("URGENT: deadline moved earlier:")
    assert "URGENT: the new date is earlier than before." in email.body
    assert "because the calendar entry for 2026-12-26 changed (Working Saturday)." in email.body


def test_deleting_the_override_moves_the_deadline_back_without_urgency(
    appeal, editor, mailoutbox, django_capture_on_commit_callbacks
):
    override = CalendarOverride(calendar="RU", day=D(2026, 12, 26), is_open=True, reason="Working Saturday")
    save_calendar_override(override, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        delete_calendar_override(override, actor=editor)
    appeal.refresh_from_db()
    assert appeal.due_on == D(2026, 12, 28)
    (email,) = mailoutbox
    assert email.subject.startswith("Deadline moved:") and "URGENT" not in email.body


def test_changing_an_overrides_day_recomputes_around_the_old_and_new_day(appeal, editor):
    override = CalendarOverride(calendar="RU", day=D(2026, 12, 28), reason="Court closed")
    save_calendar_override(override, actor=editor)
    appeal.refresh_from_db()
    assert appeal.due_on == D(2026, 12, 29)
    override.day = D(2026, 12, 1)
    save_calendar_override(override, actor=editor)
    appeal.refresh_from_db()
    assert appeal.due_on == D(2026, 12, 28)


def test_overrides_of_another_court_or_calendar_leave_the_deadline_alone(appeal, editor):
    other_court = factories.court()
    save_calendar_override(
        CalendarOverride(calendar="RU", court=other_court, day=D(2026, 12, 26), is_open=True, reason="Elsewhere"),
        actor=editor,
    )
    save_calendar_override(
        CalendarOverride(calendar="GB-ENG", day=D(2026, 12, 26), is_open=True, reason="England"), actor=editor
    )
    appeal.refresh_from_db()
    assert appeal.due_on == D(2026, 12, 28) and appeal.calendar_sequence == 0


def test_the_admin_saves_overrides_through_the_action(appeal, client, editor):
    from tests.admin_posts import add_url

    client.force_login(editor)
    data = {"calendar": "RU", "day": "2026-12-26", "is_open": "on", "reason": "Working Saturday"}
    assert client.post(add_url(CalendarOverride), data).status_code == 302
    appeal.refresh_from_db()
    assert appeal.due_on == D(2026, 12, 26)


def test_a_holidays_update_recomputes_stored_deadlines(appeal, mailoutbox, django_capture_on_commit_callbacks):
    # As if an older `holidays` had not known a closure: the stored date is a day off now.
    Deadline.objects.filter(pk=appeal.pk).update(due_on=D(2026, 12, 26), calendar_version="0.50")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_deadlines", stdout=None)
    appeal.refresh_from_db()
    assert (appeal.due_on, appeal.calendar_version) == (D(2026, 12, 28), __import__("holidays").__version__)
    assert "holiday calendar was updated (holidays 0.50 to" in appeal.history.first().history_change_reason
    (email,) = mailoutbox
    assert "URGENT" not in email.subject


def test_unchanged_deadlines_are_left_alone_by_the_daily_task(appeal):
    from cases.tasks import recompute_deadlines

    recompute_deadlines()
    appeal.refresh_from_db()
    assert appeal.calendar_sequence == 0 and appeal.history.count() == 1


def test_a_year_the_calendar_does_not_know_is_provisional(lawyer, frozen_today):
    from cases.deadlines.calendars import known_until

    year = known_until("RU")
    frozen_today.move_to(datetime.datetime(year, 12, 28, 12, tzinfo=datetime.UTC))
    case = factories.case(country="RU")
    case.team.add(lawyer)
    decision = Decision(proceeding=factories.proceeding(case, procedure="gpk"), result="dismissed")
    decision.announced_on = decision.final_form_on = D(year, 12, 27)
    save_decision(decision, actor=lawyer)
    deadline = decision.deadlines.get()
    assert deadline.is_provisional and deadline.status == "open"
    assert f"Provisional: the calendar for {year + 1} is not known yet." in deadline.warning


def test_setup_schedules_registers_the_daily_recomputation():
    from django_celery_beat.models import PeriodicTask

    call_command("setup_schedules", stdout=None)
    assert PeriodicTask.objects.get(task="cases.tasks.recompute_deadlines").crontab.hour == "7"
