"""Home, statistics and robots.txt."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries.fields import Country

from ..cache import cache_public_page
from ..charts import bar_chart, stacked_bar_chart
from ..models.base import Result
from ..selectors import headline_counts, public_latest_events, public_stats, public_technologies

LATEST_ON_HOME = 10


@cache_public_page
def home(request):
    """Show latest developments, headline counts and what the site is."""
    context = {
        "counts": headline_counts(),
        "latest": public_latest_events(LATEST_ON_HOME),
        "technologies": public_technologies().order_by("name"),
    }
    return render(request, "cases/home.html", context)


def _year_outcome_table(rows):
    """Return (series labels, [(year, [count per series])]) from public_stats()['by_year_outcome']."""
    outcomes = [value for value, _label in Result.choices if any(row["outcome"] == value for row in rows)]
    if any(not row["outcome"] for row in rows):
        outcomes.append("")
    years = {}
    for row in rows:
        years.setdefault(row["year"], dict.fromkeys(outcomes, 0))[row["outcome"]] = row["n"]
    labels = [Result(value).label if value else _("No outcome yet") for value in outcomes]
    return labels, [(year, [counts[value] for value in outcomes]) for year, counts in sorted(years.items())]


@cache_public_page
def stats(request):
    """Show cases by year and outcome, by technology and by country, as SVG charts with data tables."""
    numbers = public_stats()
    series, by_year = _year_outcome_table(numbers["by_year_outcome"])
    by_technology = [
        (technology.display_name, technology.n, technology.slug) for technology in numbers["by_technology"]
    ]
    by_country = [(Country(row["country"]).name, row["n"], row["country"]) for row in numbers["by_country"]]
    context = {
        "series": series,
        "by_year": by_year,
        "by_technology": by_technology,
        "by_country": by_country,
        "year_chart": stacked_bar_chart(_("Cases by year filed and outcome"), by_year, series),
        "technology_chart": bar_chart(_("Cases by technology"), [row[:2] for row in by_technology]),
        "country_chart": bar_chart(_("Cases by country"), [row[:2] for row in by_country]),
    }
    return render(request, "cases/stats.html", context)


def robots_txt(request):
    """Let crawlers see public pages, not the admin or the API's internals."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /ru/admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
