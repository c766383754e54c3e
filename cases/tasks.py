"""Celery tasks: thin wrappers that load ids and call domain functions."""

import smtplib

from celery import shared_task
from celery.signals import worker_process_shutdown

from . import datadump, reminders

# Alerts are single emails outside the delivery log, so Celery's own retry (short, bounded) is enough.
EMAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


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


@shared_task(**EMAIL_RETRY)
def send_failure_alert(delivery_id):
    """Tell the editors a reminder failed for good."""
    reminders.send_failure_alert(delivery_id)


@shared_task
def check_overdue():
    """Queue one alert for each deadline that has just passed while open."""
    return reminders.escalate_overdue()


@shared_task(**EMAIL_RETRY)
def send_overdue_alert(deadline_id):
    """Email the lead lawyer and editors about one overdue deadline."""
    return reminders.send_overdue_alert(deadline_id)


@shared_task
def queue_weekly_digests():
    """Queue the weekly digest for every user who opted in."""
    return reminders.queue_weekly_digests()


@shared_task(**EMAIL_RETRY)
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
