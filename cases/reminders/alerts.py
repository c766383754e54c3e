"""Emails to editors and lead lawyers: overdue deadlines, undelivered reminders, and paused sending."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deadline, ReminderDelivery
from .content import build_email, language_of


def editors():
    """Return active staff who edit everything: the Editors group and superusers, with an email address."""
    users = get_user_model().objects.filter(Q(groups__name="Editors") | Q(is_superuser=True), is_active=True)
    return list(users.exclude(email="").distinct())


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
    from ..tasks import send_overdue_alert

    ids = claim_overdue(now)
    for pk in ids:
        send_overdue_alert.delay_on_commit(pk)
    return len(ids)


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
    """Tell the editors a reminder could not be delivered, unless it is no longer failed; return how many."""
    row = ReminderDelivery.objects.select_related("deadline__case", "deadline__proceeding__court", "recipient").get(
        pk=delivery_id
    )
    if row.status != ReminderDelivery.Status.FAILED:
        return 0  # re-sent meanwhile, or held back by an outage pause that has its own alert
    people = editors()
    for user in people:
        build_email(
            "failure_alert",
            {"deadline": row.deadline, "case": row.deadline.case, "row": row, "user": user},
            lambda: _("Reminder not delivered: %(title)s") % {"title": row.deadline.display_title},
            [user.email],
            language_of(user),
        ).send()
    return len(people)


def send_outage_alert(code, error, paused_at):
    """Tell the editors, once per outage, that the mail server refuses every reminder and sending is paused."""
    people = editors()
    for user in people:
        build_email(
            "outage_alert",
            {"code": code, "error": error, "paused_at": datetime.datetime.fromisoformat(paused_at), "user": user},
            lambda: _("Reminder emails paused: the mail server refuses every message"),
            [user.email],
            language_of(user),
        ).send()
    return len(people)
