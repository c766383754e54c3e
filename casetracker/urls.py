"""Root URLs: public pages under /ru/ for Russian, the admin, health and machine endpoints."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cases.calendar import calendar_feed

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=False,
)
