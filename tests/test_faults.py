"""Faults: PostgreSQL dropping connections under load, Redis gone, and a full disk on upload."""

import datetime
import errno
import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import psycopg
import pytest
import redis
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from cases.actions.events import case_changed
from cases.actions.publishing import unpublish_case
from cases.models import Filing
from tests import factories
from tests.conftest import need

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- PostgreSQL drops every connection while the site is under load ------------------------------------------


def database_url(settings_dict):
    return (
        f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST'] or '127.0.0.1'}"
        f":{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


@pytest.fixture
def gunicorn_on_test_database(require_postgres, tmp_path):
    """Serve the site with gunicorn (2 workers, persistent connections) against the test database."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": "memory://",
    }
    env.pop("CACHE_URL", None)
    with open(tmp_path / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "casetracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def terminate_site_connections():
    """Kill the web's connections to the test database, as a PostgreSQL restart would (ours survives)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    with psycopg.connect(database_url({**connection.settings_dict, "NAME": "postgres"}), autocommit=True) as admin:
        return admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> %s AND backend_type = 'client backend'",
            [connection.settings_dict["NAME"], own_pid],
        ).fetchone()[0]


def status(url):
    try:
        return urlopen(url, timeout=10).status
    except HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_web_recovers_when_postgres_drops_connections_under_load(gunicorn_on_test_database):
    paths = ["/healthz", "/cases/?country=RU", "/cases/?q=kill", "/stats/"]
    killed = 0
    with ThreadPoolExecutor(max_workers=4) as pool:
        for round_ in range(5):
            urls = [
                f"{gunicorn_on_test_database}{path}{'&' if '?' in path else '?'}r={round_}-{i}"
                for i, path in enumerate(paths * 5)
            ]
            results = list(pool.map(status, urls))
            assert results == [200] * len(urls), f"round {round_}: {results}"
            killed += terminate_site_connections()
    assert killed >= 2  # the workers' persistent connections really were cut, and every later request was served


# --- Redis is down: cached pages are served uncached --------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/cases/", "/cases/feed.atom", "/feeds/latest.atom", "/sitemap.xml", "/stats/"])
def test_cached_pages_degrade_to_uncached_when_redis_is_down(client, redis_down, path):
    case = factories.case(published=True, title="Glukhin v. Russia")

    response = client.get(path)

    assert response.status_code == 200
    if path == "/cases/":
        assert case.slug in response.content.decode()


@pytest.mark.django_db
def test_admin_login_still_works_when_redis_is_down(redis_down, settings, lawyer):
    from axes.handlers.proxy import AxesProxyHandler

    configured = settings.AXES_HANDLER
    settings.AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
    AxesProxyHandler.get_implementation(force=True)
    try:
        client = Client()
        response = client.post("/admin/login/", {"username": "lawyer", "password": "correct-horse-battery"})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200
    finally:
        settings.AXES_HANDLER = configured
        AxesProxyHandler.get_implementation(force=True)


# --- Redis restarts under the worker, losing every queued task ----------------------------------------------


class PrivateRedis:
    """A redis-server of this test's own on a free port, without persistence, that the test can kill."""

    def __init__(self, folder):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def stop_keeping_data(self):
        """Shut the server down after saving what it holds, as a restart with persistence would."""
        with suppress(redis.exceptions.ConnectionError):
            redis.Redis.from_url(self.url).shutdown(save=True)
        self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    need(shutil.which("redis-server"), "needs redis-server (Debian package redis-server)")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.postgres
def test_redis_restart_under_the_worker_loses_no_reminder(celery_worker_process, smtp_server, private_redis, lawyer):
    from tests.test_reminders_worker import SWEEP, assert_each_delivered_once, due_reminders, statuses, wait_for

    expected = due_reminders(200, [lawyer])
    worker = celery_worker_process(CELERY_BROKER_URL=private_redis.url, REMINDER_CLAIM_LEASE_SECONDS=2)
    worker.call(SWEEP)
    wait_for(lambda: len(smtp_server.messages) >= 10, every=0.02)
    private_redis.kill()  # every queued and unacknowledged send task is gone with it
    assert statuses()["sending"] > 0  # rows claimed whose send tasks died with Redis
    private_redis.start()

    def sweep_again():
        with suppress(Exception):  # the broker may still be coming back
            worker.call(SWEEP)  # what beat does every few minutes

    wait_for(lambda: statuses() == {"sent": 200}, every=1, then=sweep_again)
    assert_each_delivered_once(smtp_server, expected)
    assert worker.process.poll() is None  # the same worker reconnected; nobody restarted it


