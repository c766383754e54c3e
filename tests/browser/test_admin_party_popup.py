"""The add-party popup's "use this one?" picks the existing party in the case page's field and closes."""

import pytest

from cases.models import Party

from .test_admin_journey import editor, existing, log_in  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_use_this_one_in_the_popup_fills_the_openers_field(page, live_server, editor, existing):  # noqa: F811
    url = live_server.url
    log_in(page, url, *editor)
    page.goto(url + "/admin/cases/case/add/")
    page.locator("#participations-group .add-row a").click()
    pages_before = len(page.context.pages)
    with page.expect_popup() as opened:
        page.locator("#add_id_participations-0-party").click()
    popup = opened.value
    popup.fill("#id_name", "edward  bridges")
    popup.select_option("#id_kind", "person")
    popup.locator("input[name=_save]").click()
    hint = popup.locator(".errorlist a", has_text="Edward Bridges")
    assert hint.get_attribute("target") is None
    with popup.expect_event("close"):
        hint.click()
    assert len(page.context.pages) == pages_before  # the popup closed, and no tab opened
    bridges = Party.objects.get(name="Edward Bridges")
    assert page.locator("#id_participations-0-party").input_value() == str(bridges.pk)
    assert "Edward Bridges" in page.locator("#participations-0 .field-party .select2-selection").inner_text()
    assert Party.objects.filter(name__iexact="edward bridges").count() == 1
