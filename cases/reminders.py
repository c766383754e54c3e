"""Deadline reminder emails: schedule, sweep, claim, send, and the delivery log's state machine.

Every reminder is a ReminderDelivery row, unique per (deadline, recipient, offset). The database, not the
broker, is the source of truth:

    pending --sweep claims--> sending --send succeeds--> sent
       ^                         |--SMTP 4xx / no connection--> pending again, later (backoff + jitter)
       |                         |--SMTP 5xx, or out of attempts--> failed (editors get an alert)
       +--lease expires----------+  (the worker died before it finished)
    pending/sending --deadline done or cancelled--> cancelled

- `sweep()` (a beat task every few minutes, or `manage.py send_reminders`) claims due rows with
  `select_for_update(skip_locked=True)`, so two sweeps never claim the same row, and hands each row id to the
  `send_reminder` task after commit. Retries are rows with a later `send_at`, never long ETA tasks (Redis would
  redeliver those after its visibility timeout).
- `send_reminder()` locks its row for the whole SMTP conversation and marks it sent in the same transaction.
  A second task for the same row waits for the lock, then sees `sent` and does nothing; a sweep skips the
  locked row. A worker killed mid-send loses its connection, so the transaction rolls back and the row stays
  `sending` until the lease expires; the next sweep claims it again.
- Each worker process keeps one SMTP connection open across sends (reconnecting each time cost most of a send).
  It holds no state between messages: every message is its own SMTP transaction, and the row lock and the
  `sent` mark still bracket it. A send that fails in any way closes the connection, so the next send starts
  on a fresh one; a connection idle for a while is replaced too, because servers drop idle ones.
- The one unavoidable duplicate: the SMTP server accepted the message, but the worker died (or the connection
  dropped) before it read the server's reply or committed `sent`. We cannot know the message went, so the row
  is sent again. Both copies carry the row's stable Message-ID, so mail clients and servers that deduplicate
  by Message-ID show it once.
"""

import contextlib
import datetime
import logging
import random
import smtplib
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Deadline, ReminderDelivery, UserProfile

logger = logging.getLogger(__name__)

DEFAULT_OFFSETS = {
    Deadline.Kind.APPEAL: [14, 7, 3, 1, 0],
    Deadline.Kind.CASSATION: [14, 7, 3, 1, 0],
    Deadline.Kind.APPLICATION: [30, 14, 7, 3, 1, 0],
    Deadline.Kind.SUBMISSION: [7, 3, 1, 0],
    Deadline.Kind.HEARING: [7, 1],
    Deadline.Kind.OTHER: [7, 1, 0],
}
DIGEST_DAYS = 14
# Servers may close a connection idle for 5 minutes (RFC 5321); replace ours well before, so a connection the
# server already dropped never costs a reminder an attempt.
SMTP_IDLE_SECONDS = 60
Status = ReminderDelivery.Status


# Who and when -----------------------------------------------------------------------------------------------


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


def offsets_for(deadline):
    return deadline.reminder_offsets or DEFAULT_OFFSETS[deadline.kind]


def send_time(deadline, offset):
    """Return when the reminder offset days before the deadline goes out: the send hour in the court's zone."""
    day = deadline.due_on - datetime.timedelta(days=offset)
    return datetime.datetime.combine(day, datetime.time(settings.REMINDER_SEND_HOUR), tzinfo=deadline.zone)


def wanted_times(deadline, now):
    """Return {offset: send_at} still worth sending: future ones, plus one catch-up for those already passed."""
    times = {offset: send_time(deadline, offset) for offset in offsets_for(deadline)}
    if deadline.due_at <= now:
        return {}
    passed = [offset for offset, at in times.items() if at <= now]
    # A deadline entered late gets one reminder now, not a burst of every reminder it missed.
    return {offset: at for offset, at in times.items() if at > now or offset == min(passed, default=None)}


def new_message_id():
    return f"<{uuid.uuid4().hex}.reminder@{urlsplit(settings.SITE_URL).hostname or 'localhost'}>"


# Scheduling (called by the deadline actions, inside their transaction) --------------------------------------


def schedule_reminders(deadline, users, now=None):
    """Create, re-time or cancel deadline's delivery rows so they match its recipients and offsets."""
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
            _rearm(row, at)
        elif row.status == Status.SENT and row.send_at != at and at > now:
            # The due date moved: this is a new reminder, so it gets a new Message-ID.
            row.message_id = new_message_id()
            _rearm(row, at)
    ReminderDelivery.objects.bulk_create(new_rows)
    unwanted = [row.pk for row in existing.values() if row.status == Status.PENDING]
    ReminderDelivery.objects.filter(pk__in=unwanted).update(status=Status.CANCELLED)


def _rearm(row, at):
    row.status, row.send_at, row.attempts, row.last_error = Status.PENDING, at, 0, ""
    row.claimed_at = row.sent_at = None
    row.save()


