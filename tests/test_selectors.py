import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cases import selectors
from cases.models import Case
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    """A published case with public and non-public records, and a draft case sharing a party."""
    case = f.case(published=True, title="Popova v. Moscow DIT", filed_on=datetime.date(2019, 10, 7))
    plaintiff = f.participation(case, party=f.party(name="Alena Popova"))
    proceeding = f.proceeding(case)
    public_filing = f.filing(proceeding, title="Claim", filed_by=plaintiff)
    secret_filing = f.filing(proceeding, title="Strategy memo", is_public=False)
    public_hearing = f.hearing(proceeding)
    private_hearing = f.hearing(proceeding, is_public=False)
    decision = f.decision(proceeding)
    draft = f.case(title="Draft case")
    f.participation(draft, party=f.party(name="Draft-only party"))
    case.related_cases.add(draft)
    return {
        "case": case,
        "public": [public_filing, public_hearing, decision],
        "private": [secret_filing, private_hearing],
        "draft": draft,
    }


def test_public_cases_excludes_drafts(story):
    assert list(selectors.public_cases()) == [story["case"]]


def test_detail_of_draft_or_missing_case_is_404(story):
    with pytest.raises(Http404):
        selectors.public_case_detail(story["draft"].slug)
    with pytest.raises(Http404):
        selectors.public_case_detail("no-such-case")


def test_timeline_holds_only_public_records_in_date_order(story):
    case = selectors.public_case_detail(story["case"].slug)
    timeline = selectors.public_timeline(case)
    assert [entry.item for entry in timeline] == story["public"]
    assert [entry.kind for entry in timeline] == ["filing", "hearing", "decision"]
    assert [entry.item for entry in selectors.public_timeline(case, newest_first=True)] == story["public"][::-1]


def test_related_cases_are_public_only(story):
    case = selectors.public_case_detail(story["case"].slug)
    assert case.public_related == []


def test_parties_by_side(story):
    case = selectors.public_case_detail(story["case"].slug)
    [(label, participations)] = selectors.parties_by_side(case)
    assert participations[0].party.name == "Alena Popova"


def test_party_only_in_a_draft_is_404(story):
    assert selectors.public_party(story["case"].participations.get().party.slug)
    draft_party = story["draft"].participations.get().party
    with pytest.raises(Http404):
        selectors.public_party(draft_party.slug)


def test_party_roles_list_public_cases_only(story):
    party = story["case"].participations.get().party
    f.participation(story["draft"], party=party)
    [(role, cases)] = selectors.public_party_roles(party, selectors.public_party_cases(party))
    assert cases == [story["case"]]


def test_counsel_organisation_is_a_public_party(story):
    ngo = f.party(name="Agora", kind="ngo")
    story["case"].participations.get().counsel.create(name="Kirill Koroteev", organisation=ngo)
    assert selectors.public_party(ngo.slug) == ngo
    assert dict(selectors.public_party_roles(ngo, selectors.public_party_cases(ngo)))["Counsel"] == [story["case"]]


def test_latest_events_skip_confidential_filings(story):
    items = [entry.item for entry in selectors.public_latest_events()]
    assert story["private"][0] not in items
    assert set(items) == {story["public"][0], story["public"][2]}


def test_facet_count_counts_public_cases_only(story):
    f.case(published=True, country="GB", filed_on=datetime.date(2021, 5, 25))
    f.case(country="DE")
    rebuild_case_facets()
    cases = selectors.public_cases()
    assert {value: n for value, _, n in selectors.facet_count(cases, "country")} == {"RU": 1, "GB": 1}
    assert {value: n for value, _, n in selectors.facet_count(None, "country")} == {"RU": 1, "GB": 1}
    assert {value: n for value, _, n in selectors.facet_count(cases, "year")} == {2019: 1, 2021: 1}
    parties = [value for value, _, _ in selectors.facet_count(cases, "party")]
    assert parties == [story["case"].participations.get().party.slug]
    for facet in selectors.FACETS:
        selectors.facet_count(cases, facet)


def test_headline_counts_and_stats_ignore_drafts(story):
    rebuild_case_facets()
    assert selectors.headline_counts()["cases"] == 1
    stats = selectors.public_stats()
    assert sum(row["n"] for row in stats["by_country"]) == Case.objects.public().count()


def test_case_detail_query_count_does_not_grow_with_filings():
    def build(n):
        case = f.case(published=True)
        proceeding = f.proceeding(case)
        plaintiff = f.participation(case)
        for _ in range(n):
            f.filing(proceeding, filed_by=plaintiff)
        return case

    small, large = build(5), build(50)
    counts = []
    for case in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            detail = selectors.public_case_detail(case.slug)
            selectors.public_timeline(detail)
            selectors.parties_by_side(detail)
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_public_documents_skip_confidential_ones(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = f.case(published=True)
    proceeding = f.proceeding(case)
    shown = f.filing(proceeding, document=ContentFile(b"claim", "claim.txt"))
    f.filing(proceeding, is_public=False, document=ContentFile(b"memo", "memo.txt"))
    f.filing(proceeding)
    ruling = f.decision(proceeding, document=ContentFile(b"ruling", "ruling.txt"))
    detail = selectors.public_case_detail(case.slug)
    assert [entry.item for entry in selectors.public_documents(detail)] == [shown, ruling]


def test_facet_count_limit_and_values(story):
    for country in ["GB", "GB", "US"]:
        f.case(published=True, country=country)
    rebuild_case_facets()
    cases = selectors.public_cases()
    assert [value for value, _, _ in selectors.facet_count(cases, "country", limit=1)] == ["GB"]
    assert [(value, n) for value, _, n in selectors.facet_count(cases, "country", values=["US"])] == [("US", 1)]
    assert [n for _, _, n in selectors.facet_count(cases, "year", values=["2019"])] == [1]
