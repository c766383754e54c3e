"""HTTP caching: public responses are shareable and answer conditional requests; staff ones are never stored."""

import pytest

from cases.actions.events import case_changed
from cases.datadump import write_dump

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = f.case(published=True, title="Popova v. DIT")
    f.filing(f.proceeding(case))  # dates the feed
    return case


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/cases/",
        "/stats/",
        "/map/",
        "/feeds/latest.atom",
        "/cases/popova-v-dit/",
        "/api/v1/cases/",
        "/api/v1/cases/popova-v-dit/",
    ],
)
def test_public_responses_are_shareable_and_answer_304(client, case, url, settings):
    response = client.get(url)
    assert response.status_code == 200
    assert {"public", "max-age=60", "stale-while-revalidate=300"} <= directives(response)
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content


def test_last_modified_moves_when_a_case_changes(client, case, settings, django_capture_on_commit_callbacks):
    settings.CACHE_URL = "locmem://"  # a shared cache: the time of the last change is known to every process
    response = client.get("/cases/")
    since = response["Last-Modified"]
    assert client.get("/cases/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(case.pk)
    # The change is in the same second, so compare with an older copy's time.
    assert client.get("/cases/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2024 00:00:00 GMT").status_code == 200


def test_exports_and_dump_files_are_shareable(client, case, settings, tmp_path):
    response = client.get("/cases/export.json")
    assert response.streaming and "public" in directives(response)
    settings.DATA_DUMP_ROOT = tmp_path
    write_dump()
    response = client.get("/data/cases.jsonl")
    assert "public" in directives(response) and response["Last-Modified"]
    assert client.get("/data/cases.jsonl", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_staff_responses_are_never_stored(client, case, editor):
    client.force_login(editor)
    # The API signs no one in (it shows everyone the same public data), so only the site's pages count here.
    for url in ["/cases/", "/admin/"]:
        response = client.get(url)
        assert {"private", "no-store"} <= directives(response), url
        assert "public" not in directives(response) and not response.has_header("ETag")
