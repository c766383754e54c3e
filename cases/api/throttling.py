from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from casetracker.clientip import client_ip


class PublicApiThrottle(AnonRateThrottle):
    """Limit anonymous clients per IP address to settings.API_ANON_RATE (e.g. "300/minute"; None for no limit)."""

    scope = "public_api"

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", "300/minute")

    def get_ident(self, request):
        return client_ip(request)
