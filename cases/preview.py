"""Staff previews of public pages: who may see what the public cannot, and how such a page is served."""

from django.contrib import admin
from django.utils.cache import add_never_cache_headers

from . import permissions


def may_view_case(request, case):
    """Return whether request's user may see case with its confidential records, as the admin would show it."""
    # Staff means someone the admin lets in (second factor included) with view permission, as for documents;
    # a preview shows confidential records, so only the case's team and editors (cases.permissions).
    return (
        admin.site.has_permission(request)
        and request.user.has_perm("cases.view_case")
        and permissions.may_see_confidential(request.user, case)
    )


def mark_private(response):
    """Keep a preview out of every cache and every search engine."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def previewable_case(request, slug):
    """Return the case with slug, drafts and confidential records included, if request's user may view it."""
    from .models import Case
    from .selectors import preview_case_detail

    case = Case.objects.filter(slug=slug).first()
    if case is None or not may_view_case(request, case):
        return None
    return preview_case_detail(slug)
