"""The world map of published cases by country and of public deployments by city, following the list's filters."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_countries.fields import Country

from ..cache import cache_public_page
from ..filters import CaseSelection
from ..geo.svg import MapPoint, world_map
from ..selectors import facet_count, public_map_deployments
from .facets import active_filters


def _list_url(filterset, code):
    """Return the case list with the map's filters and this one country."""
    query = {name: filterset.data.getlist(name) for name in filterset.filters if name in filterset.data}
    query["country"] = [code]
    return f"{reverse('cases:case_list')}?{urlencode(sorted(query.items()), doseq=True)}"


def _point(deployment):
    return MapPoint(
        str(deployment),
        float(deployment.latitude),
        float(deployment.longitude),
        url=deployment.get_absolute_url(),
        kind="deployment",
    )


@cache_public_page
def world_map_page(request):
    """Shade each country by its published cases matching the list's filters, mark their deployments, with tables."""
    filterset = CaseSelection(request.GET, request=request)
    cases = filterset.qs  # validates the filters
    # Unfiltered, the map shows every count and deployment; filtered, only the matching cases and what they challenge.
    narrowed = cases if filterset.narrows() else None
    # Unfiltered counts are read whole from the facet summary; filtered ones count the matching cases' rows.
    counts = {code: n for code, _row, n in facet_count(narrowed, "country")}
    rows = sorted(
        ((Country(code).name, n, _list_url(filterset, code)) for code, n in counts.items()),
        key=lambda row: (-row[1], row[0]),
    )
    deployments = list(public_map_deployments(narrowed))
    # The default description speaks of countries only; with points it names them too.
    description = _("Countries are shaded by their cases and dots mark deployments; the tables below list both.")
    context = {
        "filterset": filterset,
        "active_filters": active_filters(filterset),
        "rows": rows,
        "total": sum(counts.values()),
        "deployments": deployments,
        "map": world_map(
            counts,
            points=[_point(deployment) for deployment in deployments],
            country_url=lambda code: _list_url(filterset, code),
            description=description if deployments else "",
        ),
    }
    return render(request, "cases/map.html", context)
