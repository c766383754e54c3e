"""Who is reminded and when: the delivery rows a deadline should have, kept in step by the deadline actions."""

import datetime
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deadline, ReminderDelivery

DEFAULT_OFFSETS = {
    Deadline.Kind.APPEAL: [14, 7, 3, 1, 0],
    Deadline.Kind.CASSATION: [14, 7, 3, 1, 0],
    Deadline.Kind.APPLICATION: [30, 14, 7, 3, 1, 0],
    Deadline.Kind.SUBMISSION: [7, 3, 1, 0],
    Deadline.Kind.HEARING: [7, 1],
    Deadline.Kind.OTHER: [7, 1, 0],
}
Status = ReminderDelivery.Status


def recipients(deadline, responsible=None):
    """Return who is reminded: the responsible users, else the case team and lead lawyer."""
    users = list(deadline.responsible.all() if responsible is None else responsible)
    if users:
        return users
    team = {user.pk: user for user in deadline.case.team.all()}
    if deadline.case.lead_lawyer_id:
        team.setdefault(deadline.case.lead_lawyer_id, deadline.case.lead_lawyer)
    return list(team.values())


def recipient_problems(users):
    """Return why reminders cannot go to users: nobody named, or someone without an email address."""
    if not users:
        return [_("Nobody would be reminded: name responsible users or add staff to the case team.")]
    return [
        _("%(user)s has no email address; add one or choose someone else.") % {"user": user.get_username()}
        for user in users
        if not user.email
    ]


def validate_recipients(users):
    """Raise ValidationError when reminders cannot reach users."""
    if problems := recipient_problems(users):
        raise ValidationError({"responsible": problems})


def offsets_for(deadline):
    return deadline.reminder_offsets or DEFAULT_OFFSETS[deadline.kind]


def send_time(deadline, offset):
    """Return when the reminder offset days before the deadline goes out: the send hour in the court's zone."""
    day = deadline.due_on - datetime.timedelta(days=offset)
    return datetime.datetime.combine(day, datetime.time(settings.REMINDER_SEND_HOUR), tzinfo=deadline.zone)


def wanted_times(deadline, now):
    """Return {offset: send_at} still worth sending: future ones, plus one catch-up for those already passed."""
    if deadline.due_at <= now:
        return {}
    # A deadline due at 08:00 gets no "due today" reminder at 09:00.
    times = {offset: at for offset in offsets_for(deadline) if (at := send_time(deadline, offset)) < deadline.due_at}
    passed = [offset for offset, at in times.items() if at <= now]
    # A deadline entered late gets one reminder now, not a burst of every reminder it missed; its wording is
    # computed when it is sent, so the offset it stands in for never shows.
    return {offset: at for offset, at in times.items() if at > now or offset == min(passed, default=None)}


def new_message_id():
    return f"<{uuid.uuid4().hex}.reminder@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


def schedule_reminders(deadline, users, now=None):
    """Create, re-time or cancel deadline's delivery rows so they match its recipients and offsets.

    Called by the deadline actions inside their transaction.
    """
    if deadline.status != Deadline.Status.OPEN:
        cancel_reminders(deadline)
        return
    now = now or timezone.now()
    times = wanted_times(deadline, now)
    wanted = {(user.pk, offset): at for user in users if user.email for offset, at in times.items()}
    existing = {(row.recipient_id, row.offset_days): row for row in deadline.deliveries.select_for_update()}
    new_rows = []
    for (user_id, offset), at in wanted.items():
        row = existing.pop((user_id, offset), None)
        if row is None:
            new_rows.append(
                ReminderDelivery(
                    deadline=deadline, recipient_id=user_id, offset_days=offset, send_at=at, message_id=new_message_id()
                )
            )
        elif row.status == Status.CANCELLED or (row.send_at != at and row.status in (Status.PENDING, Status.FAILED)):
            rearm(row, at)
        elif row.status == Status.SENT and row.send_at != at and at > now:
            # The due date moved: this is a new reminder, so it gets a new Message-ID.
            row.message_id = new_message_id()
            rearm(row, at)
    ReminderDelivery.objects.bulk_create(new_rows)
    unwanted = [row.pk for row in existing.values() if row.status == Status.PENDING]
    ReminderDelivery.objects.filter(pk__in=unwanted).update(status=Status.CANCELLED)


def rearm(row, at):
    """Make row wait to be sent at at, as if it had never been tried; its attempt history stays."""
    row.status, row.send_at, row.attempts, row.last_error = Status.PENDING, at, 0, ""
    row.claimed_at = row.sent_at = row.failing_since = None
    row.save()


def cancel_reminders(deadline):
    """Stop every reminder of deadline that has not gone out yet."""
    deadline.deliveries.filter(status__in=[Status.PENDING, Status.SENDING]).update(status=Status.CANCELLED)
