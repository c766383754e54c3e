"""HTTP caching headers, so a reverse proxy or CDN can take the anonymous load (docs/operations.md).

What anonymous visitors get from the public site and the API is the same for all of them, so it is marked
`public` with `max-age` and `stale-while-revalidate`, and gets a Last-Modified time. Django's
ConditionalGetMiddleware, just above this one, adds the ETag and answers If-None-Match and If-Modified-Since
with 304. Anything a signed-in user gets is `private, no-store`. A page served from the public page cache
(cases/cache.py) already carries its ETag and Last-Modified, fetched with it.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

CHANGED_KEY = "public-data:changed-at"


def public_data_changed():
    """Record that public data changed now (called once a case change is committed)."""
    cache.set(CHANGED_KEY, time.time(), timeout=None)


def public_data_changed_at():
    """Return when public data last changed, as a Unix time; never earlier than the truth."""
    changed = cache.get(CHANGED_KEY)
    if changed is None:
        # Unknown (an emptied cache): claiming "now" can only cost a 304, never serve a stale page.
        changed = time.time()
        cache.add(CHANGED_KEY, changed, timeout=None)
    return changed


# URL namespaces whose pages show only public data (cases.urls, cases.api.urls).
PUBLIC_NAMESPACES = {"cases", "api"}


def _cacheable(request, response):
    """Return whether response is the same for every anonymous visitor, so shared caches may keep it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.cookies:
        return False
    control = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").lower().split(",")}
    if control & {"private", "no-store", "no-cache"}:
        return False
    match = request.resolver_match
    return "public" in control or (match is not None and match.namespace in PUBLIC_NAMESPACES)


class HttpCachingMiddleware:
    """Mark public responses for shared caches and staff responses as never to be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        elif _cacheable(request, response):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.HTTP_MAX_AGE,
                stale_while_revalidate=settings.HTTP_STALE_SECONDS,
            )
            # Only a shared cache knows when any process last changed data; a per-process one cannot say.
            if settings.CACHE_URL and not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date(public_data_changed_at())
        return response
