"""Re-sending reminders that failed, once whatever refused them is fixed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deadline, ReminderDelivery
from ..permissions import check_write
from ..reminders.delivery import log
from ..reminders.schedule import rearm


@transaction.atomic
def resend_deliveries(deliveries, *, actor):
    """Queue the failed reminders among deliveries (of open deadlines) to go out now; return how many.

    The attempt history records who re-sent each one.
    """
    now = timezone.now()
    rows = ReminderDelivery.objects.select_for_update().filter(
        pk__in=[row.pk for row in deliveries],
        status=ReminderDelivery.Status.FAILED,
        deadline__status=Deadline.Status.OPEN,
    )
    resent = 0
    for row in rows.select_related("deadline"):
        check_write(actor, row.deadline)  # re-sending is a change to the deadline's reminders
        log(row, now, note=_("Re-sent by %(user)s.") % {"user": actor.get_username()})
        rearm(row, now)
        resent += 1
    if resent:
        from ..tasks import sweep_reminders

        transaction.on_commit(sweep_reminders.delay)
    return resent
