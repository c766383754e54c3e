"""Root URLs: public pages under /ru/ for Russian, the admin, health and machine endpoints."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from cases import datadump
from cases.admin.imports import import_cases_view
from cases.cache import cache_public_page
from cases.calendar import calendar_feed
from cases.sitemaps import SITEMAPS
from cases.views import robots_txt

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", include("cases.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        cache_public_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", cache_public_page(sitemaps.sitemap), {"sitemaps": SITEMAPS}, name="sitemap_section"),
]

urlpatterns += i18n_patterns(
    path("admin/cases/case/import/", admin.site.admin_view(import_cases_view), name="admin_case_import"),
    path("admin/", admin.site.urls),
    path("data/", datadump.data_index, name="data_index"),
    path("data/<str:name>", datadump.data_file, name="data_file"),
    path("", include("cases.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=False,
)
