from django.urls import path

from . import documents, exportjobs, feeds, views
from .cache import cache_public_page

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/export.csv", views.case_list_download, {"fmt": "csv"}, name="case_list_csv"),
    path("cases/export.json", views.case_list_download, {"fmt": "json"}, name="case_list_json"),
    path("cases/exports/<str:fmt>/", exportjobs.start_export, name="export_start"),
    path("cases/exports/job/<str:token>/", exportjobs.job_page, name="export_job"),
    path("cases/exports/job/<str:token>/file", exportjobs.job_file, name="export_job_file"),
    path("cases/feed.atom", cache_public_page(feeds.CaseListFeed()), name="case_list_feed"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("cases/<slug:slug>/feed.atom", cache_public_page(feeds.CaseFeed()), name="case_feed"),
    path("parties/<slug:slug>/", views.party_detail, name="party_detail"),
    path("courts/<slug:slug>/", views.court_detail, name="court_detail"),
    path("technologies/<slug:slug>/", views.technology_detail, name="technology_detail"),
    path("systems/", views.system_list, name="system_list"),
    path("systems/<slug:slug>/", views.system_detail, name="system_detail"),
    path("vendors/<slug:slug>/", views.vendor_detail, name="vendor_detail"),
    path("deployments/<slug:slug>/", views.deployment_detail, name="deployment_detail"),
    path("stats/", views.stats, name="stats"),
    path("map/", views.world_map_page, name="map"),
    path("feeds/latest.atom", cache_public_page(feeds.LatestFeed()), name="latest_feed"),
    path("documents/<str:kind>/<int:pk>/", documents.document_download, name="document_download"),
    path("documents/<str:kind>/<int:pk>/text/", views.document_text, name="document_text"),
]
