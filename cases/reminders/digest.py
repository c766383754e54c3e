"""The weekly digest: each opted-in user's open deadlines for the next two weeks."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deadline
from .content import build_email, language_of

DIGEST_DAYS = 14


def digest_users():
    return get_user_model().objects.filter(profile__weekly_digest=True, is_active=True).exclude(email="")


def digest_deadlines(user, today):
    return (
        Deadline.objects.open()
        .for_user(user)
        .filter(due_on__range=(today, today + datetime.timedelta(days=DIGEST_DAYS)))
        .select_related("case", "proceeding__court")
    )


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
    from ..tasks import send_weekly_digest

    ids = list(digest_users().values_list("pk", flat=True))
    for pk in ids:
        send_weekly_digest.delay(pk)
    return len(ids)
