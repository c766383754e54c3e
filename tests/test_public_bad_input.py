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
