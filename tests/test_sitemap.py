import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from . import factories as f

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_sitemap_is_valid_xml_listing_only_public_pages(client):
    public = f.case(published=True, title="Public case")
    f.participation(public, party=f.party(name="Public party"))
    f.proceeding(public)
    draft = f.case(title="Draft case")
    draft_party = f.participation(draft, party=f.party(name="Hidden party")).party
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", NS)]
    assert any(loc.endswith(public.get_absolute_url()) for loc in locations)
    assert any(loc.endswith("/ru" + public.get_absolute_url()) for loc in locations)
    assert not any(draft.slug in loc for loc in locations)
    assert not any(draft_party.slug in loc for loc in locations)


def test_robots_txt_points_to_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /admin/" in body
