"""Reminders through the real thing: Redis broker, a `celery worker` process, PostgreSQL and an SMTP server.

Each test counts what the SMTP server actually accepted, by Message-ID.
"""

import collections
import datetime
import time

import pytest
from django.utils import timezone

from cases.actions.deadlines import save_deadline
from cases.models import Deadline, ReminderDelivery
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
    worker = celery_worker_process(REMINDER_RETRY_BASE_SECONDS=1, REMINDER_MAX_ATTEMPTS=50)
    worker.call(SWEEP)
    wait_for(lambda: ReminderDelivery.objects.filter(attempts__gte=1, status="pending").count() == 30)
    assert "Connection refused" in ReminderDelivery.objects.first().last_error
    smtp_server.up()
    wait_for(lambda: statuses() == {"sent": 30}, every=1, then=lambda: worker.call(SWEEP))
    assert_each_delivered_once(smtp_server, expected)


def test_smtp_4xx_then_recovery_delivers_everything_once(celery_worker_process, smtp_server, lawyer):
    expected = due_reminders(10, [lawyer])
    smtp_server.fail_with("451 4.3.0 Try again later")
    worker = celery_worker_process(REMINDER_RETRY_BASE_SECONDS=1, REMINDER_MAX_ATTEMPTS=50)
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
