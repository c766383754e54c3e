import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import LegalGround, Technology
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def popova():
    face = Technology.objects.create(name="Face recognition", name_ru="Распознавание лиц", slug="face-recognition")
    privacy = LegalGround.objects.create(name="Private life (ECHR Art. 8)", slug="art-8")
    case = f.case(
        published=True,
        title="Popova v. Moscow DIT",
        title_ru="Попова против ДИТ Москвы",
        summary="A challenge to live facial recognition.",
        summary_ru="Иск против распознавания лиц.",
        description="## Background\n\nMoscow runs **105,000** cameras.\n\n<script>alert('x')</script>",
        filed_on=datetime.date(2019, 10, 7),
        last_activity_on=datetime.date(2019, 11, 6),
        status="decided",
        outcome="dismissed",
    )
    case.technologies.add(face)
    case.grounds.add(privacy)
    plaintiff = f.participation(case, party=f.party(name="Alena Popova", name_ru="Алёна Попова"))
    defendant = f.participation(case, role="defendant", party=f.party(name="Moscow DIT", kind="agency"))
    plaintiff.counsel.create(name="Kirill Koroteev", organisation=f.party(name="Agora", kind="ngo"))
    court = f.court(name="Savyolovsky District Court", name_ru="Савёловский районный суд")
    proceeding = f.proceeding(case, court=court, docket_number="2a-577/2019")
    f.filing(proceeding, title="Statement of claim", filed_by=plaintiff)
    f.hearing(proceeding)
    f.decision(proceeding)
    case.links.create(title="Reuters report", url="https://example.org/report")
    return {"case": case, "defendant": defendant, "court": court, "technology": face}


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_shows_counts_and_latest(client, popova):
    html = get(client, "/")
    assert "Popova v. Moscow DIT" in html
    assert "Statement of claim" in html


def test_case_page_shows_story(client, popova):
    html = get(client, popova["case"].get_absolute_url())
    for text in [
        "Popova v. Moscow DIT",
        "Alena Popova",
        "Kirill Koroteev",
        "Agora",
        "Savyolovsky District Court",
        "2a-577/2019",
        "Statement of claim",
        "<strong>105,000</strong>",
        "Reuters report",
        'property="og:title"',
        "Cite this page",
        "?technology=face-recognition",
    ]:
        assert text in html, text
    assert "<script" not in html


def test_case_page_in_russian(client, popova):
    html = get(client, "/ru" + popova["case"].get_absolute_url())
    assert "Попова против ДИТ Москвы" in html
    assert "Алёна Попова" in html
    assert 'lang="ru"' in html


def test_timeline_order_toggle(client, popova):
    oldest = get(client, popova["case"].get_absolute_url())
    newest = get(client, popova["case"].get_absolute_url() + "?order=newest")
    assert oldest.index("Statement of claim") < oldest.index("event-decision")
    assert newest.index("Statement of claim") > newest.index("event-decision")


def test_draft_case_is_404_like_missing(client):
    draft = f.case(title="Unpublished draft")
    assert "Unpublished draft" not in get(client, draft.get_absolute_url(), 404)
    get(client, "/cases/no-such-case/", 404)


def test_list_shows_facets_with_counts(client, popova):
    f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    f.case(title="Secret draft", country="DE")
    rebuild_case_facets()
    html = get(client, reverse("cases:case_list"))
    assert "Big Brother Watch" in html and "Secret draft" not in html
    assert "Germany" not in html
    assert 'Face recognition <span class="count">(1)</span>' in html


def test_list_filters_by_url(client, popova):
    f.case(published=True, title="Big Brother Watch v. UK", country="GB")
    html = get(client, reverse("cases:case_list") + "?country=GB")
    assert "Big Brother Watch" in html and "Popova v. Moscow DIT" not in html


@pytest.mark.parametrize("page", ["abc", "999999", "-1", "0"])
def test_bad_page_numbers_give_a_page(client, popova, page):
    get(client, reverse("cases:case_list") + f"?page={page}")


def test_csv_download_follows_filters(client, popova):
    f.case(published=True, title="=HYPERLINK(1)", country="GB")
    response = client.get(reverse("cases:case_list_csv") + "?country=GB")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body and "Popova" not in body


