"""Reminders through the real thing: Redis broker, a `celery worker` process, PostgreSQL and an SMTP server.

Each test counts what the SMTP server actually accepted, by Message-ID.
"""

import collections
import datetime
import time
import zoneinfo

import pytest
from django.utils import formats, timezone

from cases.actions.deadlines import save_deadline
from cases.models import Deadline, ReminderDelivery, ReminderOutage
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]
SWEEP = "cases.tasks.sweep_reminders"


def due_reminders(count, recipients):
    """Create count deadlines due today with one reminder each per recipient, all due now."""
    case = factories.case(lead_lawyer=recipients[0])
    for n in range(count):
        deadline = Deadline(case=case, title=f"Deadline {n}", kind="other", due_on=timezone.localdate())
        deadline.reminder_offsets = [0]
        save_deadline(deadline, actor=recipients[0], responsible=recipients)
    ReminderDelivery.objects.update(send_at=timezone.now() - datetime.timedelta(minutes=1))
    return set(ReminderDelivery.objects.values_list("message_id", flat=True))


def wait_for(condition, timeout=120, every=0.2, then=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; statuses: {statuses()}")
        if then:
            then()
        time.sleep(every)


def statuses():
    return collections.Counter(ReminderDelivery.objects.values_list("status", flat=True))


def assert_each_delivered_once(smtp_server, expected):
    received = collections.Counter(smtp_server.message_ids())
    assert set(received) == expected
    assert max(received.values()) == 1, [mid for mid, n in received.items() if n > 1]
    assert statuses() == {"sent": len(expected)}


def test_worker_sends_due_reminders_once_each(celery_worker_process, smtp_server, lawyer):
    expected = due_reminders(20, [lawyer])
    worker = celery_worker_process()
    worker.call(SWEEP)
    wait_for(lambda: statuses() == {"sent": 20})
    worker.call(SWEEP)  # a later sweep finds nothing to do
    time.sleep(1)
    assert_each_delivered_once(smtp_server, expected)
    message = smtp_server.messages[0]
    assert message.is_multipart() and {part.get_content_type() for part in message.walk()} >= {
        "text/plain",
        "text/html",
    }


def test_smtp_down_then_back_delivers_everything_once(celery_worker_process, smtp_server, lawyer):
    expected = due_reminders(30, [lawyer])
    smtp_server.down()
    worker = celery_worker_process(REMINDER_RETRY_BASE_SECONDS=1, REMINDER_RETRY_MAX_DELAY_SECONDS=2)
    worker.call(SWEEP)
    wait_for(lambda: ReminderDelivery.objects.filter(attempts__gte=1, status="pending").count() == 30)
    assert "Connection refused" in ReminderDelivery.objects.first().last_error
    smtp_server.up()
    wait_for(lambda: statuses() == {"sent": 30}, every=1, then=lambda: worker.call(SWEEP))
    assert_each_delivered_once(smtp_server, expected)


def test_smtp_4xx_then_recovery_delivers_everything_once(celery_worker_process, smtp_server, lawyer):
    expected = due_reminders(10, [lawyer])
    smtp_server.fail_with("451 4.3.0 Try again later")
    worker = celery_worker_process(REMINDER_RETRY_BASE_SECONDS=1, REMINDER_RETRY_MAX_DELAY_SECONDS=2)
    worker.call(SWEEP)
    wait_for(
        lambda: ReminderDelivery.objects.filter(attempts__gte=2).count() == 10, every=1, then=lambda: worker.call(SWEEP)
    )
    smtp_server.recover()
    wait_for(lambda: statuses() == {"sent": 10}, every=1, then=lambda: worker.call(SWEEP))
    assert_each_delivered_once(smtp_server, expected)


def test_permanent_refusal_fails_the_row_and_alerts_editors(celery_worker_process, smtp_server, lawyer, editor):
    due_reminders(1, [lawyer])
    smtp_server.refuse(lawyer.email, "550 5.1.1 No such user")
    worker = celery_worker_process()
    worker.call(SWEEP)
    wait_for(lambda: statuses() == {"failed": 1})
    wait_for(lambda: len(smtp_server.messages) == 1)
    (alert,) = smtp_server.messages
    assert alert["To"] == editor.email and "Reminder not delivered" in alert["Subject"]
    assert "550" in ReminderDelivery.objects.get().last_error


def test_worker_killed_mid_sweep_then_restarted_delivers_each_reminder_exactly_once(
    celery_worker_process, smtp_server, lawyer
):
    expected = due_reminders(500, [lawyer])
    worker = celery_worker_process(REMINDER_CLAIM_LEASE_SECONDS=2)
    worker.call(SWEEP)
    wait_for(lambda: len(smtp_server.messages) >= 100, every=0.05)
    # Freeze both pool processes in the middle of an SMTP conversation (DATA sent, no reply yet), so the kill
    # lands mid-send. The server drops messages it never answered, as a real one does.
    smtp_server.hold()
    smtp_server.wait_held(2)
    worker.kill()
    smtp_server.release()
    sent_before_restart = len(smtp_server.messages)
    assert sent_before_restart < 500
    assert statuses()["sending"] > 0  # rows claimed by the dead worker

    worker = celery_worker_process(REMINDER_CLAIM_LEASE_SECONDS=2)
    wait_for(lambda: statuses() == {"sent": 500}, every=1, then=lambda: worker.call(SWEEP))
    assert_each_delivered_once(smtp_server, expected)


def test_two_sweeps_at_once_send_no_duplicates(celery_worker_process, smtp_server, lawyer, other_lawyer):
    expected = due_reminders(100, [lawyer, other_lawyer])
    worker = celery_worker_process(concurrency=4)
    worker.call(SWEEP)
    worker.call(SWEEP)
    wait_for(lambda: statuses() == {"sent": 200})
    time.sleep(1)
    assert_each_delivered_once(smtp_server, expected)


def court_zone_away_from_midnight():
    """Return a court zone where it is now between 01:00 and 23:00, so no date changes while the test runs."""
    for name in ["Europe/Moscow", "Asia/Vladivostok", "America/New_York"]:
        if 1 <= timezone.now().astimezone(zoneinfo.ZoneInfo(name)).hour < 23:
            return name
    raise AssertionError("unreachable: these zones are more than two hours apart")


def test_deadlines_entered_late_are_reminded_with_the_time_left_by_the_calendar(
    celery_worker_process, smtp_server, lawyer
):
    """Deadlines entered 10, 2, 1 and 0 days before they are due: every email states the real time left."""
    court = factories.court(timezone=court_zone_away_from_midnight())
    proceeding = factories.proceeding(factories.case(lead_lawyer=lawyer), court=court)
    today = timezone.now().astimezone(court.zone).date()
    wording = {10: "Due in 10 days", 2: "Due in 2 days", 1: "Due tomorrow", 0: "Due today"}
    for days in wording:
        deadline = Deadline(case=proceeding.case, proceeding=proceeding, title=f"T-{days}", kind="appeal")
        deadline.due_on = today + datetime.timedelta(days=days)
        save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    worker = celery_worker_process()
    worker.call(SWEEP)
    wait_for(lambda: len(smtp_server.messages) == 4)  # one catch-up each, not a burst of every passed offset

    # Then the sweep stops for days (beat was down): every remaining reminder is due at once.
    waiting = set(ReminderDelivery.objects.filter(status="pending").values_list("deadline__title", flat=True))
    ReminderDelivery.objects.filter(status="pending").update(send_at=timezone.now() - datetime.timedelta(minutes=1))
    worker.call(SWEEP)
    wait_for(lambda: not {"pending", "sending"} & set(statuses()))
    time.sleep(1)
    messages = smtp_server.messages
    assert len(messages) == 4 + len(waiting)  # what piled up for one deadline went out as one reminder
    assert collections.Counter(message["Message-ID"] for message in messages).most_common(1)[0][1] == 1
    for message in messages:
        days = int(message["Subject"].rsplit("T-", 1)[1])
        assert message["Subject"] == f"{wording[days]}: T-{days}"
        body = message.get_payload()[0].get_payload(decode=True).decode()
        assert body.splitlines()[0] == f"{wording[days]}."
        due_on = formats.date_format(today + datetime.timedelta(days=days), "DATE_FORMAT")
        assert f"Due: {due_on} until 24:00 ({court.timezone})" in body
        assert " 1 days" not in body
    assert collections.Counter(m["Subject"] for m in messages) == collections.Counter(
        [f"{wording[days]}: T-{days}" for days in wording] + [f"{wording[int(t[2:])]}: {t}" for t in waiting]
    )


# A real outage of a bad SMTP password lasts minutes; the test keeps the server answering 535 for
# OUTAGE_SECONDS with the retry delays scaled down from 60 s-30 min to 1-2 s, so the worker makes more trial
# sends during the outage than it would in 10 real minutes with the defaults (about five).
OUTAGE_SECONDS = 30


def test_smtp_refusing_everything_with_535_pauses_then_recovers_losing_and_repeating_nothing(
    celery_worker_process, smtp_server, lawyer, editor
):
    expected = due_reminders(30, [lawyer])
    smtp_server.refuse_all("535 5.7.8 Authentication credentials invalid")
    worker = celery_worker_process(REMINDER_RETRY_BASE_SECONDS=1, REMINDER_RETRY_MAX_DELAY_SECONDS=2)
    worker.call(SWEEP)
    wait_for(lambda: ReminderOutage.objects.filter(paused_at__isnull=False).exists())
    outage_ends = time.monotonic() + OUTAGE_SECONDS
    while time.monotonic() < outage_ends:
        worker.call(SWEEP)  # what beat does every few minutes
        time.sleep(1)
        assert "failed" not in statuses()  # refused reminders wait; none is given up
    tried = sum(ReminderDelivery.objects.values_list("attempts", flat=True))
    assert tried < 30 + OUTAGE_SECONDS  # only trial sends while paused, not every row again and again
    assert not smtp_server.messages

    smtp_server.recover()
    wait_for(lambda: statuses() == {"sent": 30}, every=1, then=lambda: worker.call(SWEEP))
    wait_for(lambda: len(smtp_server.messages) == 31)  # the editors' outage alert was retried until it went
    time.sleep(2)
    reminders = [message for message in smtp_server.messages if message["Message-ID"] in expected]
    assert collections.Counter(message["Message-ID"] for message in reminders) == dict.fromkeys(expected, 1)
    (alert,) = [message for message in smtp_server.messages if message["Message-ID"] not in expected]
    assert alert["To"] == editor.email and "paused" in alert["Subject"]
    assert "535 5.7.8 Authentication credentials invalid" in alert.get_payload()[0].get_payload(decode=True).decode()
