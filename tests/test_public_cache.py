import datetime
import uuid

import pytest

from cases.actions.events import case_changed
from cases.models import Technology
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_cache(settings, redis_url):
    settings.CACHE_URL = redis_url
    # A fresh key prefix isolates each test without flushing a Redis database other tests may share.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-public-{uuid.uuid4().hex}",
            "TIMEOUT": 60,
        }
    }
    settings.PUBLIC_CACHE_SECONDS = 60


def rename(case, title):
    # A write that bypasses the actions, so only the cache can explain what the page shows.
    type(case).objects.filter(pk=case.pk).update(title=title)


def test_public_page_is_cached_until_the_case_changes(client, django_capture_on_commit_callbacks):
    case = f.case(published=True, title="Original title")
    url = case.get_absolute_url()
    assert "Original title" in client.get(url).content.decode()
    assert "Original title" in client.get("/cases/").content.decode()
    rename(case, "Renamed title")
    assert "Original title" in client.get(url).content.decode()
    assert "Original title" in client.get("/cases/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(case.pk)
    assert "Renamed title" in client.get(url).content.decode()
    assert "Renamed title" in client.get("/cases/").content.decode()


def test_staff_are_never_served_or_stored(client, editor):
    case = f.case(published=True, title="Original title")
    url = case.get_absolute_url()
    client.force_login(editor)
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]
    rename(case, "Renamed title")
    assert "Renamed title" in client.get(url).content.decode()
    client.logout()
    assert "Renamed title" in client.get(url).content.decode()


def test_languages_are_cached_apart(client):
    case = f.case(published=True, title="English title", title_ru="Русское название")
    assert "English title" in client.get(case.get_absolute_url()).content.decode()
    assert "Русское название" in client.get("/ru" + case.get_absolute_url()).content.decode()


def facet_queries(captured):
    return [query["sql"] for query in captured.captured_queries if "GROUP BY" in query["sql"]]


def test_facet_counts_are_computed_once_per_filter_state(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    f.case(published=True, title="Popova v. DIT", country="RU", status="decided")
    f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    rebuild_case_facets()
    with django_assert_max_num_queries(50) as first:
        client.get("/cases/?country=RU")
    assert facet_queries(first)
    # Another sort and page is another cached page, but the same cases to count.
    with django_assert_num_queries(3) as second:  # the page's count, rows and their technologies
        html = client.get("/cases/?country=RU&sort=title&page=1").content.decode()
    assert not facet_queries(second)
    assert 'United Kingdom <span class="count">(1)</span>' in html
    assert 'name="status" value="decided"' in html
    # The country facet ignores its own filter, so it reads the precomputed unfiltered counts; the others are new.
    with django_assert_max_num_queries(50) as other:
        client.get("/cases/?country=GB")
    assert len(facet_queries(other)) == len(facet_queries(first)) == 7


def test_a_case_change_refreshes_facet_counts(client, django_capture_on_commit_callbacks):
    f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    rebuild_case_facets()
    assert 'United Kingdom <span class="count">(1)</span>' in client.get("/cases/").content.decode()
    case = f.case(published=True, title="Liberty v. UK", country="GB")
    # Counts are cached past a write that does not go through the actions...
    assert 'United Kingdom <span class="count">(1)</span>' in client.get("/cases/?sort=title").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(case.pk)
    # ...and any case change drops them.
    assert 'United Kingdom <span class="count">(2)</span>' in client.get("/cases/?sort=title").content.decode()


def test_staff_facet_counts_are_never_cached(client, editor):
    f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    rebuild_case_facets()
    client.force_login(editor)
    assert 'United Kingdom <span class="count">(1)</span>' in client.get("/cases/").content.decode()
    f.case(published=True, title="Liberty v. UK", country="GB")
    rebuild_case_facets()
    assert 'United Kingdom <span class="count">(2)</span>' in client.get("/cases/").content.decode()
    client.logout()
    assert 'United Kingdom <span class="count">(2)</span>' in client.get("/cases/").content.decode()


def test_each_filter_has_its_own_facet_counts(client):
    face = Technology.objects.create(name="Face recognition", slug="face-recognition")
    popova = f.case(published=True, title="Popova v. DIT", country="RU", filed_on=datetime.date(2019, 10, 7))
    popova.technologies.add(face)
    f.case(published=True, title="Big Brother Watch v. UK", country="GB", filed_on=datetime.date(2013, 9, 4))
    rebuild_case_facets()
    assert 'United Kingdom <span class="count">(1)</span>' in client.get("/cases/").content.decode()
    for query in ["technology=face-recognition", "filed_after=2015-01-01", "year=2019"]:
        html = client.get(f"/cases/?{query}").content.decode()
        assert 'Russia <span class="count">(1)</span>' in html
        assert "United Kingdom" not in html.split('id="results-heading"')[0]
