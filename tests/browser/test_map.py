"""The world map in a browser: axe, keyboard links, no JavaScript needed."""

import pytest

from .conftest import screenshot
from .test_public_walk import check_axe, demo  # noqa: F401 - demo is a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_passes_axe_and_links_countries(page, live_server, demo):  # noqa: F811
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Map").click()
    assert page.url.endswith("/map/")
    assert page.locator("svg.world-map").count() == 1
    assert page.locator("svg.world-map a circle.map-point").count() >= 1  # the demo's Moscow deployment
    check_axe(page, "map")
    screenshot(page, "map")
    page.locator("svg.world-map a").first.click()
    assert "/cases/?country=" in page.url
    page.goto(live_server.url + "/ru/map/?technology=face-recognition")
    check_axe(page, "map ru filtered")
    screenshot(page, "map-ru")


def test_map_renders_without_javascript(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/map/")
    assert page.locator("svg.world-map path").count() > 150
    assert page.locator("svg.world-map a").count() >= 1
    assert page.locator("table tbody tr th a").count() >= 1
    point = page.locator("svg.world-map a:has(circle.map-point)").first
    assert point.get_attribute("href").startswith("/deployments/")
    assert page.get_by_role("table", name="Deployments on the map").locator("tbody tr").count() >= 1
    context.close()


def test_map_fits_a_360px_screen(browser, live_server, demo):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/ru/map/")
    screenshot(page, "narrow-map-ru")
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    context.close()
