"""A visitor's walk through the demo data, with axe-core on the main pages."""

import io
import re

import pytest
from django.core.management import call_command

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    """Load the demo data set: the visitor's walk follows its real cases."""
    call_command("load_demo", stdout=io.StringIO())


def check_axe(page, name):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"axe on {name}: {serious}"


def test_visitor_walk_and_accessibility(page, live_server, demo):
    page.goto(live_server.url + "/")
    screenshot(page, "home")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()

    # Filter by technology, then by country, with the plain form (no JavaScript needed).
    page.get_by_role("group", name="Technology").get_by_role("checkbox", name=re.compile(r"^Face recognition")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "technology=face-recognition" in page.url
    page.get_by_role("group", name="Country").get_by_role("checkbox", name=re.compile(r"^Russia")).check()
    page.get_by_role("button", name="Apply filters").click()
    assert "country=RU" in page.url and "technology=face-recognition" in page.url
    assert page.locator(".notice").count() == 0
    check_axe(page, "case list")
    screenshot(page, "case-list-filtered")

    page.get_by_label("Search titles, summaries, parties, docket numbers and the text of documents").fill("Popova")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "q=Popova" in page.url
    results = page.locator(".case-rows h3 a")
    assert results.count() >= 1
    results.first.click()

    assert "Popova" in page.locator("h1").inner_text()
    check_axe(page, "case page")
    screenshot(page, "case")

    page.locator("#parties ~ ul a, section[aria-labelledby=parties] a").filter(has_text="Popova").first.click()
    assert "/parties/" in page.url
    check_axe(page, "party page")
    screenshot(page, "party")

    page.get_by_role("link", name="Русский").click()
    assert page.url.startswith(live_server.url + "/ru/parties/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Алёна Попова" in page.locator("h1").inner_text()
    screenshot(page, "party-ru")

    page.goto(live_server.url + "/stats/")
    assert page.locator("svg.chart").count() == 3
    check_axe(page, "stats")
    screenshot(page, "stats")

    # From a case to the system it challenges, its vendor, and the deployment.
    page.goto(live_server.url + "/cases/popova-and-milov-v-moscow-dit/")
    challenged = page.get_by_role("region", name="What this case challenges")
    challenged.get_by_role("link", name="Moscow city video surveillance system").click()
    assert "/systems/moscow-city-video-surveillance/" in page.url
    assert page.get_by_role("region", name="Cases that challenge it").get_by_role("link", name="Glukhin v. Russia")
    check_axe(page, "system page")
    screenshot(page, "system")
    page.locator("p.meta").get_by_role("link", name="NtechLab").click()
    assert "/vendors/ntechlab/" in page.url
    assert "НтехЛаб" in page.content()
    check_axe(page, "vendor page")
    screenshot(page, "vendor")
    challenges = page.get_by_role("region", name="Cases that challenge its systems")
    challenges.get_by_role("link", name="Moscow, Russia", exact=True).first.click()
    assert "/deployments/" in page.url
    check_axe(page, "deployment page")
    screenshot(page, "deployment")


def test_pages_fit_a_360px_screen(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + "/cases/")
    case_url = page.locator(".case-rows h3 a").first.get_attribute("href")
    page.goto(live_server.url + case_url)
    party_url = page.locator("section[aria-labelledby=parties] a").first.get_attribute("href")
    overflowing = []
    for name, path in [
        ("home", "/"),
        ("cases", "/cases/"),
        ("case", case_url),
        ("party", party_url),
        ("stats", "/stats/"),
        ("case-ru", "/ru" + case_url),
        ("system", "/systems/moscow-city-video-surveillance/"),
        ("vendor", "/vendors/ntechlab/"),
    ]:
        page.goto(live_server.url + path)
        screenshot(page, f"narrow-{name}")
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            overflowing.append(path)
    context.close()
    assert overflowing == []


def test_works_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cases/?q=Popova")
    assert page.locator(".case-rows h3 a").count() >= 1
    context.close()
