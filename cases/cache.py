"""Caching of public pages and the costly data behind them, in Redis, checked against versions in PostgreSQL.

Every cached page remembers the versions it was built from: the site's, and either the lists' (home, the case
list, entity pages, feeds, statistics, the sitemap) or its one case's (the case page and feed). A write bumps
the versions it affects inside its own transaction (`cases.actions.events`): an edit to one case retires that
case's pages and the lists, not the pages of every other case. Because the versions live in the database, a
write made while Redis is unreachable still retires what it changed, the moment Redis answers again.

`PublicCacheMiddleware` serves hits first thing, before sessions, CSRF, axes, OTP and locale run. A request
that carries a session cookie or credentials never gets a cached page, and only anonymous responses of views
wrapped in `cache_public_page` are stored.

A hit is checked against this process's copy of the versions, not PostgreSQL itself, so it costs one Redis
round trip and no database query. The copy is bounded: it is read afresh once older than
PUBLIC_CACHE_STALE_SECONDS, so a page retired by a write in another process (or a worker, or a command) may
still be served here for at most that long; the writing process drops its copy when the write commits. A page
built from versions newer than the copy makes the copy be read again at once (versions only grow).
"""

import functools
import hashlib
import json
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language_from_request

from .http import CHANGED_KEY
from .models import Case, PublicVersion

SITE, LISTS = "site", "lists"

# This process's copy of the versions hits are checked against (names, and ("case", id) for case versions),
# and when it was started: every value in it was read from PostgreSQL since then.
_copy = {"since": float("-inf"), "versions": {}}


def _bump(*names):
    # Creating missing rows first makes each increment an atomic row update that concurrent writers queue on.
    PublicVersion.objects.bulk_create([PublicVersion(name=name) for name in names], ignore_conflicts=True)
    PublicVersion.objects.filter(name__in=names).update(value=F("value") + 1)
    # Other processes see the write within PUBLIC_CACHE_STALE_SECONDS; this one at once.
    transaction.on_commit(forget_versions)


def _versions(names):
    found = dict(PublicVersion.objects.filter(name__in=names).values_list("name", "value"))
    return {name: found.get(name, 0) for name in names}


def publicly_shown(case_ids):
    """Return the cases among case_ids that are public, or were when their public record was last taken."""
    return Case.objects.filter(pk__in=case_ids).filter(Q(visibility=Case.Visibility.PUBLISHED) | ~Q(public_digest=""))


def retire_case_pages(case_ids):
    """Retire the cached pages of cases that are or were public, of their related cases, and the lists.

    Call it inside the writing transaction, before a case is deleted. Drafts that were never public show on
    no public page, so editing them retires nothing.
    """
    shown_ids = list(publicly_shown(case_ids).values_list("pk", flat=True))
    if not shown_ids:
        return
    # A related case's page shows this case's title.
    Case.objects.filter(Q(pk__in=shown_ids) | Q(related_cases__in=shown_ids)).update(
        public_version=F("public_version") + 1
    )
    _bump(LISTS)


def retire_list_pages():
    """Retire the lists and entity pages only, e.g. after a record published on its own, in no case, changed."""
    _bump(LISTS)


def invalidate_public_pages():
    """Retire every cached public page, e.g. after a bulk change made outside the actions."""
    _bump(SITE)


def _caching(request):
    """Return whether public pages and values for request may come from and go to the cache."""
    # Without a shared cache (CACHE_URL) each process would hold stale copies it cannot invalidate.
    return bool(settings.CACHE_URL) and settings.PUBLIC_CACHE_SECONDS > 0 and not request.user.is_authenticated


def _request_versions(request):
    """Return the site and list versions, read once per request before the view reads any data."""
    if not hasattr(request, "_public_versions"):
        request._public_versions = _versions([SITE, LISTS])
    return request._public_versions


def cached_public_value(request, name, state, compute):
    """Return compute(), cached like list pages under name and the JSON-serialisable state it depends on."""
    if not _caching(request):
        return compute()
    versions = _request_versions(request)
    digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()
    key = f"public-values:{versions[SITE]}.{versions[LISTS]}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_CACHE_SECONDS)
    return value


