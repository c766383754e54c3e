"""The filterable case list and its CSV download."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .. import exports
from ..cache import cache_public_page
from ..document_search import document_hits
from ..filters import CaseFilter, Sort
from ..selectors import public_document_pages
from .facets import active_filters, facet_groups

PAGE_SIZE = 25


@cache_public_page
def case_list(request):
    """List published cases with facet counts, search, sorting and pagination."""
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    data = filterset.form.cleaned_data
    if data.get("q"):
        hits = document_hits(public_document_pages(), [case.pk for case in page.object_list], data["q"])
        for case in page.object_list:
            case.document_hits = hits.get(case.pk, [])
    context = {
        "filterset": filterset,
        "page": page,
        "facets": facet_groups(filterset),
        "active_filters": active_filters(filterset),
        "sort_choices": Sort.CHOICES,
        "current_sort": data.get("sort") or (Sort.RELEVANCE if data.get("q") else Sort.ACTIVITY),
    }
    return render(request, "cases/case_list.html", context)


def case_list_download(request, fmt):
    """Download the current filtered list as CSV or JSON, in the same format as the API and the data dump."""
    return exports.export_response(CaseFilter(request.GET, request=request).qs, fmt, request=request)
