import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict

from cases.sitemaps import CaseSitemap

from . import factories as f

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client):
    """Return every page listed by the sitemap index and its sections, checking each is valid XML."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = []
    for section in index.findall("s:sitemap/s:loc", NS):
        parts = urlsplit(section.text)
        response = client.get(parts.path, QueryDict(parts.query))
        assert response.status_code == 200
        locations += [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", NS)]
    return locations


def test_sitemap_is_valid_xml_listing_only_public_pages(client):
    public = f.case(published=True, title="Public case")
    f.participation(public, party=f.party(name="Public party"))
    f.proceeding(public)
    draft = f.case(title="Draft case")
    draft_party = f.participation(draft, party=f.party(name="Hidden party")).party
    locations = sitemap_locations(client)
    assert any(loc.endswith(public.get_absolute_url()) for loc in locations)
    assert any(loc.endswith("/ru" + public.get_absolute_url()) for loc in locations)
    assert not any(draft.slug in loc for loc in locations)
    assert not any(draft_party.slug in loc for loc in locations)


def test_robots_txt_points_to_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body


def test_sitemap_sections_are_paged(client, monkeypatch):
    for _ in range(3):
        f.case(published=True, title="Paged case")
    monkeypatch.setattr(CaseSitemap, "limit", 2)
    locations = sitemap_locations(client)
    assert len([loc for loc in locations if "/cases/paged-case" in loc]) == 6  # three cases in two languages
