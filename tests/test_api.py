import base64
import json

import pytest
from django.core.cache import cache

from tests import factories
from tests.opendata import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_throttle(settings):
    settings.API_ANON_RATE = None
    cache.clear()


def get(client, path, **params):
    return client.get(path, params)


def test_list_shows_published_cases_only(client):
    popova, bridges, draft = dataset()
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    body = response.json()
    assert {case["slug"] for case in body["results"]} == {popova.slug, bridges.slug}
    assert "SECRET" not in response.content.decode()
    assert "internal_notes" not in response.content.decode()


def test_detail_nests_public_parties_counsel_proceedings_and_records(client):
    popova, bridges, draft = dataset()
    response = client.get(f"/api/v1/cases/{popova.slug}/")
    assert response.status_code == 200
    case = response.json()
    assert case["url"] == f"http://testserver/cases/{popova.slug}/"
    assert {p["party"]["name"] for p in case["parties"]} == {"Alena Popova", "Moscow DIT"}
    assert case["parties"][1]["counsel"][0]["organisation"]["name"] == "Agora" or any(
        c["organisation"] and c["organisation"]["name"] == "Agora" for p in case["parties"] for c in p["counsel"]
    )
    first, second = case["proceedings"]
    assert [f["title"] for f in first["filings"]] == ["Administrative claim"]
    assert [h["place"] for h in first["hearings"]] == ["Courtroom 7"]
    assert len(first["decisions"]) == 1 and second["appeals_from"] == first["id"]
    assert "SECRET" not in response.content.decode()
    assert client.get(f"/api/v1/cases/{bridges.slug}/").json()["related_cases"] == [popova.slug]


def test_draft_and_missing_cases_are_both_404(client):
    _, _, draft = dataset()
    assert client.get(f"/api/v1/cases/{draft.slug}/").status_code == 404
    assert client.get("/api/v1/cases/no-such-case/").status_code == 404


