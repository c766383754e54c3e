"""The replica router: anonymous reads go to a replica, staff work and every write to the primary."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import router
from django.test import RequestFactory

from cases.models import Case
from casetracker.replicas import ReplicaMiddleware, ReplicaRouter


@pytest.fixture
def replica(settings):
    """A second database alias (never connected to: these tests only ask where queries would go)."""
    settings.DATABASES = {**settings.DATABASES, "replica_1": {**settings.DATABASES["default"]}}
    settings.DATABASE_ROUTERS = ["casetracker.replicas.ReplicaRouter"]


def database_used(method, user):
    """Return the alias a case query made while serving a request by user would read from and write to."""
    request = getattr(RequestFactory(), method)("/cases/")
    request.user = user
    seen = {}

    def view(request):
        seen["read"], seen["write"] = router.db_for_read(Case), router.db_for_write(Case)

    ReplicaMiddleware(view)(request)
    return seen


def test_anonymous_reads_use_the_replica(replica):
    assert database_used("get", AnonymousUser()) == {"read": "replica_1", "write": "default"}
    assert database_used("head", AnonymousUser())["read"] == "replica_1"


def test_staff_and_posts_use_the_primary(replica, django_user_model):
    staff = django_user_model(username="editor")
    assert database_used("get", staff)["read"] == "default"  # so staff always read their own writes
    assert database_used("post", AnonymousUser())["read"] == "default"


def test_outside_a_request_and_without_replicas_everything_uses_the_primary(replica, settings):
    assert Case.objects.all().db == "default"
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    assert database_used("get", AnonymousUser())["read"] == "default"


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "cases")
    assert not ReplicaRouter().allow_migrate("replica_1", "cases")