def depends_on_case(request, case):
    """Record that the page being built shows one case (loaded with its public_version) rather than the lists."""
    deps = getattr(request, "_public_cache_deps", None)
    if deps is not None:
        deps["versions"].pop(LISTS, None)
        deps["case"] = [case.pk, case.public_version]


def cache_public_page(view):
    """Let PublicCacheMiddleware keep anonymous GETs of view; staff responses are marked private."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in ("GET", "HEAD") and _caching(request):
            # Read before the view reads its data: a change committed meanwhile leaves the page already stale.
            request._public_cache_deps = {"versions": dict(_request_versions(request))}
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        else:
            # Pages differ by session (staff see no cached copy), so shared caches must not mix them.
            patch_vary_headers(response, ["Cookie"])
            patch_cache_control(response, public=True, max_age=60)
        return response

    return wrapper


def forget_versions():
    """Drop this process's copy of the versions, so the next hit reads them from PostgreSQL."""
    _copy.update(since=monotonic(), versions={})


def _known_versions(keys):
    """Return the versions of keys from this process's copy, reading what it lacks from PostgreSQL."""
    if monotonic() - _copy["since"] >= settings.PUBLIC_CACHE_STALE_SECONDS:
        forget_versions()
    known = _copy["versions"]
    names = [key for key in keys if key in (SITE, LISTS) and key not in known]
    if names:
        known.update(_versions(names))
    for key in keys:
        if key not in known:
            # A case's version; None once the case is deleted, which leaves none of its pages current.
            known[key] = Case.objects.filter(pk=key[1]).values_list("public_version", flat=True).first()
    return {key: known[key] for key in keys}


def _fresh(deps):
    """Tell whether the versions a cached page was built from are current, as of PUBLIC_CACHE_STALE_SECONDS ago."""
    built = dict(deps["versions"])
    if "case" in deps:
        case_id, version = deps["case"]
        built[("case", case_id)] = version
    known = _known_versions(built)
    if any(value is not None and built[key] > value for key, value in known.items()):
        # Versions only grow, so this page was built after the copy was read: the copy is out of date.
        forget_versions()
        known = _known_versions(built)
    return known == built


class PublicCacheMiddleware:
    """Serve cached anonymous public pages before the rest of the stack runs, and store new ones after it.

    Sits after the security, CSP and static-file middleware, which still add their headers to every hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is not None:
            # With the page, the time HttpCachingMiddleware would fetch for Last-Modified: one round trip, not two.
            found = cache.get_many([key, CHANGED_KEY])
            entry = found.get(key)
            if entry is not None and _fresh(entry["deps"]):
                response = HttpResponse(entry["content"])
                for name, value in entry["headers"]:
                    response[name] = value
                if CHANGED_KEY in found:
                    response["Last-Modified"] = http_date(found[CHANGED_KEY])
                return response
        response = self.get_response(request)
        if key is not None and self._storable(request, response):
            # Hashed once here rather than by ConditionalGetMiddleware on every hit.
            set_response_etag(response)
            entry = {
                "deps": request._public_cache_deps,
                "headers": list(response.items()),  # cookies are apart from these, and pages with cookies stay out
                "content": response.content,
            }
            cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
        return response

    @staticmethod
    def _key(request):
        """Return the cache key of an anonymous GET, or None for requests never served from the cache."""
        if not settings.CACHE_URL or settings.PUBLIC_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        # Staff always carry a session; a visitor with one may have a message or state on the page.
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
            return None
        try:
            url = request.build_absolute_uri()
        except DisallowedHost:
            return None  # let the rest of the stack answer it as usual
        # The same language LocaleMiddleware will pick, so the key names the page exactly.
        language = get_language_from_request(request, check_path=True)
        digest = hashlib.sha256(f"{language}\n{url}".encode()).hexdigest()
        return f"public-pages:{digest}"

    @staticmethod
    def _storable(request, response):
        return (
            hasattr(request, "_public_cache_deps")
            and not request.user.is_authenticated
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )
