"""The facet summary: kept current by case_changed(), never holding a draft, equal to a full rebuild."""

import datetime

import pytest

from cases import selectors
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import delete_record, save_record
from cases.models import CaseFacets, FacetCount, Technology
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db


def counts():
    return set(FacetCount.objects.values_list("facet", "value", "cases"))


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what case_changed() queues for after the commit, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_publishing_adds_a_case_and_unpublishing_removes_it(editor, commit):
    face = Technology.objects.create(name="Face recognition", slug="face")
    case = f.case(title="Popova v. DIT", country="RU", filed_on=datetime.date(2019, 10, 7), outcome="dismissed")
    case.technologies.add(face)
    party = f.participation(case, role="defendant").party
    f.proceeding(case, court=f.court(level="appeal"))
    assert not CaseFacets.objects.exists()  # a draft has no row
    with commit():
        publish_case(case, actor=editor)
    assert counts() == {
        ("country", "RU", 1),
        ("status", "pending", 1),
        ("outcome", "dismissed", 1),
        ("year", "2019", 1),
        ("year_outcome", "2019:dismissed", 1),
        ("technology", str(face.pk), 1),
        ("party", str(party.pk), 1),
        ("court_level", "appeal", 1),
    }
    with commit():
        unpublish_case(case, actor=editor)
    assert not CaseFacets.objects.exists() and not FacetCount.objects.exists()


def test_an_edit_moves_one_count_and_matches_a_rebuild(editor, commit):
    cases = [f.case(published=True, country="RU") for _ in range(3)]
    rebuild_case_facets()
    cases[0].country = "GB"
    with commit():
        save_record(cases[0], actor=editor)
    assert {("country", "RU", 2), ("country", "GB", 1)} <= counts()
    incremental = counts()
    rebuild_case_facets()
    assert counts() == incremental


def test_deleting_a_case_recounts(editor, commit):
    keep, gone = f.case(published=True, country="RU"), f.case(published=True, country="GB")
    rebuild_case_facets()
    with commit():
        delete_record(gone, actor=editor)
    assert ("country", "GB", 1) not in counts()
    assert ("country", "RU", 1) in counts()
    assert set(CaseFacets.objects.values_list("case_id", flat=True)) == {keep.pk}


def test_filtered_counts_read_the_summary_and_ignore_drafts():
    face = Technology.objects.create(name="Face recognition", slug="face")
    for country in ["RU", "RU", "GB"]:
        f.case(published=True, country=country).technologies.add(face)
    f.case(country="RU").technologies.add(face)  # draft
    rebuild_case_facets()
    where = {"technology": selectors.summary_values("technology", [face])}
    assert [(value, n) for value, _row, n in selectors.facet_count(None, "country", where=where)] == [
        ("RU", 2),
        ("GB", 1),
    ]
    [(slug, row, n)] = selectors.facet_count(None, "technology", where={"country": ["GB"]})
    assert (slug, row["name"], n) == ("face", "Face recognition", 1)
    assert selectors.headline_counts() == {"cases": 3, "countries": 2, "decided": 0}


def test_list_page_queries_do_not_grow_with_cases(client, django_assert_max_num_queries):
    def queries():
        rebuild_case_facets()
        with django_assert_max_num_queries(40) as captured:
            assert client.get("/cases/?country=RU&status=pending").status_code == 200
        return len(captured.captured_queries)

    face = Technology.objects.create(name="Face recognition", slug="face")
    first = f.case(published=True)
    first.technologies.add(face)
    f.participation(first)
    few = queries()
    for _ in range(30):
        case = f.case(published=True)
        case.technologies.add(face)
        f.participation(case)
    assert queries() == few


def test_a_filtered_list_counts_every_other_facet_in_one_query(client, django_assert_max_num_queries):
    face = Technology.objects.create(name="Face recognition", slug="face")
    for country in ["RU", "RU", "GB"]:
        f.case(published=True, country=country).technologies.add(face)
    f.case(published=True, country="DE")  # not the technology's
    rebuild_case_facets()
    with django_assert_max_num_queries(20) as captured:
        response = client.get("/cases/?technology=face")
    counting = [query["sql"] for query in captured.captured_queries if "GROUP BY" in query["sql"]]
    assert len(counting) == 1  # the technology's own counts are the precomputed unfiltered ones
    country = next(group for group in response.context["facets"] if group["name"] == "country")
    assert [(option["value"], option["count"]) for option in country["options"]] == [("RU", 2), ("GB", 1)]


def test_counting_keeps_each_facets_top_values_and_years_newest_first():
    for year, country in [(2019, "RU"), (2019, "GB"), (2020, "RU"), (2021, "DE")]:
        f.case(published=True, country=country, filed_on=datetime.date(year, 1, 1))
    rebuild_case_facets()
    counts = selectors.facet_counts(None, ["country", "year"], limit=2, where={"status": ["pending"]})
    assert [(value, n) for value, _row, n in counts["country"]] == [("RU", 2), ("DE", 1)]
    assert [(value, n) for value, _row, n in counts["year"]] == [(2021, 1), (2020, 1)]
    assert [(value, n) for value, _row, n in selectors.facet_count([], "country")] == []
