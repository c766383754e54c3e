"""The email tasks retry SMTP failures on the reminders' schedule, for the same window."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry

from cases import tasks

NOW = datetime.datetime(2030, 2, 1, 12, tzinfo=datetime.UTC)
DOWN = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def failing_alert():
    with (
        time_machine.travel(NOW, tick=False),
        mock.patch("cases.reminders.send_failure_alert", side_effect=DOWN),
        mock.patch.object(tasks.send_failure_alert, "retry", side_effect=Retry()) as retry,
    ):
        yield retry


def test_a_failed_alert_retries_with_the_reminders_backoff(failing_alert, settings):
    tasks.send_failure_alert.apply(args=[7])
    kwargs = failing_alert.call_args.kwargs
    assert settings.REMINDER_RETRY_BASE_SECONDS / 2 <= kwargs["countdown"] <= settings.REMINDER_RETRY_BASE_SECONDS
    assert kwargs["kwargs"] == {"failing_since": NOW.isoformat()}
    assert kwargs["exc"] is DOWN


def test_later_retries_keep_the_first_failure_time_and_stop_after_the_window(failing_alert, settings):
    window = datetime.timedelta(seconds=settings.REMINDER_RETRY_WINDOW_SECONDS)
    almost = (NOW - window + datetime.timedelta(minutes=1)).isoformat()
    tasks.send_failure_alert.apply(args=[7], kwargs={"failing_since": almost}, retries=20)
    assert failing_alert.call_args.kwargs["kwargs"] == {"failing_since": almost}
    assert failing_alert.call_args.kwargs["countdown"] <= settings.REMINDER_RETRY_MAX_DELAY_SECONDS
    failing_alert.reset_mock()
    result = tasks.send_failure_alert.apply(args=[7], kwargs={"failing_since": (NOW - window).isoformat()})
    assert failing_alert.call_count == 0 and isinstance(result.result, smtplib.SMTPServerDisconnected)


def test_each_kind_of_work_has_its_own_queue():
    from casetracker.celery import app

    def queue(task):
        return app.amqp.router.route({}, task)["queue"].name

    assert queue("cases.tasks.send_reminder") == "reminders"
    assert queue("cases.tasks.extract_document_text") == "documents"  # OCR never waits in front of a reminder
    assert queue("cases.tasks.build_export") == queue("cases.tasks.remove_expired_exports") == "exports"
    assert queue("cases.tasks.write_data_dump") == "dump"
    assert queue("alerts.tasks.send_digests") == "alerts"
