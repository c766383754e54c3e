import uuid

import pytest

from cases.actions.events import case_changed

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
