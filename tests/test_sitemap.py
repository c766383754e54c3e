import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import time_machine
from django.http import QueryDict

from cases.actions.records import save_record
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
    assert any(loc.endswith("/ru/map/") for loc in locations)


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


def case_lastmods(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    section = next(loc.text for loc in index.findall("s:sitemap/s:loc", NS) if "cases" in loc.text)
    urls = ET.fromstring(client.get(urlsplit(section).path).content).findall("s:url", NS)
    latest = next(item for item in index.findall("s:sitemap", NS) if "cases" in item.find("s:loc", NS).text)
    return {url.find("s:lastmod", NS).text[:10] for url in urls} | {latest.find("s:lastmod", NS).text[:10]}


def last_updated(client, case):
    html = client.get(case.get_absolute_url()).content.decode()
    return re.search(r'Last updated <time datetime="([^"]+)"', html).group(1)


def test_lastmod_and_last_updated_follow_public_content_only(client, django_capture_on_commit_callbacks):
    def save_on(day, case, **fields):
        with time_machine.travel(day, tick=False), django_capture_on_commit_callbacks(execute=True):
            for name, value in fields.items():
                setattr(case, name, value)
            save_record(case, actor=None)

    case = f.case(published=True, title="Public case", summary="First summary.")
    save_on("2024-01-10 12:00Z", case)
    assert case_lastmods(client) == {"2024-01-10"} and last_updated(client, case) == "2024-01-10"

    save_on("2024-03-05 12:00Z", case, internal_notes="Strategy nobody outside may see.")
    assert case_lastmods(client) == {"2024-01-10"} and last_updated(client, case) == "2024-01-10"

    save_on("2024-04-01 12:00Z", case, summary="Second summary.")
    assert case_lastmods(client) == {"2024-04-01"} and last_updated(client, case) == "2024-04-01"
