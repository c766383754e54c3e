"""A lawyer's sitting in the admin: log in with both factors, enter a two-court case, preview, publish, check."""

import datetime
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.oath import totp

from cases.models import Case, Court, Deadline, Decision, Hearing, Party, Proceeding
from casetracker.two_factor import enroll_totp

from ..upload_samples import PDF
from .conftest import screenshot
from .test_public_walk import check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"
# The parties of R (Bridges) v CC South Wales Police [2020] EWCA Civ 1058, with their roles.
PARTIES = [
    ("Edward Bridges", "person"),
    ("Chief Constable of South Wales Police", "government"),
    ("Secretary of State for the Home Department", "government"),
    ("Information Commissioner", "government"),
    ("Surveillance Camera Commissioner", "government"),
    ("Police and Crime Commissioner for South Wales", "government"),
]
ROLES = ["plaintiff", "defendant", "third_party", "intervener", "intervener", "intervener"]
# The count for this case before the admin was reworked: 14 form posts and 9 popups. The target is half
# the posts and at most 2 popups when its parties and courts already exist.
MOST_POSTS, MOST_POPUPS = 7, 2


@pytest.fixture
def editor(django_user_model):
    """A superuser: the browser tests' flushes drop the groups the migrations made; the second factor stays."""
    # A flush by an earlier test re-created the content types under new ids; the admin log needs the new ones.
    ContentType.objects.clear_cache()
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    device, _codes = enroll_totp(user)
    return user, device


@pytest.fixture
def existing(live_server):
    """The courts and parties a lawyer finds already there."""
    for name, level in [("High Court (Administrative Court)", "first_instance"), ("Court of Appeal", "appeal")]:
        Court.objects.create(name=name, country="GB", level=level, timezone="Europe/London")
    for name, kind in PARTIES:
        Party.objects.create(name=name, kind=kind, country="GB")
    Party.objects.create(name="Liberty", kind="ngo", country="GB")


