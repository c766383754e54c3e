"""A 5xx that hits every message pauses sending, alerts editors once and resumes on recovery."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine

from cases import reminders
from cases.actions.deadlines import save_deadline
from cases.models import Deadline, ReminderDelivery, ReminderOutage
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2030, 2, 1, 12, tzinfo=datetime.UTC)
BAD_PASSWORD = smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def due_rows(lawyer):
    """Ten reminders due now, each of its own deadline."""
    case = factories.case(lead_lawyer=lawyer)
    for n in range(10):
        deadline = Deadline(case=case, title=f"D{n}", kind="other", due_on=datetime.date(2030, 2, 5))
        deadline.reminder_offsets = [7]
        save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    return ReminderDelivery.objects.all()


def sweep_and_send(error=None):
    """Claim due rows and send them, the mail server failing with error; return the statuses."""
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=error):
        return [reminders.send(pk) for pk in reminders.claim_due()]


def statuses():
    return sorted(ReminderDelivery.objects.values_list("status", flat=True))


def test_the_same_5xx_for_every_send_pauses_sending_and_loses_nothing(
    due_rows, editor, frozen, settings, django_capture_on_commit_callbacks, mailoutbox
):
    threshold = settings.REMINDER_OUTAGE_THRESHOLD
    with (
        mock.patch("cases.tasks.send_failure_alert.delay") as failure_alerts,
        mock.patch("cases.tasks.send_outage_alert.delay") as outage_alert,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = sweep_and_send(BAD_PASSWORD)
    # The first sends fail one by one until the run shows; then every row waits, untried or failed, none lost.
    assert sent == ["failed"] * (threshold - 1) + ["pending"] * (10 - threshold + 1)
    assert statuses() == ["pending"] * 10
    assert ReminderDelivery.objects.filter(attempts=1).count() == threshold  # the rest were held back untried
    outage = ReminderOutage.objects.get()
    assert outage.paused_at == NOW and outage.code == 535
    # One alert for the outage; the early rows' own alerts find them waiting again and send nothing.
    assert [reminders.send_failure_alert(*call.args) for call in failure_alerts.call_args_list] == [0] * (threshold - 1)
    outage_alert.assert_called_once()
    reminders.send_outage_alert(*outage_alert.call_args.args)
    (alert,) = mailoutbox
    assert alert.to == [editor.email]
    assert alert.subject == "Reminder emails paused: the mail server refuses every message"
    assert "535 5.7.8 Authentication credentials invalid" in alert.body

    assert reminders.claim_due() == []  # paused: no sends until the trial is due
    frozen.move_to(outage.probe_at)
    assert sweep_and_send(BAD_PASSWORD) == ["pending"]  # one trial send, refused again
    assert reminders.claim_due() == []
    outage.refresh_from_db()
    frozen.move_to(outage.probe_at)
    with (
        mock.patch("cases.tasks.sweep_reminders.delay") as sweep,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep_and_send() == ["sent"]  # the server is fixed: the trial goes through
    sweep.assert_called_once()  # and the waiting rows go out at once, not at the next beat
    assert ReminderOutage.objects.get().paused_at is None
    assert sweep_and_send() == ["sent"] * 9
    assert statuses() == ["sent"] * 10
    assert len(mailoutbox) == 1  # no second alert


def test_a_success_between_refusals_means_those_recipients_were_refused(due_rows, settings):
    assert sweep_and_send([BAD_PASSWORD, BAD_PASSWORD, None, BAD_PASSWORD, *[None] * 6]) == [
        "failed",
        "failed",
        "sent",
        "failed",
        *["sent"] * 6,
    ]
    assert not ReminderOutage.objects.filter(paused_at__isnull=False).exists()


def test_different_5xx_codes_do_not_make_a_run(due_rows):
    relay_denied = smtplib.SMTPRecipientsRefused({"lawyer@example.org": (550, b"5.7.1 Relaying denied")})
    assert sweep_and_send([BAD_PASSWORD, relay_denied, BAD_PASSWORD, relay_denied, *[None] * 6])[:4] == ["failed"] * 4
    assert not ReminderOutage.objects.filter(paused_at__isnull=False).exists()


def test_transient_failures_neither_count_nor_break_a_run(due_rows, settings):
    settings.REMINDER_OUTAGE_THRESHOLD = 2
    unavailable = smtplib.SMTPDataError(451, b"try later")
    assert sweep_and_send([BAD_PASSWORD, unavailable, BAD_PASSWORD, *[BAD_PASSWORD] * 7]) == [
        "failed",
        "pending",
        "pending",
        *["pending"] * 7,
    ]
    assert ReminderOutage.objects.get().paused_at == NOW


def test_while_paused_another_5xx_is_about_that_message_and_fails_it(due_rows, frozen):
    sweep_and_send(BAD_PASSWORD)
    frozen.move_to(ReminderOutage.objects.get().probe_at)
    no_such_user = smtplib.SMTPRecipientsRefused({"lawyer@example.org": (550, b"5.1.1 No such user")})
    assert sweep_and_send(no_such_user) == ["failed"]
    assert ReminderOutage.objects.get().paused_at == NOW  # still paused: the password is still wrong
