"""Claim due reminder rows and queue one send task per row."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Deadline, ReminderDelivery
from . import outage

Status = ReminderDelivery.Status


def claim_due(now=None, limit=None):
    """Mark up to limit due rows as sending and return their ids; locked rows are another sweep's."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        limit = outage.claim_allowance(now, limit or settings.REMINDER_SWEEP_BATCH)
        ids = list(
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(status=Status.PENDING, send_at__lte=now) | Q(status=Status.SENDING, claimed_at__lt=expired),
                deadline__status=Deadline.Status.OPEN,
            )
            .order_by("send_at")
            .values_list("pk", flat=True)[:limit]
        )
        ReminderDelivery.objects.filter(pk__in=ids).update(status=Status.SENDING, claimed_at=now)
    return ids


def sweep(now=None):
    """Claim every due reminder, batch by batch, and queue one send task per row; return how many."""
    from ..tasks import send_reminder

    claimed = 0
    while ids := claim_due(now):
        for pk in ids:
            # Inside a caller's transaction the claim is not visible to workers until it commits.
            send_reminder.delay_on_commit(pk)
        claimed += len(ids)
        if len(ids) < settings.REMINDER_SWEEP_BATCH:
            break
    return claimed
