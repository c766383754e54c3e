"""The filterable case list and its CSV download."""

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render

from .. import exports
from ..cache import cache_public_page
from ..datadump import dump_dir
from ..document_search import document_hits
from ..filters import CaseFilter, Sort
from ..search import ranked_by
from ..selectors import public_cases, public_document_pages
from .facets import active_filters, estimated_counts, facet_groups, known_count
from .paging import RankedCases, page_of

PAGE_SIZE = 25


@cache_public_page
def case_list(request):
    """List published cases with facet counts, search, sorting and pagination."""
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs
    if filterset.ranked:
        cases = RankedCases(cases, filterset.ranked, by_id=ranked_by(public_cases(), filterset.ranked))
    page = page_of(cases, PAGE_SIZE, request.GET.get("page"), count=known_count(filterset))
    data = filterset.form.cleaned_data
    if data.get("q"):
        hits = document_hits(public_document_pages(), [case.pk for case in page.object_list], data["q"])
        for case in page.object_list:
            case.document_hits = hits.get(case.pk, [])
    context = {
        "filterset": filterset,
        "page": page,
        "facets": facet_groups(filterset),
        "estimated_counts": estimated_counts(filterset),
        "active_filters": active_filters(filterset),
        "sort_choices": Sort.CHOICES,
        "current_sort": data.get("sort") or (Sort.RELEVANCE if data.get("q") else Sort.ACTIVITY),
    }
    return render(request, "cases/case_list.html", context)


def case_list_download(request, fmt):
    """Download the current filtered list as CSV or JSON, in the same format as the API and the data dump.

    The unfiltered CSV is the nightly dump's file, ready at once; a list larger than an export may hold gets
    a page saying how to narrow it or where the whole data set is.
    """
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs  # validates the filters
    try:
        fields = exports.chosen_fields(request.GET.get("fields"))
    except exports.UnknownFields as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    if fmt == "csv" and fields is None and not filterset.narrows() and (dump_dir() / "cases.csv").is_file():
        return redirect("data_file", "cases.csv")
    try:
        return exports.export_response(cases, fmt, fields=fields)
    except exports.TooManyCases as error:
        context = {"count": error.count, "limit": error.limit, "fmt": fmt, "query": request.GET.urlencode()}
        return render(request, "cases/export_too_large.html", context, status=400)
