"""The admin index's panel of the signed-in lawyer's upcoming deadlines."""

import datetime

from django import template
from django.utils import timezone

from ..models import Deadline

register = template.Library()

HORIZON_DAYS = 30


@register.simple_tag
def my_upcoming_deadlines(user):
    """Return user's open deadlines due in the next 30 days, overdue ones included, soonest first."""
    today = timezone.localdate()
    deadlines = list(
        Deadline.objects.open()
        .for_user(user)
        .filter(due_on__lte=today + datetime.timedelta(days=HORIZON_DAYS))
        .select_related("case", "proceeding__court")
        .order_by("due_on", "due_time", "pk")
    )
    for deadline in deadlines:
        deadline.is_overdue = deadline.due_on < today
    return deadlines
