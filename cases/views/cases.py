"""The public case page."""

from django.shortcuts import render

from ..cache import cache_public_page, depends_on_case
from ..selectors import parties_by_side, public_case_detail, public_documents, public_timeline


@cache_public_page
def case_detail(request, slug):
    """Show one published case: parties, appeal chain, merged timeline, documents and sources."""
    case = public_case_detail(slug)
    depends_on_case(request, case)
    newest_first = request.GET.get("order") == "newest"
    timeline = public_timeline(case, newest_first=newest_first)
    context = {
        "case": case,
        "sides": parties_by_side(case),
        "timeline": timeline,
        "newest_first": newest_first,
        "documents": public_documents(case),
        "canonical_url": request.build_absolute_uri(case.get_absolute_url()),
    }
    return render(request, "cases/case_detail.html", context)
