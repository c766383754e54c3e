import datetime

import pytest
from django.http import QueryDict
from django.utils.http import urlencode

from cases.filters import CaseFilter
from cases.models import Technology
from cases.search import refresh_search_vector

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    face = Technology.objects.create(name="Face recognition", slug="face-recognition")
    popova = f.case(published=True, title="Popova v. DIT", country="RU", filed_on=datetime.date(2019, 10, 7))
    popova.technologies.add(face)
    f.participation(popova, party=f.party(name="Alena Popova"))
    bbw = f.case(
        published=True,
        title="Big Brother Watch v. UK",
        country="GB",
        status="decided",
        outcome="violation",
        filed_on=datetime.date(2013, 9, 4),
    )
    draft = f.case(title="Draft face case", country="RU")
    draft.technologies.add(face)
    for case in (popova, bbw, draft):
        refresh_search_vector(case.pk)
    return {"popova": popova, "bbw": bbw, "draft": draft}


def query(data):
    return QueryDict(urlencode(data, doseq=True))


def result(data):
    return list(CaseFilter(query(data)).qs)


def test_unfiltered_lists_public_cases(cases):
    assert set(result({})) == {cases["popova"], cases["bbw"]}


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"country": "GB"}, ["bbw"]),
        ({"country": ["GB", "RU"]}, ["bbw", "popova"]),
        ({"technology": "face-recognition"}, ["popova"]),
        ({"status": "decided"}, ["bbw"]),
        ({"outcome": "violation"}, ["bbw"]),
        ({"year": "2019"}, ["popova"]),
        ({"filed_after": "2015-01-01"}, ["popova"]),
        ({"q": "Popova"}, ["popova"]),
        ({"q": "Brother"}, ["bbw"]),
    ],
)
def test_each_filter(cases, data, expected):
    assert sorted(case.title for case in result(data)) == sorted(cases[key].title for key in expected)


def test_party_filter_by_slug(cases):
    slug = cases["popova"].participations.get().party.slug
    assert result({"party": slug}) == [cases["popova"]]


@pytest.mark.parametrize(
    "data",
    [
        {"country": "XX"},
        {"technology": "no-such-tech"},
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"filed_after": "2019-13-45"},
        {"sort": "'; DROP TABLE cases_case; --"},
        {"court_level": "<script>"},
        {"q": "a" * 2000},
        {"q": "bad\x00byte"},
        {"party": ["x", "y"]},
    ],
)
def test_malformed_values_never_raise(cases, data):
    filterset = CaseFilter(query(data))
    assert isinstance(list(filterset.qs), list)


def test_invalid_values_are_reported_and_ignored(cases):
    filterset = CaseFilter(query({"technology": "no-such-tech", "country": "GB"}))
    assert "technology" in filterset.form.errors
    assert list(filterset.qs) == [cases["bbw"]]


@pytest.mark.parametrize(
    ("sort", "first"),
    [("newest", "popova"), ("oldest", "bbw"), ("title", "bbw")],
)
def test_sorting(cases, sort, first):
    assert result({"sort": sort})[0] == cases[first]


def test_technology_choices_exclude_draft_only_terms(cases):
    Technology.objects.create(name="Drones", slug="drones").cases.add(cases["draft"])
    filterset = CaseFilter(query({"technology": "drones"}))
    assert "technology" in filterset.form.errors
