"""A real `celery -A casetracker worker` process against Redis, the test database and the test SMTP server.

Use the `celery_worker_process` fixture (re-exported in conftest.py) in a `transactional_db` test, so what the
test writes is committed and the worker sees it:

    worker = celery_worker_process()                   # starts and waits until ready; env overrides as kwargs
    worker.call("cases.tasks.sweep_reminders")         # publish a task to the worker's broker
    worker.kill()                                      # SIGKILL the worker and its pool processes
    worker = celery_worker_process(REMINDER_CLAIM_LEASE_SECONDS="1")   # start another one

It needs the `smtp_server` fixture (from tests/smtp.py), PostgreSQL and Redis: it fails under REQUIRE_SERVICES=1
and skips otherwise when they are missing.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")


def database_url():
    """Return the URL of the database the tests run against (pytest-django's test database)."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, env, concurrency):
        log_fd, self.log_path = tempfile.mkstemp(prefix="celery-worker-", suffix=".log")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "casetracker",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so kill() reaches the pool children too
        )
        os.close(log_fd)
        self.broker_url = env["CELERY_BROKER_URL"]

    def output(self):
        return Path(self.log_path).read_text(errors="replace")

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while " ready." not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{self.output()[-3000:]}")
            time.sleep(0.2)
        return self

    def call(self, task_name, *args):
        from casetracker.celery import app

        with app.connection_for_write(self.broker_url) as connection:
            app.send_task(task_name, args=args, connection=connection)

    def kill(self):
        """Kill the worker and its pool at once, as a crash or the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        os.unlink(self.log_path)


@pytest.fixture
def celery_worker_process(
    require_postgres, redis_url, smtp_server, django_db_serialized_rollback, transactional_db, settings
):
    """Return a function that starts a worker (stopped at teardown) on a freshly emptied Redis database."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # no messages left over from an earlier run
    workers = []

    def start(concurrency=2, **overrides):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_URL": smtp_server.url,
            "EMAIL_TIMEOUT": "10",
            "SITE_URL": settings.SITE_URL,
            "DJANGO_SETTINGS_MODULE": "casetracker.settings",
            **{key: str(value) for key, value in overrides.items()},
        }
        worker = WorkerProcess(env, concurrency)
        workers.append(worker)
        return worker.wait_ready()

    yield start
    for worker in workers:
        worker.stop()
