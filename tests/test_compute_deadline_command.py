"""The compute_deadline and setup_schedules commands."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from cases.deadlines.engine import compute
from cases.deadlines.rules import RULES, TRIGGER_LABELS
from cases.models import CalendarOverride

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("compute_deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_prints_date_first_then_explanation():
    lines = run("us-frap-4a1a", "2024-06-20")
    assert lines[0] == "2024-07-22"
    assert "Trigger (entry of the judgment): 2024-06-20." in lines
    assert "Raw end: 2024-07-20." in lines
    assert "Rolled over 2024-07-20: a Saturday." in lines
    assert lines[-1].startswith("Citation: FRAP 4(a)(1)(A)")


def test_honours_country_wide_staff_override():
    CalendarOverride.objects.create(calendar="RU", day="2023-06-15", reason="Court closed for repairs")
    lines = run("ru-appeal", "2023-05-15")
    assert lines[0] == "2023-06-16"
    assert "Rolled over 2023-06-15: court closed: Court closed for repairs." in lines


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_code_works_and_names_its_trigger(code):
    lines = run(code, "2024-03-01")
    assert lines[0] == compute(RULES[code], datetime.date(2024, 3, 1)).deadline.isoformat()
    assert lines[2].startswith(f"Trigger ({TRIGGER_LABELS[RULES[code].trigger]}): 2024-03-01.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ru-apeal", "2023-05-15"), "Unknown rule 'ru-apeal'"),
        (("ru-appeal", "15.05.2023"), "not a date"),
        (("ru-appeal", "2999-01-01"), "in the future"),
        (("ru-koap-complaint", "2023-02-30"), "not a date"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_bad_input_exits_non_zero(capsys):
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "compute_deadline", "nope", "2023-01-01"]).execute()
    assert exit_info.value.code == 1
    assert "Unknown rule" in capsys.readouterr().err


def test_setup_schedules_is_idempotent_and_keeps_staff_changes():
    call_command("setup_schedules", stdout=None)
    sweep = PeriodicTask.objects.get(task="cases.tasks.sweep_reminders")
    sweep.enabled = False
    sweep.save()
    call_command("setup_schedules", stdout=None)
    mine = ["cases.tasks.sweep_reminders", "cases.tasks.check_overdue", "cases.tasks.queue_weekly_digests"]
    assert PeriodicTask.objects.filter(task__in=mine).count() == 3
    assert not PeriodicTask.objects.get(task="cases.tasks.sweep_reminders").enabled


def test_send_reminders_runs_one_sweep_and_overdue_check(lawyer, django_capture_on_commit_callbacks):
    import datetime
    from io import StringIO

    from django.utils import timezone

    from cases.actions.deadlines import save_deadline
    from cases.models import Deadline, ReminderDelivery
    from tests import factories

    deadline = Deadline(
        case=factories.case(lead_lawyer=lawyer), title="Reply", kind="other", due_on=timezone.localdate()
    )
    deadline.reminder_offsets = [0]
    save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    ReminderDelivery.objects.update(send_at=timezone.now() - datetime.timedelta(minutes=1))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "Queued 1 reminder(s) and 0 overdue alert(s)."
    assert ReminderDelivery.objects.get().status == "sending" and len(queued) == 1
