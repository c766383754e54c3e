"""The filterable case list and its CSV download."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..cache import cache_public_page
from ..filters import CaseFilter, Sort
from ..selectors import facet_counts
from .facets import active_filters, facet_groups

PAGE_SIZE = 25
CSV_MAX_ROWS = 5000


@cache_public_page
def case_list(request):
    """List published cases with facet counts, search, sorting and pagination."""
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "facets": facet_groups(filterset, facet_counts(cases)),
        "active_filters": active_filters(filterset),
        "sort_choices": Sort.CHOICES,
        "current_sort": filterset.form.cleaned_data.get("sort")
        or (Sort.RELEVANCE if filterset.form.cleaned_data.get("q") else Sort.ACTIVITY),
    }
    return render(request, "cases/case_list.html", context)


@cache_public_page
def case_list_csv(request):
    """Download the current filtered list as CSV."""
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs.prefetch_related("grounds")[:CSV_MAX_ROWS]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Title"),
            _("Title in Russian"),
            _("Original title"),
            _("Address"),
            _("Country"),
            _("Status"),
            _("Outcome"),
            _("Date filed"),
            _("Latest activity"),
            _("Technologies"),
            _("Rights and grounds"),
        ]
    )
    for case in cases:
        writer.writerow(
            [
                _csv_safe(case.title),
                _csv_safe(case.title_ru),
                _csv_safe(case.original_title),
                request.build_absolute_uri(case.get_absolute_url()),
                case.country.code,
                case.get_status_display(),
                case.get_outcome_display(),
                case.filed_on or "",
                case.last_activity_on or "",
                "; ".join(t.name for t in case.technologies.all()),
                "; ".join(g.name for g in case.grounds.all()),
            ]
        )
    return response


def _csv_safe(text):
    # Spreadsheets run cells that start with these as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