def cancel_reminders(deadline):
    """Stop every reminder of deadline that has not gone out yet."""
    deadline.deliveries.filter(status__in=[Status.PENDING, Status.SENDING]).update(status=Status.CANCELLED)


# Sweep and send ---------------------------------------------------------------------------------------------


def claim_due(now=None, limit=None):
    """Mark up to limit due rows as sending and return their ids; locked rows are another sweep's."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            ReminderDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                Q(status=Status.PENDING, send_at__lte=now) | Q(status=Status.SENDING, claimed_at__lt=expired),
                deadline__status=Deadline.Status.OPEN,
            )
            .order_by("send_at")
            .values_list("pk", flat=True)[: limit or settings.REMINDER_SWEEP_BATCH]
        )
        ReminderDelivery.objects.filter(pk__in=ids).update(status=Status.SENDING, claimed_at=now)
    return ids


def sweep(now=None):
    """Claim every due reminder, batch by batch, and queue one send task per row; return how many."""
    from .tasks import send_reminder

    claimed = 0
    while ids := claim_due(now):
        for pk in ids:
            # Inside a caller's transaction the claim is not visible to workers until it commits.
            send_reminder.delay_on_commit(pk)
        claimed += len(ids)
        if len(ids) < settings.REMINDER_SWEEP_BATCH:
            break
    return claimed


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
        if row.deadline.status != Deadline.Status.OPEN:
            row.status = Status.CANCELLED
            row.save(update_fields=["status"])
            return row.status
        row.attempts += 1
        if not (row.recipient.email and row.recipient.is_active):
            # Nothing to retry: the account changed after the reminder was scheduled.
            row.status, row.last_error = Status.FAILED, _("The recipient has no email address or is inactive.")
            transaction.on_commit(lambda: _queue_failure_alert(row.pk))
            row.save()
            return row.status
        message = reminder_email(row)
        try:
            send_over_shared_connection(message)
        except (smtplib.SMTPException, OSError) as exc:
            _record_failure(row, exc)
        else:
            row.status, row.sent_at, row.last_error = Status.SENT, timezone.now(), ""
        row.save()
        return row.status


# One SMTP connection per process: Celery's prefork pool runs one task at a time in each process.
_smtp = None
_smtp_used_at = 0.0


def send_over_shared_connection(message):
    """Send message over this process's SMTP connection, opening one when there is none."""
    global _smtp, _smtp_used_at
    if _smtp is not None and time.monotonic() - _smtp_used_at > SMTP_IDLE_SECONDS:
        close_shared_connection()
    if _smtp is None:
        connection = get_connection()
        connection.open()  # opened here, so send() leaves it open afterwards
        _smtp = connection
    message.connection = _smtp
    try:
        message.send()
    except Exception:
        # The connection may be dead or stuck mid-conversation: never reuse it.
        close_shared_connection()
        raise
    _smtp_used_at = time.monotonic()


def close_shared_connection():
    """Close and forget this process's SMTP connection, if any; the next send opens a new one."""
    global _smtp
    connection, _smtp = _smtp, None
    # QUIT on a broken connection can fail; the connection is gone either way.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        if connection is not None:
            connection.close()


def _record_failure(row, exc):
    code = smtp_code(exc)
    row.last_error = f"{code or ''} {exc}".strip()[:2000]
    if (code and code >= 500) or row.attempts >= settings.REMINDER_MAX_ATTEMPTS:
        row.status = Status.FAILED
        transaction.on_commit(lambda: _queue_failure_alert(row.pk))
        logger.warning("Reminder %s failed for good: %s", row.pk, row.last_error)
    else:
        row.status, row.send_at = Status.PENDING, timezone.now() + retry_delay(row.attempts)
        logger.info("Reminder %s will be retried at %s: %s", row.pk, row.send_at, row.last_error)


def _queue_failure_alert(delivery_id):
    from .tasks import send_failure_alert

    send_failure_alert.delay(delivery_id)


