"""Celery tasks for follower emails; each is a thin wrapper around alerts.emails."""

from celery import shared_task

from . import emails


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_confirmation(follow_id, token):
    return emails.send_confirmation(follow_id, token)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_alerts(subscriber_id, frequency):
    return emails.send_alerts(subscriber_id, frequency)


@shared_task
def send_digests(frequency):
    """Queue one digest per subscriber with pending alerts at frequency (daily or weekly, from beat)."""
    subscribers = emails.subscribers_with_pending(frequency)
    for subscriber_id in subscribers:
        send_alerts.delay(subscriber_id, frequency)
    return len(subscribers)