def log_in(page, url, user, device):
    page.goto(url + "/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def pick(page, row, field, text):
    """Choose text in the autocomplete field of an inline row."""
    page.locator(f"#{row} .field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def add_row(page, group):
    page.locator(f"#{group}-group .add-row a").click()


def check_admin_axe(page, name):
    """Run axe; drop the style-src reports that axe's own injected checks cause, which the page never makes."""
    before = len(page.console_errors)
    check_axe(page, name)
    page.console_errors[before:] = [
        error for error in page.console_errors[before:] if not error.startswith("Applying inline style violates")
    ]


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def record_hearing_and_decision(page, url, proceeding, *, heard, announced, result, final):
    """Enter a proceeding's hearing and its decision with the judgment's PDF, in one save."""
    page.goto(f"{url}/admin/cases/proceeding/{proceeding.pk}/change/")
    add_row(page, "hearings")
    page.fill("#id_hearings-0-starts_at_0", heard.isoformat())
    page.fill("#id_hearings-0-starts_at_1", "10:30")
    page.fill("#id_hearings-0-place", "Royal Courts of Justice")
    add_row(page, "decisions")
    page.fill("#id_decisions-0-announced_on", announced.isoformat())
    page.select_option("#id_decisions-0-result", result)
    if final:
        page.check("#id_decisions-0-is_final")
    judgment = {"name": "judgment.pdf", "mimeType": "application/pdf", "buffer": PDF}
    page.set_input_files("#id_decisions-0-document", files=[judgment])
    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()


def test_case_entered_in_one_sitting(page, browser, live_server, editor, existing):
    url = live_server.url
    log_in(page, url, *editor)

    # Count what the lawyer sends and opens from here until the case is published.
    posts, popups = [], []
    page.on("request", lambda r: r.method == "POST" and r.resource_type == "document" and posts.append(r.url))
    page.on("popup", lambda popup: popups.append(popup.url))

    page.goto(url + "/admin/cases/case/add/")
    page.fill("#id_title", "R (Bridges) v Chief Constable of South Wales Police")
    page.select_option("#id_country", "GB")
    for row, ((name, _kind), role) in enumerate(zip(PARTIES, ROLES, strict=True)):
        add_row(page, "participations")
        pick(page, f"participations-{row}", "party", name)
        page.select_option(f"#id_participations-{row}-role", role)
    page.fill("#id_participations-0-counsel_text", "Dan Squires KC (Liberty)")
    add_row(page, "proceedings")
    pick(page, "proceedings-0", "court", "High Court (Administrative Court)")
    page.select_option("#id_proceedings-0-procedure", "cpr")
    page.fill("#id_proceedings-0-docket_number", "CO/4085/2018")
    page.fill("#id_proceedings-0-started_on", "2018-10-01")
    add_row(page, "proceedings")
    pick(page, "proceedings-1", "court", "Court of Appeal")
    page.select_option("#id_proceedings-1-procedure", "cpr")
    page.fill("#id_proceedings-1-docket_number", "C1/2019/2670")
    page.fill("#id_proceedings-1-started_on", "2019-10-01")
    page.select_option("#id_proceedings-1-appeals_from", "above")
    screenshot(page, "admin-case-entry")
    assert fits(page), "the case page scrolls sideways at 1280 px"
    check_admin_axe(page, "admin case page")
    page.locator("input[name=_continue]").click()
    page.locator(".messagelist .success").wait_for()

    case = Case.objects.get()
    high, appeal = Proceeding.objects.order_by("started_on")
    assert appeal.appeals_from == high
    assert case.participations.get(role="plaintiff").counsel.get().name == "Dan Squires KC"
    assert sorted(case.participations.values_list("role", flat=True)) == sorted(ROLES)
    assert fits(page)
    screenshot(page, "admin-case-saved")

    today = timezone.localdate()
    record_hearing_and_decision(
        page,
        url,
        high,
        heard=today - datetime.timedelta(days=20),
        announced=today - datetime.timedelta(days=3),
        result="dismissed",
        final=False,
    )
    assert "uk-cpr-52-12" in page.locator("#deadlines-group").inner_text()
    assert fits(page), "the proceeding page scrolls sideways at 1280 px"
    check_admin_axe(page, "admin proceeding page")
    screenshot(page, "admin-proceeding-deadlines")
    yesterday = today - datetime.timedelta(days=1)
    # The Court of Appeal's decision opens the Supreme Court permission deadline (UKSC Rules r.11).
    record_hearing_and_decision(
        page,
        url,
        appeal,
        heard=today - datetime.timedelta(days=2),
        announced=yesterday,
        result="appeal_allowed",
        final=True,
    )
    assert "uk-uksc-permission" in page.locator("#deadlines-group").inner_text()
    assert set(Deadline.objects.values_list("rule_code", flat=True)) == {"uk-cpr-52-12", "uk-uksc-permission"}

    page.goto(url + case.get_absolute_url())
    assert "Draft: not public." in page.locator(".preview-banner").inner_text()
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    screenshot(page, "admin-preview")

    page.goto(url + "/admin/cases/case/")
    check_admin_axe(page, "admin case list")
    page.locator(f"input[name=_selected_action][value='{case.pk}']").check()
    page.select_option("select[name=action]", "publish")
    page.locator("button[name=index]").click()
    page.locator(".messagelist .success").wait_for()
    case.refresh_from_db()
    assert case.is_published
    assert Hearing.objects.filter(proceeding__case=case).count() == 2
    assert Decision.objects.filter(proceeding__case=case).exclude(document="").count() == 2
    # The case page, one page per proceeding, and publishing; no popup, as its parties and courts exist.
    assert (len(posts), len(popups)) == (4, 0), posts
    assert len(posts) <= MOST_POSTS and len(popups) <= MOST_POPUPS

    visitor = browser.new_context(viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    public.goto(url + case.get_absolute_url())
    assert "R (Bridges)" in public.locator("h1").inner_text()
    assert public.locator(".preview-banner").count() == 0
    timeline = public.locator(".timeline").inner_text()
    assert "Appeal allowed" in timeline and "Dismissed" in timeline
    assert "Dan Squires KC" in public.locator("section[aria-labelledby=parties]").inner_text()
    screenshot(public, "admin-published")
    visitor.close()
