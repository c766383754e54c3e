import datetime
import uuid
from time import monotonic
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django_otp.middleware import OTPMiddleware

from cases.actions.events import case_changed
from cases.actions.publishing import unpublish_case
from cases.actions.records import save_record
from cases.cache import retire_case_pages, retire_list_pages
from cases.models import Challenge, Deployment, PublicVersion, System, Technology, Vendor
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
    # The cache versions, then the page's count, rows and their technologies.
    with django_assert_num_queries(4) as second:
        html = client.get("/cases/?country=RU&sort=title&page=1").content.decode()
    assert not facet_queries(second)
    assert 'United Kingdom <span class="count">(1)</span>' in html
    assert 'name="status" value="decided"' in html
    # The country facet ignores its own filter, so it reads the precomputed unfiltered counts; the others are new.
    with django_assert_max_num_queries(50) as other:
        client.get("/cases/?country=GB")
    # One pass counts every other facet; the country's own counts are the precomputed unfiltered ones.
    assert len(facet_queries(other)) == len(facet_queries(first)) == 1


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


def test_an_edit_to_one_case_keeps_the_other_case_pages(client, django_capture_on_commit_callbacks):
    edited = f.case(published=True, title="Edited case")
    other = f.case(published=True, title="Other case")
    for url in (edited.get_absolute_url(), other.get_absolute_url(), "/cases/"):
        client.get(url)
    rename(edited, "Edited case, renamed")
    rename(other, "Other case, renamed")
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(edited.pk)
    assert "Edited case, renamed" in client.get(edited.get_absolute_url()).content.decode()
    assert "Edited case, renamed" in client.get("/cases/").content.decode()
    # The other case's page was not thrown away with it.
    assert "Other case, renamed" not in client.get(other.get_absolute_url()).content.decode()


def test_editing_a_draft_retires_no_public_page(client, django_capture_on_commit_callbacks):
    f.case(published=True, title="Public case")
    draft = f.case(title="Draft case")
    client.get("/cases/")
    versions = list(PublicVersion.objects.values_list("name", "value"))
    with django_capture_on_commit_callbacks(execute=True):
        draft.internal_notes = "Only staff read this."
        save_record(draft, actor=None)
    assert list(PublicVersion.objects.values_list("name", "value")) == versions


