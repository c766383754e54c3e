"""Caching of public pages and the costly data behind them, invalidated whenever any case changes.

Keys carry a version number; a change bumps the version, so every cached public
page (and value) is dropped at once without having to know which ones showed the case.
Logged-in staff are never served from, nor stored into, the cache.
"""

import functools
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"


def public_cache_version():
    """Return the current version of public cached pages."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def invalidate_public_pages():
    """Drop every cached public page."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def _caching(request):
    """Return whether public pages and values for request may come from and go to the cache."""
    # Without a shared cache (CACHE_URL) each process would hold stale copies it cannot invalidate.
    return bool(settings.CACHE_URL) and settings.PUBLIC_CACHE_SECONDS > 0 and not request.user.is_authenticated


def cached_public_value(request, name, state, compute):
    """Return compute(), cached like public pages under name and the JSON-serialisable state it depends on."""
    if not _caching(request):
        return compute()
    digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
    key = f"public-values:{public_cache_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value


def _key(request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{public_cache_version()}:{get_language()}:{digest}"


def cache_public_page(view):
    """Serve anonymous GETs of view from the shared cache for PUBLIC_CACHE_SECONDS, when CACHE_URL is set."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not _caching(request):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, no_store=True)
            return response
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content, content_type, headers = cached
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers.items():
                response[name] = value
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                headers = {name: response[name] for name in ("Content-Disposition",) if response.has_header(name)}
                cache.set(key, (response.content, response["Content-Type"], headers), seconds)
        # Pages differ by session (staff see no cached copy), so shared caches must not mix them.
        patch_vary_headers(response, ["Cookie"])
        patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper
