"""The facet summary: kept current by case_changed(), never holding a draft, equal to a full rebuild."""

import datetime

import pytest

from cases import selectors
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import delete_record, save_record
from cases.models import CaseFacets, FacetCount, FacetPair, Technology
from cases.search import refresh_all_search_vectors
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


def pairs():
    return set(FacetPair.objects.values_list("key", "facet", "value", "cases"))


@pytest.fixture
def paired(settings):
    """Keep pair counts for every value of two cases or more."""
    settings.FACET_PAIR_MIN_CASES = 2


def test_pair_counts_follow_every_change_as_a_rebuild_would(editor, commit, paired):
    face = Technology.objects.create(name="Face recognition", slug="face")
    cameras = Technology.objects.create(name="CCTV", slug="cctv")
    cases = [f.case(published=True, country=country) for country in ["RU", "RU", "GB"]]
    for case in cases:
        case.technologies.add(face)
    rebuild_case_facets()
    assert ("country:RU", "technology", str(face.pk), 2) in pairs()
    assert not FacetPair.objects.filter(key="country:GB").exists()  # one case: counted when asked

    def same_as_rebuild():
        incremental = counts(), pairs()
        rebuild_case_facets()
        assert (counts(), pairs()) == incremental

    cases[2].country = "RU"  # GB loses its last case, RU gains a third
    with commit():
        save_record(cases[2], actor=editor)
    assert ("country:RU", "technology", str(face.pk), 3) in pairs()
    same_as_rebuild()
    cases[0].technologies.add(cameras)
    cases[1].technologies.add(cameras)  # cctv becomes common enough for pairs of its own
    with commit():
        save_record(cases[0], actor=editor)
        save_record(cases[1], actor=editor)
    assert ("technology:" + str(cameras.pk), "country", "RU", 2) in pairs()
    same_as_rebuild()
    with commit():
        unpublish_case(cases[0], actor=editor)  # cctv drops below two cases: its pairs go
    assert not FacetPair.objects.filter(key=f"technology:{cameras.pk}").exists()
    same_as_rebuild()
    cases[1].delete()  # not through an action: the summary still hears of it
    assert ("country:RU", "technology", str(face.pk), 1) not in pairs()
    same_as_rebuild()
    assert not FacetPair.objects.filter(cases=0).exists()


def test_a_common_value_is_counted_from_its_pairs(client, paired, django_assert_max_num_queries):
    face = Technology.objects.create(name="Face recognition", slug="face")
    for country in ["RU", "RU", "GB"]:
        f.case(published=True, country=country).technologies.add(face)
    f.case(country="GB").technologies.add(face)  # draft
    rebuild_case_facets()
    with django_assert_max_num_queries(30) as captured:
        response = client.get("/cases/?technology=face")
    assert not [query["sql"] for query in captured.captured_queries if "GROUP BY" in query["sql"]]
    country = next(group for group in response.context["facets"] if group["name"] == "country")
    assert [(option["value"], option["count"]) for option in country["options"]] == [("RU", 2), ("GB", 1)]
    # The facet filtered on counts under the other filter, here from the pairs of RU.
    response = client.get("/cases/?technology=face&country=RU")
    technology = next(group for group in response.context["facets"] if group["name"] == "technology")
    assert [(option["value"], option["count"]) for option in technology["options"]] == [("face", 2)]


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


def test_a_filtered_list_counts_every_other_facet_in_one_query(client, settings, django_assert_max_num_queries):
    settings.FACET_PAIR_MIN_CASES = 1000  # no value here is common enough for pair counts
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


def test_a_search_matching_more_than_the_sample_shows_estimated_counts(client, settings):
    settings.FACET_SAMPLE_CASES = 4
    for country in ["RU"] * 6 + ["GB"] * 2:
        f.case(published=True, title="Camera case", country=country)
    f.case(title="Camera case", country="DE")  # draft
    rebuild_case_facets()
    refresh_all_search_vectors()
    response = client.get("/cases/?q=camera")
    assert response.context["page"].paginator.count == 8
    assert response.context["estimated_counts"]
    country = next(group for group in response.context["facets"] if group["name"] == "country")
    counts = {option["value"]: option["count"] for option in country["options"]}
    assert set(counts) <= {"RU", "GB"} and sum(counts.values()) == 8  # four sampled, each standing for two
    assert "estimates from a sample" in response.content.decode()
    settings.FACET_SAMPLE_CASES = 8
    response = client.get("/cases/?q=camera")
    assert not response.context["estimated_counts"]
    country = next(group for group in response.context["facets"] if group["name"] == "country")
    assert [(option["value"], option["count"]) for option in country["options"]] == [("RU", 6), ("GB", 2)]
