"""Shared fixtures: users in each role, real services, and a way to require them."""

import os

import pytest
from django.contrib.auth.models import Group

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

# Real SMTP server and Celery worker fixtures: smtp_server, celery_worker_process.
pytest_plugins = ["tests.smtp", "tests.worker"]


@pytest.fixture(autouse=True)
def english_between_tests():
    """Start each test in English: a request to a /ru/ page leaves Russian active in the thread afterwards."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def public_pages_uncached(settings):
    """Serve public pages uncached even when CACHE_URL is set (as in CI): tests make data without the commit
    that would invalidate cached copies. tests/test_public_cache.py turns caching on to test it.

    Also start without a copy of the page versions (cases.cache): the last test's were rolled back, and a
    copy holding higher versions than the database would take every page for stale."""
    from cases.cache import forget_versions

    settings.CACHE_URL = ""
    forget_versions()


@pytest.fixture
def no_cached_pages():
    """Empty the cache before and after the test: with CACHE_URL set, public pages cached by one test would
    be served to the next, which made its data without invalidating them (no commit, no version bump)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def need(condition, reason):
    """Skip when a service is missing, or fail when CI requires every service."""
    if condition:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def tasks_run_here():
    """Run Celery tasks in this process when they are queued (with the test's on-commit callbacks)."""
    from casetracker.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def upload_document(editor, settings, tmp_path, tasks_run_here, django_capture_on_commit_callbacks):
    """Save a filing with a document through the action and read its text, as the worker would after commit.

    upload_document(data, name="judgment.txt", filing=None, **filing_fields) returns the saved filing; a new
    filing is a public judgment in a new published case unless filing_fields say otherwise.
    """
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.actions.records import save_record
    from cases.models import Filing

    from . import factories

    settings.MEDIA_ROOT = tmp_path

    def upload(data, name="judgment.txt", filing=None, **fields):
        if filing is None:
            defaults = {"filed_on": datetime.date(2020, 1, 31), "kind": "judgment", "title": "Judgment"}
            defaults["is_public"] = True
            case = fields.pop("case", None) or factories.case(published=True)
            filing = Filing(proceeding=factories.proceeding(case), **(defaults | fields))
        filing.document = SimpleUploadedFile(name, data)
        with django_capture_on_commit_callbacks(execute=True):
            save_record(filing, actor=editor)
        filing.refresh_from_db()
        return filing

    return upload


@pytest.fixture
def require_postgres(settings):
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        need(False, f"needs Redis at {url}")
    return url


def make_user(django_user_model, username, group=None, **extra):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.org", password="correct-horse-battery", is_staff=True, **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def otp_verify(client, user):
    """Mark client's session as having passed the second factor, as the admin login form does."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def client(client):
    """The test client; its force_login also passes the admin's second factor (see casetracker/admin.py).

    Tests of the two-factor login itself use a plain django.test.Client.
    """
    force_login = client.force_login

    def force_login_verified(user, backend=None):
        force_login(user, backend)
        otp_verify(client, user)

    client.force_login = force_login_verified
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def otp_login(client):
    """Log a user into the admin with both factors: otp_login(editor)."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor", "Editors")


@pytest.fixture
def lawyer(django_user_model):
    return make_user(django_user_model, "lawyer", "Lawyers")


@pytest.fixture
def other_lawyer(django_user_model):
    return make_user(django_user_model, "other_lawyer", "Lawyers")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last, after pytest-randomly has shuffled the rest (its hook runs first).

    Their live server's transactional test ends with a plain flush, after which the worker, backup and fault
    tests (serialized rollback) would collide with re-created content types.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
