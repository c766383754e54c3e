"""The visibility guarantee: marked secrets never reach any public surface.

Markers sit in a draft case, a confidential filing, an internal note, a private hearing, a private decision,
an unconfirmed follower's address and another user's deadlines. Pages, feeds and the sitemap are crawled in
test_leaks; this suite covers the rest: the demo data's filter combinations, every API endpoint and `fields=`
choice, the exports, the data dump, follower emails and calendar feeds.
"""

import datetime
import io
import itertools

import pytest
from django.core import mail
from django.core.management import call_command

from alerts import actions as alerts_actions
from alerts import emails
from alerts.models import Follow
from cases.actions.deadlines import save_deadline
from cases.actions.publishing import unpublish_case
from cases.actions.records import save_record
from cases.api.serializers import CaseSerializer
from cases.datadump import write_dump
from cases.models import Deadline, UserProfile
from cases.selectors import FACETS, facet_count, public_cases
from cases.summary import rebuild_case_facets
from casetracker.celery import app

from . import factories as f
from .test_leaks import MARKER, crawl, isolated, secrets  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_pages")]
UNCONFIRMED = f"{MARKER.lower()}-unconfirmed@example.org"


@pytest.fixture(autouse=True)
def eager_celery():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def all_secrets(secrets, lawyer, django_capture_on_commit_callbacks):  # noqa: F811
    """Add an unconfirmed follower and a marked deadline on another user's calendar."""
    with django_capture_on_commit_callbacks(execute=True):
        alerts_actions.subscribe(UNCONFIRMED, "immediate", case=secrets["public"])
    mail.outbox.clear()
    deadline = Deadline(
        case=secrets["draft"], title=f"{MARKER}-deadline", kind="appeal", due_on=datetime.date(2030, 3, 1)
    )
    save_deadline(deadline, actor=None, responsible=[lawyer])
    return secrets


def body_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def assert_clean(url, text):
    assert MARKER.lower() not in text.lower(), (url, text[max(text.lower().find(MARKER.lower()) - 80, 0) :][:200])


def test_every_api_endpoint_and_field_choice(client, all_secrets):
    public = all_secrets["public"]
    urls = ["/api/v1/cases/", f"/api/v1/cases/{public.slug}/", "/api/v1/parties/", "/api/v1/courts/"]
    urls += ["/api/v1/technologies/", "/api/v1/cases/?format=csv", "/api/v1/cases/?format=jsonl", "/api/schema/"]
    urls += [f"/api/v1/cases/?fields={field}" for field in CaseSerializer.Meta.fields]
    urls += [f"/api/v1/cases/{public.slug}/?fields={field}" for field in CaseSerializer.Meta.fields]
    for party in public.participations.all():
        urls.append(f"/api/v1/parties/{party.party.slug}/")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, body_of(response))
    draft = all_secrets["draft"]
    assert client.get(f"/api/v1/cases/{draft.slug}/").status_code == 404


def test_exports_and_data_dump(client, all_secrets, tmp_path):
    for url in ["/cases/export.csv", "/cases/export.json", "/ru/cases/export.csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, body_of(response))
    assert write_dump(tmp_path / "dump") == 1
    for path in (tmp_path / "dump").iterdir():
        assert_clean(str(path), path.read_text())


def test_follower_emails_carry_only_public_items(client, all_secrets, django_capture_on_commit_callbacks):
    public = all_secrets["public"]
    with django_capture_on_commit_callbacks(execute=True):
        follow = alerts_actions.subscribe("reader@example.org", "immediate", case=public)
    token = alerts_actions.confirmation_token(follow, "immediate")
    with django_capture_on_commit_callbacks(execute=True):
        alerts_actions.confirm_follow(token)
    mail.outbox.clear()
    proceeding = public.proceedings.first()
    with django_capture_on_commit_callbacks(execute=True):
        f.filing(proceeding, title=f"{MARKER}-new-confidential-filing", is_public=False)
        f.filing(proceeding, title="New public filing")
        alerts_actions.queue_alerts_for_case(public.pk)
    emails.send_alerts(follow.subscriber_id, "immediate")
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert "New public filing" in mail.outbox[0].body
    for message in mail.outbox:
        html = "".join(str(content) for content, _mimetype in getattr(message, "alternatives", []))
        assert_clean("follower email", message.body + html)
    assert not Follow.objects.filter(subscriber__email=UNCONFIRMED, confirmed_at__isnull=False).exists()


def test_calendar_feeds_of_other_users(client, all_secrets, editor):
    profile = UserProfile.objects.create(user=editor)
    response = client.get(f"/calendar/{profile.calendar_token}.ics")
    assert response.status_code == 200
    assert_clean("editor's calendar", body_of(response))
    assert client.get("/calendar/" + "A" * 43 + ".ics").status_code == 404


@pytest.mark.timeout(900)  # over a thousand pages on a shared machine
def test_all_filter_combinations_of_the_demo_data(client, all_secrets):
    call_command("load_demo", stdout=io.StringIO())
    rebuild_case_facets()  # publishing refreshes it once committed; the test's transaction never commits
    single = [(facet, value) for facet in FACETS for value, _row, _count in facet_count(public_cases(), facet)]
    pairs = [(a, b) for a, b in itertools.combinations(single, 2) if a[0] != b[0]]
    urls = [f"/cases/?{facet}={value}" for facet, value in single]
    urls += [f"/cases/?{a_facet}={a_value}&{b_facet}={b_value}" for (a_facet, a_value), (b_facet, b_value) in pairs]
    assert len(urls) > 100
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_clean(url, body_of(response))


def test_unpublishing_reaches_every_public_surface_at_once(
    client, all_secrets, settings, tmp_path, django_capture_on_commit_callbacks
):
    """Unpublish the public case and give it a marked title: no page, feed, API, dump file or email may show it."""
    settings.DATA_DUMP_ROOT = tmp_path / "data"
    public = all_secrets["public"]
    write_dump()
    with django_capture_on_commit_callbacks(execute=True):
        follow = alerts_actions.subscribe("late@example.org", "immediate", case=public)
    token = alerts_actions.confirmation_token(follow, "immediate")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        alerts_actions.subscribe("queued@example.org", "immediate", case=public)

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(public, actor=None)
        public.title = f"{MARKER}-renamed-after-unpublishing"
        save_record(public, actor=None)
    for send in queued:
        send()

    assert not mail.outbox
    urls = [f"/follow/confirm/{token}/", "/data/cases.csv", "/data/cases.jsonl", "/api/v1/cases/"]
    urls += [public.get_absolute_url(), "/api/v1/courts/"]
    for url in urls:
        assert_clean(url, body_of(client.get(url)))
    assert_clean("confirming", body_of(client.post(f"/follow/confirm/{token}/")))
    bodies = crawl(client)
    assert not [url for url, body in bodies.items() if MARKER.lower() in body.lower()]
