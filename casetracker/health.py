"""Liveness and readiness for load balancers and `docker compose`."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any driver error means "down" to a health check
        return False


def broker_ok():
    try:
        with Connection(
            settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS, connect_timeout=2
        ) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # any transport error means "down"
        return False


@never_cache
def healthz(request):
    """Report database and broker status; 503 when the database is down."""
    database, broker = database_ok(), broker_ok()
    body = {"database": "ok" if database else "down", "broker": "ok" if broker else "down"}
    return JsonResponse(body, status=200 if database else 503)
