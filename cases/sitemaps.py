"""sitemap.xml: published cases and the public pages about parties, courts, technologies and surveillance."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse

from .selectors import (
    public_cases,
    public_courts,
    public_deployments,
    public_parties,
    public_systems,
    public_technologies,
    public_vendors,
)


class PublicSitemap(Sitemap):
    """A section whose pages exist in every UI language."""

    i18n = True
    alternates = True
    x_default = True
    # Pages of the section stay small; /sitemap.xml is an index of them.
    limit = 1000


class CaseSitemap(PublicSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            public_cases().prefetch_related(None).only("pk", "slug", "public_updated_at", "published_at").order_by("pk")
        )

    def lastmod(self, case):
        # The public record's date: editing internal notes must not tell crawlers the page changed.
        return case.public_updated_at or case.published_at

    def get_latest_lastmod(self):
        # The index asks for this; one aggregate instead of loading every case.
        return public_cases().aggregate(latest=Max(Coalesce("public_updated_at", "published_at")))["latest"]


class EntitySitemap(PublicSitemap):
    changefreq = "monthly"
    priority = 0.5

    def __init__(self, source, url_name):
        super().__init__()
        self.source = source
        self.url_name = url_name

    def items(self):
        return self.source().only("pk", "slug").order_by("pk")

    def location(self, obj):
        return reverse(self.url_name, args=[obj.slug])


class PageSitemap(PublicSitemap):
    changefreq = "daily"

    def items(self):
        return ["cases:home", "cases:case_list", "cases:stats", "cases:map"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "cases": CaseSitemap,
    "parties": EntitySitemap(public_parties, "cases:party_detail"),
    "courts": EntitySitemap(public_courts, "cases:court_detail"),
    "technologies": EntitySitemap(public_technologies, "cases:technology_detail"),
    "systems": EntitySitemap(public_systems, "cases:system_detail"),
    "vendors": EntitySitemap(public_vendors, "cases:vendor_detail"),
    "deployments": EntitySitemap(public_deployments, "cases:deployment_detail"),
}
