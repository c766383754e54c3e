"""What reminders say: the real time left when they are sent, by the court's calendar, and readable errors."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine

from cases import reminders
from cases.actions.deadlines import save_deadline
from cases.models import Deadline
from cases.reminders.connection import readable_error
from tests import factories

pytestmark = pytest.mark.django_db
VLADIVOSTOK = datetime.timezone(datetime.timedelta(hours=10))  # no daylight saving there


def make_deadline(lawyer, due_on, due_time=None, kind="appeal", offsets=None):
    court = factories.court(timezone="Asia/Vladivostok")
    proceeding = factories.proceeding(factories.case(lead_lawyer=lawyer), court=court)
    obj = Deadline(case=proceeding.case, proceeding=proceeding, title="File the appeal", kind=kind)
    obj.due_on, obj.due_time, obj.reminder_offsets = due_on, due_time, offsets or []
    return save_deadline(obj, actor=lawyer, responsible=[lawyer])


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=VLADIVOSTOK)


DUE = datetime.date(2030, 3, 1)


@pytest.mark.parametrize(
    ("now", "due_time", "expected"),
    [
        (at(DUE, 9), None, "Due today"),
        (at(DUE, 23, 59), None, "Due today"),
        (at(DUE - datetime.timedelta(days=1), 23, 59), None, "Due tomorrow"),
        (at(DUE - datetime.timedelta(days=3), 9), None, "Due in 3 days"),
        (at(DUE - datetime.timedelta(days=10), 9), None, "Due in 10 days"),
        (at(DUE, 9), datetime.time(15), "Due today"),
        # A deadline with a time is overdue, not "due today", once the time has passed.
        (at(DUE, 17), datetime.time(15), "Overdue by 2 hours"),
        (at(DUE, 16), datetime.time(15), "Overdue by 1 hour"),
        (at(DUE, 15, 20), datetime.time(15), "Overdue by 20 minutes"),
        (at(DUE, 15), datetime.time(15), "Overdue by 1 minute"),
        (at(DUE + datetime.timedelta(days=2), 2), None, "Overdue by 1 day"),
        (at(DUE + datetime.timedelta(days=3), 0), None, "Overdue by 2 days"),
    ],
)
def test_time_left_follows_the_courts_calendar_and_clock(lawyer, now, due_time, expected):
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC), tick=False):
        deadline = make_deadline(lawyer, DUE, due_time)
    assert reminders.time_left(deadline, now) == expected


def test_time_left_counts_days_in_the_court_zone_not_the_servers(lawyer):
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC), tick=False):
        deadline = make_deadline(lawyer, DUE)
    # 20:00 UTC on 28 February is already 06:00 on 1 March in Vladivostok.
    assert reminders.time_left(deadline, datetime.datetime(2030, 2, 28, 20, tzinfo=datetime.UTC)) == "Due today"


@pytest.mark.parametrize(
    ("entered_days_before", "subject"),
    [(10, "Due in 10 days"), (2, "Due in 2 days"), (1, "Due tomorrow"), (0, "Due today")],
)
def test_reminder_queued_late_states_the_time_left_not_the_offset_it_replaced(
    lawyer, mailoutbox, entered_days_before, subject
):
    now = at(DUE - datetime.timedelta(days=entered_days_before), 11)
    with time_machine.travel(now, tick=False):
        deadline = make_deadline(lawyer, DUE)
        assert deadline.deliveries.filter(send_at__lte=now).count() == 1  # one catch-up, not a burst
        assert [reminders.send(pk) for pk in reminders.claim_due()] == ["sent"]
    (message,) = mailoutbox
    assert message.subject == f"{subject}: File the appeal"
    assert message.body.startswith(f"{subject}.")


def test_reminders_held_up_together_collapse_into_the_latest_one(lawyer, mailoutbox):
    with time_machine.travel(at(DUE - datetime.timedelta(days=20), 9), tick=False):
        deadline = make_deadline(lawyer, DUE)
    # The sweep did not run for a week: the 14-, 7- and 3-day reminders are all due at once.
    with time_machine.travel(at(DUE - datetime.timedelta(days=2), 12), tick=False):
        statuses = [reminders.send(pk) for pk in reminders.claim_due()]
    assert sorted(statuses) == ["cancelled", "cancelled", "sent"]
    (message,) = mailoutbox
    assert message.subject == "Due in 2 days: File the appeal"
    skipped = deadline.deliveries.filter(status="cancelled").first()
    assert "later reminder" in skipped.attempt_log[-1]["note"]
    assert deadline.deliveries.get(offset_days=1).status == "pending"  # tomorrow's still goes out


def test_deadline_due_before_the_send_hour_gets_no_reminder_after_it_passed(lawyer):
    with time_machine.travel(at(DUE - datetime.timedelta(days=20), 9), tick=False):
        deadline = make_deadline(lawyer, DUE, datetime.time(8))
    assert sorted(deadline.deliveries.values_list("offset_days", flat=True)) == [1, 3, 7, 14]


def test_one_day_is_singular_in_the_email(lawyer, mailoutbox):
    with time_machine.travel(at(DUE - datetime.timedelta(days=1), 9, 5), tick=False):
        make_deadline(lawyer, DUE, kind="other", offsets=[1])
        [reminders.send(pk) for pk in reminders.claim_due()]
    (message,) = mailoutbox
    assert "1 days" not in message.subject + message.body
    assert message.subject == "Due tomorrow: File the appeal"


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), "The mail server answered 451 4.3.0 Try again later."),
        (
            smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication credentials invalid"),
            "The mail server answered 535 5.7.8 Authentication credentials invalid.",
        ),
        (
            smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"5.1.1 No such user")}),
            "The mail server refused the recipient (a@example.org: 550 5.1.1 No such user).",
        ),
        (ConnectionRefusedError(111, "Connection refused"), "Could not reach the mail server: Connection refused."),
        (TimeoutError("timed out"), "The mail server did not answer in time."),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "unexpectedly closed"),
    ],
)
def test_errors_are_sentences_not_python_reprs(exc, expected):
    text = readable_error(exc)
    assert expected in text
    assert "b'" not in text and "Error(" not in text and not text.startswith("(")


def test_each_attempt_keeps_its_own_error(lawyer):
    with time_machine.travel(at(DUE - datetime.timedelta(days=14), 9, 5), tick=False) as frozen:
        deadline = make_deadline(lawyer, DUE)
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError(111, "refused")):
            reminders.send(*reminders.claim_due())
        frozen.move_to(deadline.deliveries.get(offset_days=14).send_at)
        with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtplib.SMTPDataError(452, b"Mailbox full")):
            reminders.send(*reminders.claim_due())
        frozen.move_to(deadline.deliveries.get(offset_days=14).send_at)
        reminders.send(*reminders.claim_due())
    row = deadline.deliveries.get(offset_days=14)
    assert row.status == "sent" and row.last_error == ""
    assert [entry["error"] for entry in row.attempt_log] == [
        "Could not reach the mail server: refused.",
        "The mail server answered 452 Mailbox full.",
    ]
