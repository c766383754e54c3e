"""Send one claimed reminder and move its row through the delivery state machine (see the package docs)."""

import logging
import smtplib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deadline, ReminderDelivery
from . import outage
from .connection import readable_error, send_over_shared_connection, smtp_code
from .content import reminder_email
from .retry import gave_up, retry_delay

logger = logging.getLogger(__name__)
Status = ReminderDelivery.Status
# Enough for the retry window at its longest delays; older entries add nothing an editor needs.
ATTEMPT_LOG_LENGTH = 50


def send(delivery_id):
    """Send one claimed reminder and record the outcome; return the row's new status."""
    with transaction.atomic():
        row = (
            ReminderDelivery.objects.select_for_update(of=("self",))
            .select_related("deadline__case", "deadline__proceeding__court", "recipient__profile")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None or row.status != Status.SENDING:
            return row and row.status  # another task finished it, or it was cancelled
        now = timezone.now()
        if row.deadline.status != Deadline.Status.OPEN:
            row.status = Status.CANCELLED
        elif superseded(row, now):
            # A later reminder of the same deadline is due too (sends were held up): it alone goes out.
            row.status = Status.CANCELLED
            log(row, now, note=_("Skipped: a later reminder for this deadline was due at the same time."))
        elif outage.holds_back(row):
            row.status = Status.PENDING  # claimed before sending paused; it waits, untried, for the recovery
        elif not (row.recipient.email and row.recipient.is_active):
            # Nothing to retry: the account changed after the reminder was scheduled.
            row.attempts += 1
            log(row, now, error=_("The recipient has no email address or is inactive."))
            fail(row)
        else:
            row.attempts += 1
            try:
                send_over_shared_connection(reminder_email(row, now))
            except (smtplib.SMTPException, OSError) as exc:
                record_failure(row, exc, now)
            else:
                row.status, row.last_error, row.failing_since = Status.SENT, "", None
                row.sent_at = timezone.now()
                outage.record_success()
        row.save()
        return row.status


def superseded(row, now):
    """Return whether a reminder closer to the deadline, for the same person, is due or gone out already."""
    return ReminderDelivery.objects.filter(
        deadline_id=row.deadline_id,
        recipient_id=row.recipient_id,
        offset_days__lt=row.offset_days,
        send_at__lte=now,
        status__in=[Status.PENDING, Status.SENDING, Status.SENT],
    ).exists()


def log(row, now, *, error=None, note=None):
    """Add an entry to row's attempt history; an error also becomes its last error."""
    entry = {"at": now.isoformat()}
    if error is not None:
        entry["error"] = row.last_error = error[:2000]
    if note is not None:
        entry["note"] = note
    row.attempt_log = [*row.attempt_log, entry][-ATTEMPT_LOG_LENGTH:]


def record_failure(row, exc, now):
    """Decide what a failed send means: wait for a paused outage, retry later, or fail for good."""
    code = smtp_code(exc)
    log(row, now, error=readable_error(exc))
    row.failing_since = row.failing_since or now
    if code and code >= 500:
        if outage.record_refusal(row, code, now):
            # The pause holds it back until the server recovers; the outage does not use up its retry window.
            row.status, row.send_at, row.failing_since = Status.PENDING, now, None
        else:
            fail(row)
    elif gave_up(row.failing_since, now):
        fail(row)
    else:
        row.status, row.send_at = Status.PENDING, now + retry_delay(row.attempts)
        logger.info("Reminder %s will be retried at %s: %s", row.pk, row.send_at, row.last_error)


def fail(row):
    """Mark row failed and queue the editors' alert after commit."""
    from ..tasks import send_failure_alert

    row.status = Status.FAILED
    pk = row.pk
    transaction.on_commit(lambda: send_failure_alert.delay(pk))
    logger.warning("Reminder %s failed for good: %s", row.pk, row.last_error)
