"""Public lists come a page at a time, and no page number reads deeper than MAX_PAGES pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case, Challenge, System, Technology, Vendor
from cases.summary import rebuild_case_facets
from cases.views import paging, surveillance
from cases.views.entities import PAGE_SIZE

from . import factories as f

pytestmark = pytest.mark.django_db


def test_party_page_is_paginated_with_a_constant_number_of_queries(client, django_assert_max_num_queries):
    agency = f.party(name="Moscow Police", kind="agency")
    for n in range(PAGE_SIZE + 5):
        f.participation(f.case(published=True, title=f"Case {n:02}"), party=agency, role="defendant")
    draft = f.case(title="Secret draft")
    f.participation(draft, party=agency, role="defendant")
    with django_assert_max_num_queries(12):
        html = client.get(f"/parties/{agency.slug}/").content.decode()
    assert html.count('href="/cases/case-') == PAGE_SIZE
    assert f"{PAGE_SIZE + 5} cases" in html and "Secret draft" not in html
    html = client.get(f"/parties/{agency.slug}/?page=2").content.decode()
    assert html.count('href="/cases/case-') == 5


def test_pages_past_the_cap_show_the_last_offered_page(monkeypatch):
    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    page = paging.page_of(list(range(100)), 10, "999999")
    assert (page.number, list(page), page.paginator.count) == (2, list(range(10, 20)), 100)


def test_a_known_count_or_a_lower_bound_filling_every_page_spares_counting(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(paging, "MAX_PAGES", 2)
    cases = Case.objects.order_by("pk")
    with django_assert_num_queries(0):
        assert paging.page_of(cases, 10, "1", count=15).paginator.num_pages == 2
        assert paging.page_of(cases, 10, "1", at_least=20).paginator.num_pages == 2
    with django_assert_num_queries(1):  # a bound short of every page: counted
        assert paging.page_of(cases, 10, "1", at_least=19).paginator.num_pages == 1


def counts(queries):
    return [query["sql"] for query in queries if "COUNT(" in query["sql"]]


def test_entity_pages_read_their_counts_from_the_facet_summary(client, django_assert_max_num_queries):
    agency = f.party(name="Moscow Police", kind="agency")
    face = Technology.objects.create(name="Face recognition", slug="face")
    for n in range(3):
        case = f.case(published=True, title=f"Case {n}")
        f.participation(case, party=agency, role="defendant")
        case.technologies.add(face)
    rebuild_case_facets()
    for url in (agency.get_absolute_url(), reverse("cases:technology_detail", args=["face"])):
        with CaptureQueriesContext(connection) as queries:
            assert "3 cases" in client.get(url).content.decode()
        assert not counts(queries.captured_queries)


def test_a_party_acting_as_counsel_counts_those_cases_too(client):
    ngo = f.party(name="Agora", kind="ngo")
    f.participation(f.case(published=True, title="Its own case"), party=ngo)
    f.participation(f.case(published=True, title="Defended")).counsel.create(name="A lawyer", organisation=ngo)
    rebuild_case_facets()  # counts the case it is in, not the one it acts as counsel in
    html = client.get(ngo.get_absolute_url()).content.decode()
    assert "2 cases" in html and "Its own case" in html and "Defended" in html


def test_a_system_in_enough_cases_to_fill_every_page_is_not_counted(client, monkeypatch):
    monkeypatch.setattr(paging, "MAX_PAGES", 1)
    system = System.objects.create(name="FindFace", vendor=Vendor.objects.create(name="NtechLab"))
    for n in range(surveillance.PAGE_SIZE + 1):
        Challenge.objects.create(case=f.case(published=True, title=f"Case {n:02}"), system=system)
    rebuild_case_facets()
    for url in (system.get_absolute_url(), system.vendor.get_absolute_url()):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert not counts(queries.captured_queries)
        assert html.count('href="/cases/case-') == surveillance.PAGE_SIZE


def test_the_unfiltered_list_reads_its_count_from_the_facet_summary(client):
    for n in range(3):
        f.case(published=True, title=f"Case {n}", country="GB" if n else "RU")
    f.case(title="Draft")
    rebuild_case_facets()
    with CaptureQueriesContext(connection) as queries:
        assert "3 cases" in client.get("/cases/").content.decode()
    assert not counts(queries.captured_queries)
    assert "2 cases" in client.get("/cases/?country=GB").content.decode()
