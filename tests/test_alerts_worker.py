"""The whole follow journey through the real thing: a `celery worker` process, Redis, PostgreSQL and aiosmtpd."""

import re
import time
from urllib.parse import urlsplit

import pytest

from alerts.models import Alert, Subscriber
from cases.actions.decisions import save_decision
from cases.models import Decision
from casetracker.celery import app
from tests import factories

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


@pytest.fixture
def publish_to_worker(redis_url):
    """Make this process publish tasks to the worker's Redis broker, as the web process would."""
    # Producers use broker_write_url; broker_url would lose to a CELERY_BROKER_URL environment variable.
    saved = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url, app.conf.task_always_eager = redis_url, False
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.conf.broker_write_url, app.conf.task_always_eager = saved
    app._pool, app.amqp._producer_pool = None, None


def wait_for_messages(smtp_server, count, timeout=60):
    deadline = time.monotonic() + timeout
    while len(smtp_server.messages) < count:
        assert time.monotonic() < deadline, f"{len(smtp_server.messages)} of {count} messages after {timeout}s"
        time.sleep(0.1)
    # Anything sent twice would arrive right behind the first copy.
    time.sleep(2)
    return smtp_server.messages


def publish_decision(proceeding, editor, summary):
    decision = Decision(proceeding=proceeding, announced_on=proceeding.started_on, result="dismissed", summary=summary)
    decision.is_public = True
    return save_decision(decision, actor=editor)


def test_subscribe_confirm_alert_once_unsubscribe_then_nothing(
    client, editor, smtp_server, celery_worker_process, publish_to_worker
):
    case = factories.case(published=True, title="Popova v. Moscow DIT")
    proceeding = factories.proceeding(case)
    celery_worker_process()

    response = client.post("/follow/", {"email": "reader@example.org", "frequency": "immediate", "case": case.slug})
    assert response.status_code == 200
    (confirmation,) = wait_for_messages(smtp_server, 1)
    assert confirmation["To"] == "reader@example.org"
    link = re.search(r"http\S+/follow/confirm/\S+/", confirmation.get_payload(decode=True).decode()).group(0)
    assert client.post(urlsplit(link).path).status_code == 200

    publish_decision(proceeding, editor, "First ruling")
    messages = wait_for_messages(smtp_server, 2)
    assert len(messages) == 2
    alert = messages[1]
    body = alert.get_payload(decode=True).decode()
    assert "Popova v. Moscow DIT" in alert["Subject"] and "Dismissed" in body
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long header is folded over lines on the wire.
    unsubscribe = re.fullmatch(r"<(.+)>", "".join(alert["List-Unsubscribe"].split())).group(1)
    assert Alert.objects.filter(sent_at__isnull=False).count() == 1

    # RFC 8058: the mail client POSTs this body to the header's address; no cookie, no CSRF token.
    response = client.post(
        urlsplit(unsubscribe).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()

    publish_decision(proceeding, editor, "Second ruling")
    time.sleep(3)
    assert len(smtp_server.messages) == 2