def test_list_uses_the_public_filterset(client):
    popova, bridges, _ = dataset()
    assert [c["slug"] for c in get(client, "/api/v1/cases/", country="GB").json()["results"]] == [bridges.slug]
    slugs = [c["slug"] for c in get(client, "/api/v1/cases/", technology="cctv").json()["results"]]
    assert slugs == [popova.slug]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"sort": "title"}, "sort"),
        ({"year": "abc"}, "year"),
        ({"filed_after": "2020-99-99"}, "filed_after"),
        ({"ordering": "internal_notes"}, "ordering"),
        ({"fields": "slug,internal_notes"}, "internal_notes"),
        ({"cursor": "not base64!"}, "cursor"),
        ({"cursor": base64.b64encode(b"p=not-a-date").decode()}, "cursor"),
        ({"cursor": base64.b64encode(b"o=-5").decode()}, "cursor"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_query_parameters_give_400_naming_the_problem(client, params, named):
    dataset()
    response = get(client, "/api/v1/cases/", **params)
    assert response.status_code == 400
    assert named in response.content.decode().lower()


def test_fields_selection_and_ordering(client):
    popova, bridges, _ = dataset()
    response = get(client, "/api/v1/cases/", fields="slug,title", ordering="title")
    assert response.json()["results"] == [
        {"slug": bridges.slug, "title": bridges.title},
        {"slug": popova.slug, "title": popova.title},
    ]
    assert get(client, f"/api/v1/cases/{popova.slug}/", fields="country").json() == {"country": "RU"}


def test_cursor_pagination_walks_every_case_once(client):
    for n in range(7):
        factories.case(published=True, title=f"Case {n}")
    seen, url = [], "/api/v1/cases/?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [case["slug"] for case in body["results"]]
        url = body["next"]
    assert len(seen) == 7 == len(set(seen))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_format_streams_the_whole_filtered_list(client, fmt):
    popova, bridges, _ = dataset()
    response = get(client, "/api/v1/cases/", country="RU", format=fmt)
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode()
    assert popova.title in text and bridges.title not in text and "SECRET" not in text


def test_list_and_detail_query_counts_do_not_grow_with_data(client, django_assert_max_num_queries):
    court = factories.court()
    for n in range(30):
        case = factories.case(published=True, title=f"Case {n}")
        factories.participation(case)
        proceeding = factories.proceeding(case, court=court)
        factories.filing(proceeding)
        factories.decision(proceeding)
    big = factories.case(published=True, title="Big case")
    proceeding = factories.proceeding(big)
    for _ in range(50):
        factories.filing(proceeding)
        factories.hearing(proceeding)
    with django_assert_max_num_queries(14):
        assert len(get(client, "/api/v1/cases/", page_size=50).json()["results"]) == 31
    with django_assert_max_num_queries(14):
        assert len(client.get(f"/api/v1/cases/{big.slug}/").json()["proceedings"][0]["filings"]) == 50


def test_entities_are_those_of_published_cases(client):
    dataset()
    draft = factories.case(title="Another draft")
    factories.participation(draft, party=factories.party(name="Hidden party"))
    factories.proceeding(draft, court=factories.court(name="Hidden court"))
    parties = [p["name"] for p in client.get("/api/v1/parties/").json()["results"]]
    assert "Alena Popova" in parties and "Agora" in parties and "Hidden party" not in parties
    courts = [c["name"] for c in client.get("/api/v1/courts/").json()["results"]]
    assert sorted(courts) == ["Moscow City Court", "Tverskoy District Court"]
    assert client.get("/api/v1/courts/tverskoy/").json()["level"] == "first_instance"
    hidden = client.get("/api/v1/parties/").json()
    assert all(p["slug"] != "hidden-party" for p in hidden["results"])
    assert client.get("/api/v1/parties/hidden-party/").status_code == 404
    techs = [t["slug"] for t in client.get("/api/v1/technologies/").json()["results"]]
    assert techs == ["cctv", "face-recognition"]


def test_anonymous_clients_are_throttled_with_retry_after(client, settings):
    settings.API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/technologies/").status_code == 200
    response = client.get("/api/v1/technologies/")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0


def test_rotating_forwarded_for_headers_do_not_escape_the_throttle(client, settings):
    settings.API_ANON_RATE = "3/minute"
    codes = [client.get("/api/v1/technologies/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_api_clients_are_throttled_apart(client, settings):
    settings.API_ANON_RATE = "2/minute"
    settings.TRUSTED_PROXY_COUNT = 1

    def get_from(forwarded_for):
        return client.get("/api/v1/technologies/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert [get_from("198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert get_from("198.51.100.2").status_code == 200
    assert get_from("192.0.2.5, 198.51.100.1").status_code == 429


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    assert "/api/v1/cases/" in spec["paths"] and "/api/v1/cases/{slug}/" in spec["paths"]
    for page in ("/api/docs/", "/api/docs/redoc/"):
        html = client.get(page).content.decode()
        assert "drf_spectacular_sidecar" in html
        assert "cdn" not in html.lower() and "unpkg" not in html
        assert "<script>" not in html  # only script files: the site's CSP allows no inline script


def test_entity_lists_query_counts_do_not_grow_with_data(client, django_assert_max_num_queries):
    for n in range(40):
        case = factories.case(published=True, title=f"Case {n}")
        factories.participation(case)
        factories.proceeding(case, court=factories.court(appeals_to=None))
    for path in ("/api/v1/parties/", "/api/v1/courts/", "/api/v1/technologies/"):
        with django_assert_max_num_queries(3):
            assert client.get(path).status_code == 200


def test_fields_skip_the_records_not_asked_for(client, django_assert_num_queries):
    for n in range(3):
        case = factories.case(published=True, title=f"Case {n}")
        factories.filing(factories.proceeding(case))
    with django_assert_num_queries(1):  # the page of cases only: no proceedings, parties or links
        rows = get(client, "/api/v1/cases/", fields="slug,title,country").json()["results"]
    assert [set(row) for row in rows] == [{"slug", "title", "country"}] * 3


def test_search_filters_in_the_api_order_without_ranking(client, require_postgres):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.search import refresh_search_vector

    popova, bridges, draft = dataset()
    for case in (popova, bridges, draft):
        refresh_search_vector(case.pk)

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/cases/", {"q": popova.title.split()[0]}).json()

    assert [case["slug"] for case in body["results"]] == [popova.slug]
    # The API orders by `ordering`, so ranking the matches (ts_rank) would be thrown away.
    assert not [query for query in queries if "ts_rank" in query["sql"]]
