"""The site's URLs plus /bench/trivial, the baseline: the full middleware stack and a view that does nothing."""

from django.http import HttpResponse
from django.urls import path

from casetracker.urls import urlpatterns as site


def trivial(request):
    """Return a constant response."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site]
