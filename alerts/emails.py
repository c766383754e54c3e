"""Building and sending follower emails: the confirmation and the alert digest."""

from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Alert, Follow, Frequency
from .public import public_case, public_items


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def _render(template, context):
    return render_to_string(f"alerts/email/{template}", context).strip()


def send_confirmation(follow_id, token):
    """Email the follow's address the link that confirms it; return whether one was sent.

    A follow of a case that is no longer public is dropped: its email would name the case.
    """
    follow = Follow.objects.select_related("subscriber").filter(pk=follow_id).first()
    if follow is None:
        return False
    case = public_case(follow.case_id) if follow.case_id else None
    if follow.case_id and case is None:
        return False
    with translation.override(follow.subscriber.language):
        context = {"case": case, "confirm_url": absolute(reverse("alerts:confirm", args=[token]))}
        message = EmailMessage(
            subject=_render("confirm_subject.txt", context),
            body=_render("confirm.txt", context),
            to=[follow.subscriber.email],
        )
    message.send()
    return True


def send_alerts(subscriber_id, frequency):
    """Email one subscriber all its pending alerts of one frequency in one message; return the item count.

    The alerts stay locked until the message is sent and marked, so two workers never send the
    same item, and a failed send leaves them pending for the retry.
    """
    with transaction.atomic():
        alerts = list(
            Alert.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(
                subscriber_id=subscriber_id,
                sent_at__isnull=True,
                follow__frequency=frequency,
                follow__confirmed_at__isnull=False,
            )
        )
        if not alerts:
            return 0
        items = public_items([(alert.kind, alert.object_id) for alert in alerts])
        # Items made private again since they were queued are dropped, never sent.
        Alert.objects.filter(pk__in=[a.pk for a in alerts if (a.kind, a.object_id) not in items]).delete()
        sendable = [alert for alert in alerts if (alert.kind, alert.object_id) in items]
        if sendable:
            _alert_message(sendable[0].subscriber, frequency, [items[(a.kind, a.object_id)] for a in sendable]).send()
            Alert.objects.filter(pk__in=[a.pk for a in sendable]).update(sent_at=timezone.now())
    return len(sendable)


def _alert_message(subscriber, frequency, items):
    with translation.override(subscriber.language):
        unsubscribe_url = absolute(reverse("alerts:unsubscribe", args=[subscriber.token]))
        items = sorted(
            items, key=lambda item: (item.proceeding.case.display_title, item.proceeding.case_id, _when(item))
        )
        cases = [
            {
                "case": case_items[0].proceeding.case,
                "url": absolute(case_items[0].proceeding.case.get_absolute_url()),
                "items": case_items,
            }
            for case_items in (list(group) for _, group in groupby(items, key=lambda item: item.proceeding.case_id))
        ]
        context = {"cases": cases, "frequency": Frequency(frequency).label, "unsubscribe_url": unsubscribe_url}
        return EmailMessage(
            subject=_render("alert_subject.txt", context),
            body=_render("alert.txt", context),
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def _when(item):
    """Return (day, order) for sorting: filings, then hearings (in their court's zone), then decisions of a day."""
    if hasattr(item, "starts_at"):
        return item.local_starts_at.date(), 1
    if hasattr(item, "filed_on"):
        return item.filed_on, 0
    return item.announced_on, 2


def subscribers_with_pending(frequency):
    """Return ids of subscribers with unsent alerts of frequency."""
    return list(
        Alert.objects.filter(sent_at__isnull=True, follow__frequency=frequency, follow__confirmed_at__isnull=False)
        .values_list("subscriber_id", flat=True)
        .distinct()
    )
