"""Public lists come a page at a time, and no page number reads deeper than MAX_PAGES pages."""

import pytest

from cases.views import paging
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
