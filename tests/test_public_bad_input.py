"""The case list never fails on, nor reflects unescaped, whatever arrives in its query string."""

import pytest
from django.test import Client
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import factories as f

pytestmark = pytest.mark.django_db

PARAMS = [
    "q",
    "country",
    "technology",
    "ground",
    "court_level",
    "status",
    "outcome",
    "year",
    "party",
    "filed_after",
    "filed_before",
    "sort",
    "page",
    "order",
    "unknown",
]
# Written into values; none of them may come back unescaped.
PROBES = ["<x-probe>", '"x-probe=1', "'x-probe=1"]
text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
value = st.one_of(
    text,
    st.builds(lambda before, probe, after: before + probe + after, text, st.sampled_from(PROBES), text),
    st.sampled_from(["999999", "-1", "abc", "2019-13-45", "0001-01-01", "' OR 1=1 --", "a" * 2000, "\x00"]),
)
query = st.lists(st.tuples(st.sampled_from(PARAMS), value), max_size=6)


@pytest.fixture
def some_cases():
    case = f.case(published=True, title="Popova v. DIT")
    f.participation(case)
    f.proceeding(case)


@pytest.mark.parametrize("path", ["/cases/", "/cases/export.csv", "/cases/feed.atom"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query)
def test_list_never_fails_nor_reflects_input(some_cases, path, pairs):
    response = Client().get(f"{path}?{urlencode(pairs)}")
    assert response.status_code == 200
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    for probe in PROBES:
        assert probe not in body


@pytest.mark.parametrize(
    "url",
    ["/cases/no-such-case/", "/parties/nobody/", "/courts/none/", "/technologies/none/", "/cases/none/feed.atom"],
)
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", PARAMS)
def test_nul_bytes_in_any_parameter(client, some_cases, name):
    for path in ["/cases/", "/cases/export.csv", "/cases/feed.atom"]:
        assert client.get(f"{path}?{name}=a%00b").status_code == 200


@pytest.fixture
def public_paths():
    """Every public page that takes no form input, one of each kind."""
    case = f.case(published=True, title="Popova v. DIT")
    participation = f.participation(case)
    proceeding = f.proceeding(case)
    f.filing(proceeding)
    technology = case.technologies.create(name="Face recognition", slug="face-recognition")
    return [
        "/",
        "/ru/",
        case.get_absolute_url(),
        f"/ru{case.get_absolute_url()}",
        f"{case.get_absolute_url()}feed.atom",
        participation.party.get_absolute_url(),
        proceeding.court.get_absolute_url(),
        f"/technologies/{technology.slug}/",
        "/stats/",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/robots.txt",
        "/data/",
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query)
def test_every_public_page_ignores_hostile_query_strings(public_paths, pairs):
    client = Client()
    for path in public_paths:
        response = client.get(f"{path}?{urlencode(pairs)}")
        assert response.status_code == 200, path
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        for probe in PROBES:
            assert probe not in body, path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=value, frequency=value, case=value, follow_query=value)
def test_follow_form_answers_hostile_input_with_a_form_error(some_cases, email, frequency, case, follow_query):
    data = {"email": email, "frequency": frequency, "case": case, "query": follow_query}
    response = Client().post("/follow/", data)
    # 400 is the form's error page, 429 the rate limit; a valid address may be accepted with 200.
    assert response.status_code in (200, 400, 429)
    for probe in PROBES:
        assert probe not in response.content.decode()
