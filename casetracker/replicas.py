"""Read replicas: anonymous reads of the public site go to a replica, everything else to the primary.

Staff are always signed in, so every request of theirs (and so every read after their own writes) uses the
primary; anonymous GETs see public data that may lag the primary by the replication delay. Commands, tasks
and anything outside a request use the primary. Without DATABASE_REPLICA_URLS there is no router at all.
"""

import random
from contextvars import ContextVar

from django.conf import settings

REPLICA_PREFIX = "replica_"
_reading_public = ContextVar("reading_public", default=False)


def replica_aliases():
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


class ReplicaRouter:
    """Send reads made while serving an anonymous GET to a replica; writes and the rest to the primary."""

    def db_for_read(self, model, **hints):
        replicas = replica_aliases()
        if replicas and _reading_public.get():
            return random.choice(replicas)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaMiddleware:
    """Let the router use a replica for the reads of an anonymous GET or HEAD."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in ("GET", "HEAD") and not request.user.is_authenticated
        token = _reading_public.set(public)
        try:
            return self.get_response(request)
        finally:
            _reading_public.reset(token)