def smtp_code(exc):
    """Return the SMTP reply code behind exc, or None when the server never answered."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return min(code for code, _message in exc.recipients.values())
    return getattr(exc, "smtp_code", None)


def retry_delay(attempts):
    """Return an exponential backoff with full jitter, so many failed rows do not retry in one burst."""
    ceiling = min(settings.REMINDER_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 6 * 3600)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


# Overdue escalation and the weekly digest -------------------------------------------------------------------


def claim_overdue(now=None):
    """Mark open deadlines that have just passed as alerted and return their ids, each exactly once."""
    now = now or timezone.now()
    with transaction.atomic():
        # due_on is local to the court; a day's margin covers every time zone, then due_at decides.
        candidates = (
            Deadline.objects.open()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("proceeding__court")
            .filter(overdue_notified_at__isnull=True, due_on__lte=now.date() + datetime.timedelta(days=1))
        )
        ids = [deadline.pk for deadline in candidates if deadline.due_at <= now]
        Deadline.objects.filter(pk__in=ids).update(overdue_notified_at=now)
    return ids


def escalate_overdue(now=None):
    """Queue one overdue alert per newly passed deadline; return how many."""
    from .tasks import send_overdue_alert

    ids = claim_overdue(now)
    for pk in ids:
        send_overdue_alert.delay_on_commit(pk)
    return len(ids)


def editors():
    """Return active staff who edit everything: the Editors group and superusers, with an email address."""
    users = get_user_model().objects.filter(Q(groups__name="Editors") | Q(is_superuser=True), is_active=True)
    return list(users.exclude(email="").distinct())


def digest_users():
    return get_user_model().objects.filter(profile__weekly_digest=True, is_active=True).exclude(email="")


def digest_deadlines(user, today):
    return (
        Deadline.objects.open()
        .for_user(user)
        .filter(due_on__range=(today, today + datetime.timedelta(days=DIGEST_DAYS)))
        .select_related("case", "proceeding__court")
    )


# Emails -----------------------------------------------------------------------------------------------------


def language_of(user):
    try:
        return user.profile.language
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE


def admin_url(deadline):
    return settings.SITE_URL + reverse("admin:cases_deadline_change", args=[deadline.pk])


def due_label(deadline):
    """Return the due date (and time) as the court's clock shows it, with the zone's name."""
    text = formats.date_format(deadline.due_on, "DATE_FORMAT")
    if deadline.due_time:
        text += " " + formats.time_format(deadline.due_time, "TIME_FORMAT")
    else:
        text += " " + _("until 24:00")
    return f"{text} ({deadline.zone.key})"


def build_email(template, context, subject, to, language, message_id=None):
    """Render templates/emails/<template>.txt and .html in language and return the message."""
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        if "deadline" in context:
            context |= {"due": due_label(context["deadline"]), "url": admin_url(context["deadline"])}
        if "deadlines" in context:
            context["rows"] = [(d, due_label(d), admin_url(d)) for d in context["deadlines"]]
        message = EmailMultiAlternatives(
            subject=str(subject() if callable(subject) else subject),
            body=render_to_string(f"emails/{template}.txt", context),
            to=to,
            headers={"Message-ID": message_id} if message_id else None,
        )
        message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def reminder_email(row):
    deadline = row.deadline

    def subject():
        if row.offset_days == 0:
            return _("Due today: %(title)s") % {"title": deadline.display_title}
        return _("Due in %(days)s days: %(title)s") % {"days": row.offset_days, "title": deadline.display_title}

    return build_email(
        "reminder",
        {"deadline": deadline, "case": deadline.case, "days": row.offset_days, "user": row.recipient},
        subject,
        [row.recipient.email],
        language_of(row.recipient),
        row.message_id,
    )


def send_overdue_alert(deadline_id):
    """Email the lead lawyer and the editors, each in their language, that a deadline passed while open."""
    deadline = Deadline.objects.select_related("case__lead_lawyer", "proceeding__court").get(pk=deadline_id)
    if deadline.status != Deadline.Status.OPEN:
        return 0
    people = {user.pk: user for user in editors()}
    lead = deadline.case.lead_lawyer
    if lead and lead.email and lead.is_active:
        people[lead.pk] = lead
    for user in people.values():
        build_email(
            "overdue",
            {"deadline": deadline, "case": deadline.case, "user": user},
            lambda: _("Overdue: %(title)s") % {"title": deadline.display_title},
            [user.email],
            language_of(user),
        ).send()
    return len(people)


def send_failure_alert(delivery_id):
    """Tell the editors a reminder could not be delivered."""
    row = ReminderDelivery.objects.select_related("deadline__case", "deadline__proceeding__court", "recipient").get(
        pk=delivery_id
    )
    for user in editors():
        build_email(
            "failure_alert",
            {"deadline": row.deadline, "case": row.deadline.case, "row": row, "user": user},
            lambda: _("Reminder not delivered: %(title)s") % {"title": row.deadline.display_title},
            [user.email],
            language_of(user),
        ).send()


def send_digest(user_id, today=None):
    """Email one user their open deadlines for the next 14 days; return how many were listed."""
    user = get_user_model().objects.select_related("profile").get(pk=user_id)
    today = today or timezone.localdate()
    deadlines = list(digest_deadlines(user, today))
    if not deadlines:
        return 0
    build_email(
        "digest",
        {"deadlines": deadlines, "user": user, "days": DIGEST_DAYS},
        lambda: _("Your deadlines for the next %(days)s days") % {"days": DIGEST_DAYS},
        [user.email],
        language_of(user),
    ).send()
    return len(deadlines)


def queue_weekly_digests():
    """Queue one digest per user who opted in; return how many."""
    from .tasks import send_weekly_digest

    ids = list(digest_users().values_list("pk", flat=True))
    for pk in ids:
        send_weekly_digest.delay(pk)
    return len(ids)


def validate_recipients(users):
    """Raise ValidationError when reminders cannot reach users."""
    if problems := recipient_problems(users):
        raise ValidationError({"responsible": problems})
