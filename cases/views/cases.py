"""The public case page, and its staff preview."""

from django.http import Http404
from django.shortcuts import render

from ..cache import cache_public_page, depends_on_case
from ..preview import mark_private, previewable_case
from ..selectors import parties_by_side, public_case_detail, public_documents, public_timeline


@cache_public_page
def case_detail(request, slug):
    """Show one published case: parties, appeal chain, merged timeline, documents and sources.

    Staff who may view the case see a draft, or with ?preview a published case's confidential records too,
    marked as not public.
    """
    preview = previewable_case(request, slug) if "preview" in request.GET else None
    try:
        case = preview or public_case_detail(slug)
    except Http404:
        case = preview = previewable_case(request, slug)
        if case is None:
            raise
    if not preview:
        depends_on_case(request, case)
    newest_first = request.GET.get("order") == "newest"
    timeline = public_timeline(case, newest_first=newest_first)
    context = {
        "case": case,
        "preview": preview is not None,
        "sides": parties_by_side(case),
        "timeline": timeline,
        "newest_first": newest_first,
        "documents": public_documents(case),
        "canonical_url": request.build_absolute_uri(case.get_absolute_url()),
    }
    response = render(request, "cases/case_detail.html", context)
    return response if preview is None else mark_private(response)