@pytest.mark.parametrize("name", ["party", "court", "technology"])
def test_entity_pages(client, popova, name):
    urls = {
        "party": popova["defendant"].party.get_absolute_url(),
        "court": popova["court"].get_absolute_url(),
        "technology": reverse("cases:technology_detail", args=["face-recognition"]),
    }
    assert "Popova v. Moscow DIT" in get(client, urls[name])


def test_entity_only_in_a_draft_is_404(client):
    draft = f.case(title="Draft")
    party = f.participation(draft).party
    get(client, party.get_absolute_url(), 404)
    get(client, reverse("cases:technology_detail", args=["nothing"]), 404)


def test_stats_page_has_svg_and_tables(client, popova):
    html = get(client, reverse("cases:stats"))
    assert html.count("<svg") == 3
    assert html.count("<table") == 3
    assert "Russia" in html


def test_case_page_query_count_is_fixed(client, django_assert_max_num_queries):
    def build(filings):
        case = f.case(published=True)
        plaintiff = f.participation(case)
        plaintiff.counsel.create(name="A lawyer", organisation=f.party(kind="ngo"))
        proceeding = f.proceeding(case)
        for n in range(filings):
            f.filing(proceeding, title=f"Filing {n}", filed_by=plaintiff)
            f.hearing(proceeding)
            f.decision(proceeding)
        return case.get_absolute_url()

    counts = []
    for url in (build(5), build(50)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # 12, plus the proceedings' further numbers and the decisions' citations.
    with django_assert_max_num_queries(14):
        client.get(url)


def test_pages_have_no_inline_scripts_or_styles(client, popova):
    for url in ["/", "/cases/", popova["case"].get_absolute_url(), "/stats/"]:
        html = get(client, url)
        assert "<script" not in html
        assert "style=" not in html and "<style" not in html


def test_selected_facets_stay_ticked(client, popova):
    html = get(client, reverse("cases:case_list") + "?technology=face-recognition&country=RU")
    assert 'name="technology" value="face-recognition" checked' in html
    assert 'name="country" value="RU" checked' in html
    assert "not recognised" not in html


@pytest.mark.parametrize("url", ["/", "/cases/", "/stats/", "/feeds/latest.atom", "/cases/feed.atom", "/sitemap.xml"])
def test_list_pages_query_count_does_not_grow(client, url):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_cases(n):
        technology = Technology.objects.create(name=f"Tech {n}", slug=f"tech-{n}")
        for _ in range(n):
            case = f.case(published=True)
            case.technologies.add(technology)
            proceeding = f.proceeding(case)
            f.filing(proceeding)
            f.decision(proceeding)
            f.participation(case)

    add_cases(3)
    few = count_queries()
    add_cases(20)
    assert count_queries() == few


def test_case_list_html_is_small(client, popova):
    assert len(get(client, reverse("cases:case_list"))) < 30_000


def test_active_filter_links_remove_only_their_value(client, popova):
    html = get(client, reverse("cases:case_list") + "?country=RU&country=GB&status=decided&page=2")
    assert 'href="?country=GB&amp;status=decided"' in html  # Russia removed, page reset
    assert 'href="?country=RU&amp;country=GB"' in html  # status removed


def test_facet_counts_ignore_their_own_filter(client, popova):
    f.case(published=True, title="Big Brother Watch v. UK", country="GB", status="decided")
    rebuild_case_facets()
    html = get(client, reverse("cases:case_list") + "?country=RU")
    # Other countries stay offered, so a second one can be ticked; other facets follow the filter.
    assert 'United Kingdom <span class="count">(1)</span>' in html
    assert 'name="status" value="decided"' in html  # Popova is decided too
    html = get(client, reverse("cases:case_list") + "?country=GB")
    assert "Face recognition" not in html.split('id="results-heading"')[0]


def test_large_counts_are_grouped_in_the_page_language(client, popova, monkeypatch):
    monkeypatch.setattr("cases.views.facets.summary_case_count", lambda *args: 45455)

    english = client.get(reverse("cases:case_list")).content.decode()
    russian = client.get("/ru" + reverse("cases:case_list"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "45,455 cases" in english
    assert "45\xa0455 дел" in russian
