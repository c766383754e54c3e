"""Configuration outages: when every send fails with the same 5xx, pause sending instead of failing every row.

A wrong SMTP password (535) or a relay that refuses us (550 5.7.1) refuses every message, yet each refusal
looks permanent. Failing each row would turn one outage into hundreds of lost reminders and alerts. So:

- each 5xx adds to a run of identical codes (the one ReminderOutage row, locked while it changes);
- at REMINDER_OUTAGE_THRESHOLD in a row, sending pauses: the run's rows go back to pending, editors get one
  alert, rows already claimed go back untried, and the sweep claims nothing but a single trial send on the
  retry schedule;
- the first successful send ends the run and the pause, and queues a sweep, so the waiting rows go out.

Any success in between ends a run early: then the refusals were about those recipients, and stay failed. So
does a different 5xx while paused: it is about that one message.
"""

import logging

from django.conf import settings
from django.db import transaction

from ..models import ReminderDelivery, ReminderOutage
from .retry import retry_delay

logger = logging.getLogger(__name__)
Status = ReminderDelivery.Status


def _locked():
    return ReminderOutage.objects.select_for_update().get_or_create(pk=1)[0]


def claim_allowance(now, batch):
    """Return how many rows a sweep may claim now: all of batch, or while paused one trial send when due."""
    outage = ReminderOutage.objects.select_for_update().filter(pk=1, paused_at__isnull=False).first()
    if outage is None:
        return batch
    if outage.probe_at > now:
        return 0
    # Set before the trial is sent, so a trial lost with its worker does not make every sweep try again.
    outage.probe_at = now + retry_delay(outage.failures - settings.REMINDER_OUTAGE_THRESHOLD + 1)
    outage.save(update_fields=["probe_at"])
    return 1


def record_refusal(row, code, now):
    """Count row's 5xx refusal; return whether sending is paused, so that row waits instead of failing."""
    outage = _locked()
    if outage.code != code:
        if outage.paused_at is not None:
            return False  # not the outage's refusal: this one is about the message itself
        outage.code, outage.failures, outage.failed_deliveries = code, 0, []
    outage.failures += 1
    outage.error = row.last_error
    if outage.paused_at is not None:
        outage.probe_at = now + retry_delay(outage.failures - settings.REMINDER_OUTAGE_THRESHOLD + 1)
    elif outage.failures >= settings.REMINDER_OUTAGE_THRESHOLD:
        _pause(outage, now)
    else:
        outage.failed_deliveries = [*outage.failed_deliveries, row.pk]
    outage.save()
    return outage.paused_at is not None


def _pause(outage, now):
    from ..tasks import send_outage_alert

    outage.paused_at, outage.probe_at = now, now + retry_delay(1)
    # The run's first rows were failed one by one before the pattern showed; they wait for recovery too.
    ReminderDelivery.objects.filter(pk__in=outage.failed_deliveries, status=Status.FAILED).update(
        status=Status.PENDING, send_at=now, failing_since=None
    )
    outage.failed_deliveries = []
    logger.error("Reminder sending paused: %s consecutive sends failed with %s", outage.failures, outage.error)
    code, error, paused_at = outage.code, outage.error, now.isoformat()
    transaction.on_commit(lambda: send_outage_alert.delay(code, error, paused_at))


def record_success():
    """End the run of refusals, if any; when sending was paused, resume it with a sweep."""
    from ..tasks import sweep_reminders

    outage = ReminderOutage.objects.select_for_update().filter(pk=1, failures__gt=0).first()
    if outage is None:
        return
    resumed = outage.paused_at is not None
    outage.code, outage.error, outage.failures, outage.failed_deliveries = None, "", 0, []
    outage.paused_at = outage.probe_at = None
    outage.save()
    if resumed:
        logger.warning("Reminder sending resumed: the mail server accepted a message again")
        transaction.on_commit(sweep_reminders.delay)


def holds_back(row):
    """Return whether sending is paused for row: it was claimed before the pause, so it is not a trial send."""
    paused = current()
    return paused is not None and row.claimed_at <= paused.paused_at


def current():
    """Return the outage pausing reminders now, or None."""
    return ReminderOutage.objects.filter(pk=1, paused_at__isnull=False).first()
