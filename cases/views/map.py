"""The world map of published cases by country, following the case list's filters."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django_countries.fields import Country

from ..cache import cache_public_page
from ..filters import CaseFilter
from ..geo.svg import world_map
from ..selectors import facet_count
from .facets import active_filters


def _list_url(filterset, code):
    """Return the case list with the map's filters and this one country."""
    query = {name: filterset.data.getlist(name) for name in filterset.filters if name in filterset.data}
    query["country"] = [code]
    return f"{reverse('cases:case_list')}?{urlencode(sorted(query.items()), doseq=True)}"


@cache_public_page
def world_map_page(request):
    """Shade each country by its published cases matching the list's filters, with a table of the same counts."""
    filterset = CaseFilter(request.GET, request=request)
    cases = filterset.qs  # validates the filters
    # Unfiltered counts are read whole from the facet summary; filtered ones count the matching cases' rows.
    counts = {code: n for code, _row, n in facet_count(cases if filterset.narrows() else None, "country")}
    rows = sorted(
        ((Country(code).name, n, _list_url(filterset, code)) for code, n in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    context = {
        "filterset": filterset,
        "active_filters": active_filters(filterset),
        "rows": rows,
        "total": sum(counts.values()),
        "map": world_map(counts, country_url=lambda code: _list_url(filterset, code)),
    }
    return render(request, "cases/map.html", context)
