"""The follow form's limits: per client address and per email address, counted by django-ratelimit."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from casetracker.clientip import client_ip


def follow_limited(request, email):
    """Count one follow from request for email; tell whether the client or the address is over its limit."""
    window = settings.ALERTS_RATE_WINDOW
    if is_ratelimited(
        request,
        group="alerts.follow.client",
        key=lambda _group, request: client_ip(request),
        rate=(settings.ALERTS_RATE_PER_IP, window),
        increment=True,
    ):
        return True
    return is_ratelimited(
        request,
        group="alerts.follow.address",
        key=lambda _group, _request: email.lower(),
        rate=(settings.ALERTS_RATE_PER_ADDRESS, window),
        increment=True,
    )
