"""Root URLs: public pages under /ru/ for Russian, the admin, health and machine endpoints."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=False,
)
