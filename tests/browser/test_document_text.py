"""A visitor finds words inside a demo document and reads its text view, which passes axe-core."""

import io
import shutil

import pytest
from django.core.management import call_command

from ..conftest import need
from .conftest import screenshot
from .test_public_walk import check_axe, demo  # noqa: F401  (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_hit_leads_to_the_page_of_the_text_view(page, live_server, demo):  # noqa: F811
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")
    call_command("extract_documents", stdout=io.StringIO())  # what the worker does after the upload

    page.goto(live_server.url + "/cases/?q=erase+biometric+data")
    hit = page.locator(".document-hits a").first
    assert "p. 1" in hit.inner_text()
    assert page.locator(".document-hits mark").count() >= 2
    check_axe(page, "case list with document hits")
    hit.click()

    assert page.url.endswith("/text/#page-1")
    assert "erase her biometric data" in page.locator("#page-1").inner_text()
    assert page.get_by_role("link", name="Download the original").count() == 1
    check_axe(page, "document text")
    screenshot(page, "document-text")
