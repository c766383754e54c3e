"""Login throttling with django-axes: repeated failures lock the username+address pair out with 429."""

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset
from django.test import Client

PASSWORD = "correct-horse-battery"
pytestmark = pytest.mark.django_db


DATABASE_HANDLER = "axes.handlers.database.AxesDatabaseHandler"


@pytest.fixture
def axes_handler(settings):
    """Switch the axes handler for one test, then put the configured one back."""
    configured = settings.AXES_HANDLER

    def use(handler):
        settings.AXES_HANDLER = handler
        AxesProxyHandler.get_implementation(force=True)

    yield use
    if settings.AXES_HANDLER == DATABASE_HANDLER:
        reset()
    settings.AXES_HANDLER = configured
    AxesProxyHandler.get_implementation(force=True)


def attempt(client, username, password, address="10.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def lock_out(client, settings, username, address="10.0.0.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, username, "wrong-password", address)


def test_failures_lock_out_with_429(lawyer, settings, axes_handler):
    axes_handler(DATABASE_HANDLER)
    client = Client()

    assert attempt(client, "lawyer", "wrong-password").status_code == 200
    lock_out(client, settings, "lawyer")
    response = attempt(client, "lawyer", PASSWORD)

    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_lockout_is_per_username_and_address(lawyer, other_lawyer, settings, axes_handler):
    axes_handler(DATABASE_HANDLER)
    lock_out(Client(), settings, "lawyer")

    assert attempt(Client(), "other_lawyer", PASSWORD).status_code == 302
    assert attempt(Client(), "lawyer", PASSWORD, address="10.0.0.2").status_code == 302


def test_success_before_the_limit_resets_the_count(lawyer, settings, axes_handler):
    axes_handler(DATABASE_HANDLER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "lawyer", "wrong-password")
    assert attempt(client, "lawyer", PASSWORD).status_code == 302

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(Client(), "lawyer", "wrong-password")
    assert attempt(Client(), "lawyer", PASSWORD).status_code == 302


def test_lockout_state_lives_in_redis(lawyer, settings, redis_url, axes_handler):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "axes-test",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    axes_handler("axes.handlers.cache.AxesCacheHandler")
    import redis

    server = redis.Redis.from_url(redis_url)

    lock_out(Client(), settings, "lawyer")

    assert attempt(Client(), "lawyer", PASSWORD).status_code == 429
    assert server.keys("axes-test:*axes*")
    server.delete(*server.keys("axes-test:*"))


def test_settings_choose_the_cache_handler_with_redis():
    import subprocess
    import sys

    env = {"CACHE_URL": "redis://127.0.0.1:6379/1", "PATH": "/usr/bin:/bin"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.AXES_HANDLER)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "casetracker.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip().endswith("axes.handlers.cache.AxesCacheHandler")


def test_forged_forwarded_for_headers_do_not_escape_the_lockout(lawyer, settings, axes_handler):
    axes_handler(DATABASE_HANDLER)
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "lawyer", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(
        "/admin/login/", {"username": "lawyer", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.200"
    )
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lockout_is_per_client(lawyer, settings, axes_handler):
    axes_handler(DATABASE_HANDLER)
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            "/admin/login/", {"username": "lawyer", "password": "wrong"}, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxied
        )
    login = {"username": "lawyer", "password": PASSWORD}
    assert Client().post("/admin/login/", login, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxied).status_code == 429
    assert Client().post("/admin/login/", login, HTTP_X_FORWARDED_FOR="198.51.100.2", **proxied).status_code == 302
