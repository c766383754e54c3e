"""Production settings: a real SECRET_KEY is mandatory, the deploy checklist is clean, auth is strict."""

import json
import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "tracker.example.org"}


def run_django(code, **env):
    """Run code after django.setup() in a fresh interpreter with only the given environment."""
    base = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "casetracker.settings", "HOME": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def run_manage(*args, **env):
    base = {"PATH": os.environ["PATH"], "HOME": str(ROOT)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def real_key():
    return secrets.token_urlsafe(64)


@pytest.mark.parametrize("key", [None, "dev-insecure-secret-key-never-use-in-production", "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = dict(PRODUCTION) if key is None else {**PRODUCTION, "SECRET_KEY": key}

    result = run_django("print('started')", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_are_hardened():
    code = (
        "from django.conf import settings as s; import json; print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_REFERRER_POLICY', 'SECURE_CROSS_ORIGIN_OPENER_POLICY', 'X_FRAME_OPTIONS']}))"
    )
    result = run_django(code, SECRET_KEY=real_key(), **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
    }


def test_deploy_checklist_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=real_key(), **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "password",
    ["short1A!", "123456789012345", "password12345", "editor-editor-1"],
)
def test_weak_passwords_are_refused(password, django_user_model):
    user = django_user_model(username="editor-editor", email="editor-editor@example.org")

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_strong_password_is_accepted(django_user_model):
    validate_password("violet-lantern-harbour-92", django_user_model(username="editor"))


def test_staff_sessions_expire():
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) <= timedelta(hours=12)


@pytest.mark.django_db
def test_session_cookie_carries_the_expiry(client, lawyer):
    client.post("/admin/login/", {"username": "lawyer", "password": "correct-horse-battery"})

    assert client.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE
