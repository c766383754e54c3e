import datetime

import feedparser
import pytest
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    case = f.case(published=True, title="Glukhin v. Russia")
    proceeding = f.proceeding(case, docket_number="11519/20")
    public = f.filing(proceeding, title="Application lodged", filed_on=datetime.date(2020, 2, 15))
    f.filing(proceeding, title="Confidential strategy memo", is_public=False)
    decision = f.decision(proceeding, announced_on=datetime.date(2023, 7, 4), final_form_on=None, result="violation")
    draft = f.case(title="Draft case")
    f.filing(f.proceeding(draft), title="Filing in a draft")
    return {"case": case, "filing": public, "decision": decision, "draft": draft}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_latest_feed_lists_public_filings_and_decisions(client, story):
    feed = parse(client, reverse("cases:latest_feed"))
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Glukhin v. Russia: decision (Violation found)", "Glukhin v. Russia: Application lodged"]
    assert all(entry.link.startswith("http") for entry in feed.entries)


def test_entry_ids_are_stable_across_renames(client, story):
    before = [entry.id for entry in parse(client, reverse("cases:latest_feed")).entries]
    story["case"].title = "Glukhin v. the Russian Federation"
    story["case"].slug = "glukhin"
    story["case"].save()
    after = [entry.id for entry in parse(client, reverse("cases:latest_feed")).entries]
    assert before == after
    assert before[0].startswith("tag:")


def test_case_feed(client, story):
    feed = parse(client, reverse("cases:case_feed", args=[story["case"].slug]))
    assert len(feed.entries) == 2
    assert "Glukhin" in feed.feed.title


def test_case_feed_of_draft_is_404(client, story):
    assert client.get(reverse("cases:case_feed", args=[story["draft"].slug])).status_code == 404


def test_case_list_feed_follows_filters(client, story):
    f.case(published=True, title="Carpenter v. United States", country="US")
    feed = parse(client, reverse("cases:case_list_feed") + "?country=US")
    assert [entry.title for entry in feed.entries] == ["Carpenter v. United States"]
    assert parse(client, reverse("cases:case_list_feed") + "?country=ZZ&year=abc").entries is not None


def test_feeds_in_russian(client, story):
    feed = parse(client, "/ru" + reverse("cases:latest_feed"))
    assert feed.entries
