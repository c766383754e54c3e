"""Headless Debian Chromium driven by Playwright, against pytest-django's live server."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import need

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    need(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe. Allowed for these tests only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A page that refuses, and records, any request to another host, and records console errors."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.foreign_requests = []
    own_host = urlsplit(live_server.url).netloc

    def guard(route):
        if urlsplit(route.request.url).netloc in (own_host, ""):
            route.continue_()
        else:
            page.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()
    assert page.foreign_requests == [], "pages must not contact other servers"
    # Catches Content-Security-Policy violations (inline scripts or styles) and missing files.
    assert page.console_errors == []


def screenshot(page, name):
    """Save a full-page screenshot under test-artifacts/ (not committed)."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