# --- Redis is down while a case is unpublished: nothing stale is served when it returns --------------------


@pytest.mark.redis
@pytest.mark.django_db
def test_no_public_surface_shows_a_case_unpublished_while_redis_was_down(
    client, settings, private_redis, django_capture_on_commit_callbacks
):
    settings.CACHE_URL = private_redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    settings.PUBLIC_CACHE_SECONDS = 300
    case = factories.case(published=True, title="Glukhin v. Russia", filed_on=datetime.date(2019, 10, 7))
    party = factories.participation(case, party=factories.party(name="Nikolai Glukhin")).party
    proceeding = factories.proceeding(case)
    factories.filing(proceeding, title="Complaint against facial recognition")
    court = proceeding.court
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(case.pk)
    surfaces = [case.get_absolute_url(), f"/ru{case.get_absolute_url()}", f"{case.get_absolute_url()}feed.atom"]
    surfaces += ["/", "/cases/", "/cases/?country=RU", "/cases/feed.atom", "/feeds/latest.atom"]
    surfaces += ["/sitemap-cases.xml", party.get_absolute_url(), court.get_absolute_url()]
    for url in surfaces:
        assert case.slug in client.get(url).content.decode(), url
    assert "?country=RU" in client.get("/stats/").content.decode()

    private_redis.stop_keeping_data()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(case, actor=None)
    private_redis.start()

    assert redis.Redis.from_url(private_redis.url).dbsize() > 0  # the stale pages came back with Redis
    for url in surfaces:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert case.title not in response.content.decode(), url
        if response.status_code == 200:  # a 404 page links to its own address, in every language
            assert case.slug not in response.content.decode(), url
    assert "?country=RU" not in client.get("/stats/").content.decode()


# --- The disk is full when a document is uploaded -----------------------------------------------------------


class FormFields(HTMLParser):
    """Collect the submitted values of every field of a page's forms, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, attrs.get("value", "on"))
            else:
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def form_data(response):
    parser = FormFields()
    parser.feed(response.content.decode())
    return {k: v for k, v in parser.data.items() if "__prefix__" not in k}


@pytest.fixture
def full_disk(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def no_space(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 partial")  # the write got this far before the disk filled up
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_disk_full_on_upload_keeps_the_record_and_says_so(otp_login, editor, full_disk):
    proceeding = factories.proceeding(factories.case(title="Popova v. Moscow DIT"))
    client = otp_login(editor)
    url = f"/admin/cases/proceeding/{proceeding.pk}/change/"
    data = form_data(client.get(url))
    prefix = next(k for k in data if k.endswith("-TOTAL_FORMS") and k.startswith("filings")).removesuffix(
        "-TOTAL_FORMS"
    )
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(row + 1),
            f"{prefix}-{row}-filed_on": "2019-10-08",
            f"{prefix}-{row}-kind": "complaint",
            f"{prefix}-{row}-title": "Statement of claim",
            f"{prefix}-{row}-document": SimpleUploadedFile("claim.pdf", b"%PDF-1.4\nclaim\n%%EOF"),
            "docket_number": "2a-577/2019",
        }
    )

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "disk is full" in response.content.decode()
    assert "claim.pdf" in response.content.decode()
    filing = Filing.objects.get(proceeding=proceeding)
    assert filing.title == "Statement of claim"
    assert not filing.document
    proceeding.refresh_from_db()
    assert proceeding.docket_number == "2a-577/2019"
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []  # the partial file was removed


def test_other_storage_errors_still_raise(settings, tmp_path, monkeypatch):
    from casetracker.storage import MediaStorage

    def denied(self, name, content):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "_save", denied)
    with pytest.raises(PermissionError):
        MediaStorage(location=tmp_path).save("x.txt", SimpleUploadedFile("x.txt", b"x"))
