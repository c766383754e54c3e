"""The follow form's limits: per client address and per email address, counted by django-ratelimit."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from casetracker.clientip import client_over_limit


def follow_limited(request, email):
    """Count one follow from request for email; tell whether the client or the address is over its limit."""
    window = settings.ALERTS_RATE_WINDOW
    if client_over_limit(request, "alerts.follow.client", settings.ALERTS_RATE_PER_IP, window):
        return True
    return is_ratelimited(
        request,
        group="alerts.follow.address",
        key=lambda _group, _request: email.lower(),
        rate=(settings.ALERTS_RATE_PER_ADDRESS, window),
        increment=True,
    )
