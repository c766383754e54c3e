"""Celery tasks: thin wrappers that load ids and call domain functions."""

import datetime
import smtplib

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.utils import timezone

from . import datadump, exportjobs, reminders, search
from .reminders.retry import gave_up, retry_delay


def email_task(func):
    """Make func a task that retries SMTP failures on the reminders' schedule, for the same retry window.

    Alerts are single emails outside the delivery log, so the task itself retries. Its delays stay well
    under the broker's visibility timeout, so Redis never redelivers a waiting retry.
    """

    def run(self, *args, failing_since=None):
        try:
            return func(*args)
        except (smtplib.SMTPException, OSError) as exc:
            now = timezone.now()
            since = datetime.datetime.fromisoformat(failing_since) if failing_since else now
            if gave_up(since, now):
                raise
            raise self.retry(
                exc=exc,
                countdown=retry_delay(self.request.retries + 1).total_seconds(),
                kwargs={"failing_since": since.isoformat()},
            ) from exc

    run.__doc__ = func.__doc__
    return shared_task(bind=True, max_retries=None, name=f"{__name__}.{func.__name__}")(run)


@worker_process_shutdown.connect
def close_smtp_connection(**kwargs):
    """Say QUIT on the pool process's reminder SMTP connection before the process exits."""
    reminders.close_shared_connection()


@shared_task
def sweep_reminders():
    """Claim due reminders and queue their sends."""
    return reminders.sweep()


@shared_task
def send_reminder(delivery_id):
    """Send one claimed reminder; the row records success, retry or failure."""
    return reminders.send(delivery_id)


@email_task
def send_failure_alert(delivery_id):
    """Tell the editors a reminder failed for good."""
    return reminders.send_failure_alert(delivery_id)


@email_task
def send_outage_alert(code, error, paused_at):
    """Tell the editors once that the mail server refuses every reminder and sending is paused."""
    return reminders.send_outage_alert(code, error, paused_at)


@shared_task
def check_overdue():
    """Queue one alert for each deadline that has just passed while open."""
    return reminders.escalate_overdue()


@email_task
def send_overdue_alert(deadline_id):
    """Email the lead lawyer and editors about one overdue deadline."""
    return reminders.send_overdue_alert(deadline_id)


@shared_task
def queue_weekly_digests():
    """Queue the weekly digest for every user who opted in."""
    return reminders.queue_weekly_digests()


@email_task
def send_weekly_digest(user_id):
    """Email one user their deadlines for the next 14 days."""
    return reminders.send_digest(user_id)


@shared_task
def extract_document_text(document_text_id, force=False):
    """Read one uploaded document's text (in a limited child process) and index it for search."""
    from .actions.documents import extract_document

    extract_document(document_text_id, force=force)


@shared_task
def write_data_dump():
    """Rebuild the public open-data dump served at /data/."""
    return datadump.write_dump()


@shared_task
def refresh_search_vectors(case_ids):
    """Recompute the search entries of the given cases, e.g. after a party they name was renamed."""
    search.refresh_search_vectors(case_ids)


@email_task
def send_deadline_moved(deadline_id, old, new, cause):
    """Email a deadline's team that its date moved from old to new because cause."""
    from .deadlines.notices import send_moved_notice

    return send_moved_notice(deadline_id, old, new, cause)


@shared_task
def recompute_deadlines():
    """Recompute deadlines computed with an older holiday calendar, or still provisional."""
    from .actions.calendar import recompute_for_calendar_update

    return recompute_for_calendar_update()


@shared_task
def build_export(job_id):
    """Build one export job's file."""
    exportjobs.build(job_id)


@shared_task
def remove_expired_exports():
    """Delete export jobs past their expiry, with their files."""
    exportjobs.remove_expired()
