"""Fixed-window rate limits kept in the Django cache."""

from django.core.cache import cache


def allow(key, limit, window):
    """Count one hit on key and tell whether it is within limit hits per window seconds."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        hits = cache.incr(cache_key)
    except ValueError:
        # The window expired between add and incr: this is the first hit of a new one.
        cache.set(cache_key, 1, timeout=window)
        hits = 1
    # A cache that is down (django-redis ignoring the error) answers None: let the request through.
    return hits is None or hits <= limit
