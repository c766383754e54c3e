"""Draw the world map as accessible SVG: countries shaded by a count, with a legend and points."""

import functools
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from .projection import Frame

SHAPES = Path(__file__).with_name("countries.json")
CLASSES = 5  # shades of the colour scale, besides "no cases" (stylesheet classes map-1 ... map-5)
LEGEND_HEIGHT = 40
DOT_RADIUS = 3
POINT_RADIUS = 4


@dataclass(frozen=True)
class MapPoint:
    """A place drawn as a dot on the map, e.g. a deployment in a city."""

    label: str
    latitude: float
    longitude: float
    url: str = ""
    kind: str = ""


@functools.cache
def shapes():
    """Return the committed country shapes (see build_shapes.py)."""
    return json.loads(SHAPES.read_text())


def frame():
    projection = shapes()["projection"]
    return Frame(scale=projection["scale"], x=projection["x"], y=projection["y"])


def breaks(top):
    """Return the upper bounds of up to CLASSES count ranges covering 1..top, evenly spaced on a log scale."""
    if top < 1:
        return []
    return sorted({max(1, round(top ** (step / CLASSES))) for step in range(1, CLASSES + 1)})


def shade(count, bounds):
    """Return the colour class (0 for no cases) of count.

    With fewer ranges than shades the classes are spread over the scale, so the top range is always the
    darkest and one case never gets a shade hard to tell from none.
    """
    if not count:
        return 0
    index = next(index for index, bound in enumerate(bounds, start=1) if count <= bound)
    return math.ceil(index * CLASSES / len(bounds))


def _count_label(code, count):
    name = Country(code).name
    if not name:
        return ""
    return ngettext("%(country)s: %(count)d case", "%(country)s: %(count)d cases", count) % {
        "country": name,
        "count": count,
    }


def _countries(counts, bounds, country_url):
    parts = []
    for code, d in shapes()["shapes"].items():
        count = counts.get(code, 0)
        if count:
            parts.append(
                format_html(
                    '<a href="{}"><title>{}</title><path class="map-{}" d="{}"></path></a>',
                    country_url(code),
                    _count_label(code, count),
                    shade(count, bounds),
                    d,
                )
            )
        else:
            parts.append(format_html('<path class="map-0" d="{}"></path>', d))
    # Countries too small to draw at this scale appear as a dot while they have cases.
    for code, (x, y) in shapes()["dots"].items():
        count = counts.get(code, 0)
        if count:
            parts.append(
                format_html(
                    '<a href="{}"><title>{}</title><circle class="map-{} map-dot" cx="{}" cy="{}" r="{}"></circle></a>',
                    country_url(code),
                    _count_label(code, count),
                    shade(count, bounds),
                    x,
                    y,
                    DOT_RADIUS,
                )
            )
    return mark_safe("".join(parts))  # noqa: S308 - each part was built by format_html


def _points(points):
    place = frame().place
    parts = []
    for point in points:
        x, y = place(point.longitude, point.latitude)
        circle = format_html(
            '<circle class="map-point map-point-{}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
            point.kind or "place",
            round(x, 1),
            round(y, 1),
            POINT_RADIUS,
            point.label,
        )
        parts.append(format_html('<a href="{}">{}</a>', point.url, circle) if point.url else circle)
    return mark_safe("".join(parts))  # noqa: S308 - each part was built by format_html


def legend_entries(bounds):
    """Return [(colour class, label)] for the legend: no cases, then each count range."""
    entries = [(0, _("No cases"))]
    low = 1
    for bound in bounds:
        entries.append((shade(bound, bounds), str(bound) if low == bound else f"{low}–{bound}"))
        low = bound + 1
    return entries


def _legend(bounds, top):
    swatches = format_html_join(
        "",
        '<g transform="translate({},0)"><rect class="map-{}" width="16" height="16"></rect>'
        '<text class="map-legend-label" x="22" y="13">{}</text></g>',
        ((index * 110, shade_class, label) for index, (shade_class, label) in enumerate(legend_entries(bounds))),
    )
    return format_html(
        '<g class="map-legend" transform="translate(20,{})">'
        '<text class="map-legend-label" x="0" y="-6">{}</text>{}</g>',
        top + 18,
        _("Cases per country"),
        swatches,
    )


def world_map(
    counts: Mapping[str, int],
    *,
    points: Iterable[MapPoint] = (),
    country_url: Callable[[str], str],
    title: str = "",
    description: str = "",
):
    """Return safe SVG markup of a world map shading each country by counts[ISO code], linking it by country_url."""
    data = shapes()
    # A group, not role="img": an image's children are presentational, which would hide the country links.
    bounds = breaks(max(counts.values(), default=0))
    title = title or _("Map of cases by country")
    description = description or _("Countries are shaded by their number of cases; the table below lists them.")
    return format_html(
        '<svg class="world-map" viewBox="0 0 {} {}" role="group" aria-labelledby="world-map-title world-map-desc">'
        '<title id="world-map-title">{}</title><desc id="world-map-desc">{}</desc>'
        '<g class="map-countries">{}</g><g class="map-points">{}</g>{}</svg>',
        data["width"],
        data["height"] + LEGEND_HEIGHT,
        title,
        description,
        _countries(counts, bounds, country_url),
        _points(points),
        _legend(bounds, data["height"]),
    )
