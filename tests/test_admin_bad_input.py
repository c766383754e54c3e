"""Bad input in the admin: a clear message on the form, a 200 not a 500, and nothing half-saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, Counsel, Court, Decision, Filing, Hearing, Participation, Party, Proceeding
from tests import factories
from tests.admin_posts import add_url, case_post, change_url, errors_of, proceeding_post
from tests.upload_samples import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def counts():
    models = [Case, Participation, Counsel, Proceeding, Filing, Hearing, Decision, Party, Court]
    return {model.__name__: model.objects.count() for model in models}


def refused(response, message):
    assert response.status_code == 200, "the form is shown again"
    errors = errors_of(response)
    assert any(message in error for error in errors), errors


def test_duplicate_slug(editor_client):
    factories.case(slug="popova")
    party = factories.party()
    before = counts()
    rows = {"participations": [{"party": party.pk, "role": "plaintiff"}]}
    refused(
        editor_client.post(add_url(Case), case_post(slug="popova", rows=rows)), "Another case already uses this slug"
    )
    assert counts() == before


def test_invalid_inline_keeps_the_case_unchanged(editor_client):
    case = factories.case(title="Original")
    rows = {"participations": [{"party": factories.party().pk, "role": ""}]}
    refused(editor_client.post(change_url(case), case_post(case, title="Changed", rows=rows)), "required")
    assert Case.objects.get(pk=case.pk).title == "Original"
    assert not Participation.objects.exists()


def test_decision_dated_before_its_proceeding_started(editor_client):
    proceeding = factories.proceeding(started_on=datetime.date(2020, 1, 10))
    before = counts()
    row = {"announced_on": "2020-01-01", "result": "dismissed", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    refused(response, "cannot be dated before its proceeding started (2020-01-10)")
    assert counts() == before


def test_final_form_before_announcement(editor_client):
    proceeding = factories.proceeding()
    row = {"announced_on": "2020-03-03", "final_form_on": "2020-03-01", "result": "dismissed"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    assert response.status_code == 200
    assert errors_of(response)
    assert not Decision.objects.exists()


def test_proceeding_appealing_from_another_case(editor_client):
    other = factories.proceeding()
    proceeding = factories.proceeding()
    before = counts()
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, appeals_from=other.pk))
    refused(response, "same case")
    assert Proceeding.objects.get(pk=proceeding.pk).appeals_from is None
    assert counts() == before


def test_case_page_offers_only_its_own_proceedings_to_appeal_from(editor_client):
    case, other = factories.case(), factories.proceeding()
    court = factories.court()
    row = {"court": court.pk, "docket_number": "33-1", "appeals_from": other.pk}
    response = editor_client.post(change_url(case), case_post(case, rows={"proceedings": [row]}))
    refused(response, "Select a valid choice")
    assert not Proceeding.objects.filter(docket_number="33-1").exists()


@pytest.mark.parametrize(("zone", "message"), [("", "Choose the time zone"), ("Mars/Olympus", "valid choice")])
def test_hearing_without_a_valid_time_zone(editor_client, zone, message):
    proceeding = factories.proceeding()
    row = {"starts_at_0": "2019-11-06", "starts_at_1": "10:00", "timezone": zone, "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"hearings": [row]}))
    refused(response, message)
    assert not Hearing.objects.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_filing(client, proceeding, name, content):
    row = {
        "filed_on": "2019-10-08",
        "kind": "evidence",
        "title": "Evidence",
        "document": SimpleUploadedFile(name, content),
    }
    return client.post(change_url(proceeding), proceeding_post(proceeding, {"filings": [row]}))


def test_file_content_not_matching_its_extension(editor_client, media):
    proceeding = factories.proceeding()
    refused(post_filing(editor_client, proceeding, "claim.pdf", PNG), "does not match its .pdf extension")
    assert not Filing.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_file_over_the_limit(editor_client, media, settings):
    settings.UPLOAD_MAX_BYTES = 64
    proceeding = factories.proceeding()
    refused(post_filing(editor_client, proceeding, "claim.pdf", PDF + b" " * 64), "the limit is 64")
    assert not Filing.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_good_file_is_stored_under_a_server_name(editor_client, media):
    proceeding = factories.proceeding()
    assert post_filing(editor_client, proceeding, "../../claim.pdf", PDF).status_code == 302
    stored = Filing.objects.get().document.name
    assert stored.startswith("documents/") and "claim" not in stored
    assert (media / stored).read_bytes() == PDF


def test_deleting_a_party_still_in_a_case_is_refused(editor_client):
    participation = factories.participation(factories.case(title="Popova v. DIT"))
    party = participation.party
    url = reverse("admin:cases_party_delete", args=[party.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.content.decode()
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Party.objects.filter(pk=party.pk).exists()


def test_bulk_deleting_a_party_still_in_a_case_is_refused(editor_client):
    party = factories.participation(factories.case()).party
    changelist = reverse("admin:cases_party_changelist")
    response = editor_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [party.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert "protected" in response.content.decode()
    assert Party.objects.filter(pk=party.pk).exists()


def test_deleting_a_court_with_proceedings_is_refused(editor_client):
    court = factories.proceeding().court
    response = editor_client.post(reverse("admin:cases_court_delete", args=[court.pk]), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Court.objects.filter(pk=court.pk).exists()


def test_removing_a_proceeding_that_is_appealed_from_is_refused(editor_client):
    lower = factories.proceeding()
    factories.proceeding(lower.case, appeals_from=lower)
    row = {"id": lower.pk, "case": lower.case_id, "court": lower.court_id, "DELETE": "on"}
    response = editor_client.post(change_url(lower.case), case_post(lower.case, rows={"proceedings": [row]}))
    assert response.status_code == 200
    assert any("protected" in error for error in errors_of(response))
    assert Proceeding.objects.filter(pk=lower.pk).exists()


def test_publishing_an_invalid_case_reports_it_and_publishes_none(editor_client):
    good, broken = factories.case(title="Good"), factories.case(title="Broken")
    Case.objects.filter(pk=broken.pk).update(country="")  # legacy data that no longer validates
    changelist = reverse("admin:cases_case_changelist")
    response = editor_client.post(
        changelist, {"action": "publish", "_selected_action": [good.pk, broken.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "needs fixing first" in response.content.decode()
    assert not Case.objects.public().exists()
