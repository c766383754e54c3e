"""The one rule for a request's client address, used by every limit: API throttle, follow form, login lockout."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def client_ip(request):
    """Return the client's address, trusting X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies wrote it.

    Each trusted proxy appends the address it was reached from, so with N proxies the client is the N-th
    entry from the end; anything before it was written by the client and proves nothing. Without trusted
    proxies the header is ignored, and forging it changes nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    # Fewer entries than proxies: the request skipped a proxy, so only the peer's address is known.
    return forwarded[-count] if len(forwarded) >= count else remote


def client_over_limit(request, group, rate, window):
    """Count one request from the client for group; tell whether it made more than rate in window seconds."""
    return is_ratelimited(
        request,
        group=group,
        key=lambda _group, request: client_ip(request),
        rate=(rate, window),
        increment=True,
    )