def test_renaming_a_party_refreshes_the_pages_of_its_cases(client, django_capture_on_commit_callbacks):
    case = f.case(published=True, title="Popova v. DIT")
    party = f.participation(case, party=f.party(name="Alena Popova")).party
    assert "Alena Popova" in client.get(case.get_absolute_url()).content.decode()
    assert "Alena Popova" in client.get(party.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        party.name = "Alyona Popova"
        save_record(party, actor=None)
    for url in (case.get_absolute_url(), party.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "Alyona Popova" in html and "Alena Popova" not in html


def test_system_vendor_and_deployment_pages_are_cached_until_they_or_their_cases_change(
    client, django_capture_on_commit_callbacks
):
    vendor = Vendor.objects.create(name="NtechLab")
    system = System.objects.create(name="FindFace", vendor=vendor)
    deployment = Deployment.objects.create(system=system, operator=f.party(kind="agency"), country="RU", city="Moscow")
    case = f.case(published=True, title="Popova v. DIT")
    Challenge.objects.create(case=case, deployment=deployment)
    pages = [system.get_absolute_url(), vendor.get_absolute_url(), deployment.get_absolute_url()]
    for url in pages:
        assert "FindFace" in client.get(url).content.decode()
    System.objects.filter(pk=system.pk).update(name="Renamed behind the cache's back")
    for url in pages:
        assert "FindFace" in client.get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        system.name = "FindFace Security"
        save_record(system, actor=None)
    for url in pages:
        assert "FindFace Security" in client.get(url).content.decode(), url
    # Unpublishing the only case that challenges them takes them down at once.
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(case, actor=None)
    for url in pages:
        assert client.get(url).status_code == 404, url


def test_a_system_published_on_its_own_leaves_when_unpublished(client, django_capture_on_commit_callbacks):
    system = System.objects.create(name="Pegasus", is_published=True)
    assert client.get(system.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        system.is_published = False
        save_record(system, actor=None)
    assert client.get(system.get_absolute_url()).status_code == 404


def test_a_related_case_page_drops_a_case_once_unpublished(client, django_capture_on_commit_callbacks):
    shown = f.case(published=True, title="Shown case")
    leaving = f.case(published=True, title="Leaving case")
    shown.related_cases.add(leaving)
    assert "Leaving case" in client.get(shown.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(leaving, actor=None)
    assert "Leaving case" not in client.get(shown.get_absolute_url()).content.decode()
    assert client.get(leaving.get_absolute_url()).status_code == 404


def test_the_map_is_cached_until_a_case_changes_and_drops_an_unpublished_case(
    client, django_capture_on_commit_callbacks
):
    first = f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    rebuild_case_facets()
    assert "United Kingdom: 1 case<" in client.get("/map/").content.decode()
    second = f.case(published=True, title="Liberty v. UK", country="GB")
    rebuild_case_facets()  # bypasses the actions, so only the cache explains the old count
    assert "United Kingdom: 1 case<" in client.get("/map/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(second.pk)
    assert "United Kingdom: 2 cases<" in client.get("/map/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(first, actor=None)
        unpublish_case(second, actor=None)
    assert "United Kingdom" not in client.get("/map/").content.decode()


def test_the_map_drops_a_deployment_point_once_it_moves_or_is_unpublished(client, django_capture_on_commit_callbacks):
    system = System.objects.create(name="FindFace Security")
    operator = f.party(name="Moscow DIT", kind="agency")
    deployment = Deployment.objects.create(
        slug="moscow",
        system=system,
        operator=operator,
        country="RU",
        city="Moscow",
        latitude="55.75583",
        longitude="37.61730",
        is_published=True,
    )
    assert '<a href="/deployments/moscow/"><circle' in client.get("/map/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deployment.latitude = deployment.longitude = None
        save_record(deployment, actor=None)
    assert "/deployments/moscow/" not in client.get("/map/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deployment.latitude, deployment.longitude = "55.75583", "37.61730"
        save_record(deployment, actor=None)
    assert '<a href="/deployments/moscow/"><circle' in client.get("/map/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        deployment.is_published = False
        save_record(deployment, actor=None)
    assert "/deployments/moscow/" not in client.get("/map/").content.decode()


def test_a_hit_is_served_before_sessions_locale_csrf_and_otp_run(client, django_assert_max_num_queries):
    case = f.case(published=True, title="Cached case")
    first = client.get(case.get_absolute_url())
    refused = mock.Mock(side_effect=AssertionError("ran for a cache hit"))
    with (
        mock.patch.object(SessionMiddleware, "process_request", refused),
        mock.patch.object(LocaleMiddleware, "process_request", refused),
        mock.patch.object(CsrfViewMiddleware, "process_request", refused),
        mock.patch.object(OTPMiddleware, "__call__", refused),
        django_assert_max_num_queries(2),  # the first hit reads the versions into this process's copy
    ):
        hit = client.get(case.get_absolute_url())
    assert hit.status_code == 200 and hit.content == first.content
    assert hit["Content-Language"] == "en" and "Cookie" in hit["Vary"]
    assert hit["Content-Security-Policy"]  # the outer middleware still adds its headers
    assert "Cached case" in client.get("/ru" + case.get_absolute_url()).content.decode()


def test_a_session_cookie_is_never_served_a_cached_page(client):
    case = f.case(published=True, title="Original title")
    client.get(case.get_absolute_url())
    rename(case, "Renamed title")
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-real-session"
    assert "Renamed title" in client.get(case.get_absolute_url()).content.decode()


def test_a_document_read_again_refreshes_its_case_page_text_view_and_search(
    client, editor, upload_document, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from cases import extraction
    from cases.actions.documents import request_extraction
    from cases.models import DocumentText

    filing = upload_document(b"The police kept the footage.", case=f.case(published=True, title="Footage case"))
    other = f.case(published=True, title="Other case")
    text_url = reverse("cases:document_text", args=["filing", filing.pk])
    case_url = filing.proceeding.case.get_absolute_url()
    search = {"q": "видеозаписи"}
    assert "English" in client.get(case_url).content.decode()
    assert "kept the footage" in client.get(text_url).content.decode()
    assert "0 cases" in client.get("/cases/", search).content.decode()
    assert "Other case" in client.get(other.get_absolute_url()).content.decode()
    rename(other, "Renamed other case")

    def russian(path, extension, limits):
        pages = ["Полиция удалила видеозаписи."]
        return {"pages": pages, "page_count": None, "pages_read": None, "method": "text_layer", "language": "ru"}

    monkeypatch.setattr(extraction, "extract", russian)
    with django_capture_on_commit_callbacks(execute=True):
        request_extraction(DocumentText.objects.get(filing=filing), actor=editor)

    assert "Russian" in client.get(case_url).content.decode()
    assert "удалила видеозаписи" in client.get(text_url).content.decode()
    assert "1 case" in client.get("/cases/", search).content.decode()
    # Only what shows the document is retired: another case's page stays cached.
    assert "Other case" in client.get(other.get_absolute_url()).content.decode()


def test_a_hit_reads_no_database_while_the_copy_of_the_versions_is_fresh(client, django_assert_num_queries):
    case = f.case(published=True, title="Cached case")
    urls = [case.get_absolute_url(), "/cases/"]
    for url in urls:
        client.get(url)  # built
        client.get(url)  # the first hit reads the versions it needs
    with django_assert_num_queries(0):
        for url in urls:
            assert "Cached case" in client.get(url).content.decode()


def test_a_write_elsewhere_reaches_hits_within_the_stale_seconds(client, settings):
    settings.PUBLIC_CACHE_STALE_SECONDS = 2
    case = f.case(published=True, title="Original title")
    urls = [case.get_absolute_url(), "/cases/"]
    for url in urls:
        client.get(url)
        client.get(url)
    rename(case, "Renamed title")
    retire_case_pages([case.pk])  # as another process would: no commit of its reaches this process's copy
    for url in urls:
        assert "Original title" in client.get(url).content.decode(), url
    later = monotonic() + settings.PUBLIC_CACHE_STALE_SECONDS
    with mock.patch("cases.cache.monotonic", return_value=later):
        for url in urls:
            assert "Renamed title" in client.get(url).content.decode(), url


def test_a_page_built_from_newer_versions_refreshes_the_copy(client, django_assert_num_queries):
    case = f.case(published=True, title="Original title")
    client.get("/cases/")
    client.get("/cases/")
    rename(case, "Renamed title")
    retire_list_pages()  # elsewhere, as above
    assert "Original title" in client.get("/cases/").content.decode()
    # A page built now reads the versions from PostgreSQL, so they are newer than the copy the hits use...
    assert "Renamed title" in client.get("/cases/?sort=title").content.decode()
    with django_assert_num_queries(1):  # ...which its first hit reads again, rather than rebuild it
        assert "Renamed title" in client.get("/cases/?sort=title").content.decode()
    assert "Renamed title" in client.get("/cases/").content.decode()


def test_a_hit_carries_its_stored_etag_and_the_shared_last_modified(client):
    case = f.case(published=True, title="Cached case")
    first = client.get(case.get_absolute_url())
    refused = mock.Mock(side_effect=AssertionError("ran for a cache hit"))
    with (
        mock.patch("django.middleware.http.set_response_etag", refused),
        mock.patch("cases.http.public_data_changed_at", refused),
    ):
        hit = client.get(case.get_absolute_url())
        assert client.get(case.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert (hit["ETag"], hit["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
