from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("parties", views.PartyViewSet, basename="party")
router.register("courts", views.CourtViewSet, basename="court")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("vendors", views.VendorViewSet, basename="vendor")
router.register("systems", views.SystemViewSet, basename="system")
router.register("deployments", views.DeploymentViewSet, basename="deployment")

# Swagger UI and Redoc come from drf_spectacular_sidecar's static files. Their scripts are files (the split
# view serves Swagger's start-up script from its own URL), but both inject inline styles, allowed here only.
docs_csp = csp_replace({"style-src": [SELF, UNSAFE_INLINE]})

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("docs/redoc/", docs_csp(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]
