import datetime
import shutil

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cases.demo import CONFIDENTIAL_FILING_TITLE, INTERNAL_NOTE
from cases.models import Case, Counsel, Decision, DocumentText, Filing, Participation, Proceeding

from .conftest import need

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo attaches documents


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def load(capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_running_twice_changes_nothing(settings, capsys):
    settings.DEBUG = True
    load(capsys)
    first = row_counts()
    published_at = dict(Case.objects.values_list("slug", "published_at"))
    load(capsys)
    assert row_counts() == first
    assert dict(Case.objects.values_list("slug", "published_at")) == published_at


def test_loads_the_real_cases_published(settings, capsys):
    settings.DEBUG = False
    load(capsys)
    slugs = set(Case.objects.public().values_list("slug", flat=True))
    assert {
        "popova-and-milov-v-moscow-dit",
        "glukhin-v-russia",
        "big-brother-watch-v-united-kingdom",
        "carpenter-v-united-states",
        "schrems-ii",
        "aclu-v-clearview-ai",
    } <= slugs
    assert not Case.objects.exclude(pk__in=Case.objects.public()).exists()
    assert all(case.summary and case.summary_ru and case.title_ru for case in Case.objects.all())


def test_seed_case_has_both_suits_counsel_and_the_echr_application(capsys):
    load(capsys)
    case = Case.objects.get(slug="popova-and-milov-v-moscow-dit")
    decisions = Decision.objects.filter(proceeding__case=case).select_related("proceeding__court")
    assert {(d.proceeding.court.name, d.announced_on, d.result) for d in decisions} == {
        ("Savyolovsky District Court of Moscow", datetime.date(2019, 11, 6), "dismissed"),
        ("Moscow district court (not named in the sources)", datetime.date(2020, 3, 3), "dismissed"),
    }
    defendants = set(case.participations.filter(role="defendant").values_list("party__slug", flat=True))
    assert defendants == {"moscow-dit", "gu-mvd-moscow"}
    plaintiffs = set(case.participations.filter(role="plaintiff").values_list("party__slug", flat=True))
    assert plaintiffs == {"alena-popova", "vladimir-milov"}
    koroteev = Counsel.objects.filter(participation__case=case, name="Kirill Koroteev")
    assert koroteev.count() == 2 and all(c.organisation.slug == "agora" for c in koroteev)
    application = Filing.objects.get(proceeding__case=case, proceeding__court__slug="echr")
    assert application.filed_on == datetime.date(2020, 7, 6)
    assert case.technologies.filter(slug="face-recognition").exists()


def test_glukhin_judgment(capsys):
    load(capsys)
    judgment = Decision.objects.get(proceeding__case__slug="glukhin-v-russia", proceeding__docket_number="11519/20")
    assert (judgment.announced_on, judgment.result, judgment.is_final) == (datetime.date(2023, 7, 4), "violation", True)
    assert judgment.proceeding.ended_on == datetime.date(2023, 10, 4)


def test_courts_have_time_zones_and_appeal_links(capsys):
    load(capsys)
    chain = Proceeding.objects.get(case__slug="popova-and-milov-v-moscow-dit", court__slug="savyolovsky").court
    assert chain.timezone == "Europe/Moscow"
    assert chain.appeals_to.slug == "moscow-city"
    assert chain.appeals_to.appeals_to.appeals_to.slug == "ru-supreme"
    grand_chamber = Proceeding.objects.get(court__slug="echr-grand-chamber")
    assert grand_chamber.appeals_from.court.slug == "echr"


def test_leak_markers_exist_but_are_not_public(capsys):
    load(capsys)
    confidential = Filing.objects.get(title=CONFIDENTIAL_FILING_TITLE)
    assert not confidential.is_public
    assert confidential not in Filing.objects.public()
    assert Filing.objects.public().count() >= 2
    assert Case.objects.filter(internal_notes=INTERNAL_NOTE).exists()


def test_party_is_reused_across_cases(capsys):
    load(capsys)
    assert set(Participation.objects.filter(party__slug="aclu").values_list("case__slug", flat=True)) == {
        "aclu-v-clearview-ai"
    }
    assert Counsel.objects.filter(organisation__slug="aclu", participation__case__slug="carpenter-v-united-states")


def test_no_accounts_when_debug_is_off(settings, capsys):
    settings.DEBUG = False
    output = load(capsys)
    assert not get_user_model().objects.exists()
    assert "no demo accounts" in output
    assert "password" not in output


def test_accounts_with_debug_on_are_created_once_and_printed(settings, capsys):
    settings.DEBUG = True
    output = load(capsys)
    User = get_user_model()
    editor, lawyer = User.objects.get(username="editor"), User.objects.get(username="lawyer")
    assert editor.groups.filter(name="Editors").exists() and lawyer.groups.filter(name="Lawyers").exists()
    assert editor.is_staff and lawyer.is_staff and not editor.is_superuser
    password = output.split("'lawyer' with password: ")[1].split()[0]
    assert lawyer.check_password(password)
    assert Case.objects.editable_by(lawyer).get().slug == "popova-and-milov-v-moscow-dit"

    again = load(capsys)
    assert "already exists" in again and "password:" not in again
    assert User.objects.get(username="lawyer").check_password(password)
    assert User.objects.count() == 2


def test_demo_secrets_stay_off_the_public_pages(client, capsys):
    load(capsys)
    case = Case.objects.get(slug="popova-and-milov-v-moscow-dit")
    for url in ["/", "/cases/", case.get_absolute_url(), f"/ru{case.get_absolute_url()}"]:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert CONFIDENTIAL_FILING_TITLE not in page and INTERNAL_NOTE not in page, url
    assert "Statement of claim against the DIT" in client.get(case.get_absolute_url()).content.decode()


def test_demo_documents_are_read_and_the_russian_scan_is_found(
    client, capsys, tasks_run_here, django_capture_on_commit_callbacks, require_postgres
):
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")
    with django_capture_on_commit_callbacks(execute=True):
        load(capsys)

    texts = {text.method: text for text in DocumentText.objects.all()}
    assert texts["text_layer"].language == "en" and texts["text_layer"].filing is not None
    assert texts["ocr"].language == "ru" and texts["ocr"].decision is not None
    page = client.get("/cases/", {"q": "биометрические данные"}).content.decode()
    assert f"/documents/decision/{texts['ocr'].decision_id}/text/#page-1" in page


def test_demo_cases_are_linked_to_what_they_challenge_each_with_sources(client, capsys):
    from django.db import connection

    from cases.demo import read
    from cases.models import Challenge
    from cases.search import refresh_all_search_vectors

    load(capsys)
    challenged = {
        challenge.case.slug: challenge.target_system.slug
        for challenge in Challenge.objects.select_related("case", "system", "deployment__system")
    }
    assert challenged == {
        "popova-and-milov-v-moscow-dit": "moscow-city-video-surveillance",
        "glukhin-v-russia": "moscow-city-video-surveillance",
        "aclu-v-clearview-ai": "clearview-ai",
        "carpenter-v-united-states": "cell-site-location-records",
        "big-brother-watch-v-united-kingdom": "gchq-bulk-interception",
        "schrems-ii": "fisa-702-programmes",
    }
    data = read("surveillance.yaml")
    for kind in ("vendors", "systems", "deployments", "challenges"):
        for row in data[kind]:
            assert row["sources"] and all(url.startswith("https://") for url in row["sources"]), row
    for row in data["challenges"]:
        assert all(remedy["source_url"].startswith("https://") for remedy in row.get("remedies") or [])
    page = client.get("/systems/moscow-city-video-surveillance/").content.decode()
    assert "NtechLab" in page and "Glukhin" in page and "Popova" in page
    # Every demo deployment in a city is placed at the city's centre, so the demo map shows it.
    assert all(row.get("latitude") and row.get("longitude") for row in data["deployments"] if row.get("city"))
    assert (
        '<a href="/deployments/moscow-dit-facial-recognition/"><circle class="map-point'
        in client.get("/map/").content.decode()
    )
    if connection.vendor == "postgresql":
        refresh_all_search_vectors()  # after the commit the test does not make
        assert client.get("/cases/", {"q": "НтехЛаб"}).context["page"].paginator.count == 2
