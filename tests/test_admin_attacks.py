"""The admin attacks of issue #9, each tried as a phished lawyer would: every one must now fail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cases.actions.deadlines import save_deadline
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import save_record
from cases.imports import import_file
from cases.models import Case, Deadline, Filing, ReminderDelivery, Technology
from tests import factories
from tests.admin_posts import case_post
from tests.upload_samples import PDF

pytestmark = pytest.mark.django_db

NOTES = "Strategy: HIDDEN-NOTE-5521"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def theirs(lawyer, editor):
    """Another team's (the `lawyer`'s) case: published, with a confidential filing and a deadline."""
    case = factories.case(title="Their case", internal_notes=NOTES)
    case.team.add(lawyer)
    publish_case(case, actor=editor)
    proceeding = factories.proceeding(case)
    filing = factories.filing(proceeding, title="Secret brief", is_public=False, document=pdf())
    deadline = Deadline(case=case, proceeding=proceeding, title="Hidden deadline", notes=NOTES)
    deadline.due_on = datetime.date(2030, 1, 1)
    save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    return {"case": case, "proceeding": proceeding, "filing": filing, "deadline": deadline}


@pytest.fixture
def mine(other_lawyer):
    """The attacker's (`other_lawyer`'s) own published case."""
    case = factories.case(title="My case", published=True)
    case.team.add(other_lawyer)
    return {"case": case, "proceeding": factories.proceeding(case)}


def pdf():
    return SimpleUploadedFile("brief.pdf", PDF)


def history_url(obj, record=None):
    record = record or obj.history.earliest()
    return reverse(f"admin:cases_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id])


def snapshot(case):
    """Return what an attack on case could change: the row, its team, and its history."""
    case = Case.objects.get(pk=case.pk)
    return (case.title, case.visibility, case.published_at, sorted(case.team.values_list("pk", flat=True))), (
        case.history.count()
    )


def test_history_form_cannot_rewrite_another_teams_case_or_join_its_team(client, other_lawyer, theirs):
    case = theirs["case"]
    before = snapshot(case)
    client.force_login(other_lawyer)
    data = case_post(case, title="Rewritten", team=[other_lawyer.pk])
    assert client.post(history_url(case), data).status_code == 403
    assert snapshot(case) == before
    assert client.get(case.get_absolute_url()).status_code == 200
    assert "Rewritten" not in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["lawyer", "other_lawyer"])
def test_history_form_cannot_publish_a_draft(client, request, lawyer, editor, who):
    case = factories.case(title="Draft")
    case.team.add(lawyer)
    publish_case(case, actor=editor)
    published_version = case.history.latest()
    unpublish_case(case, actor=editor)
    client.force_login(request.getfixturevalue(who))
    response = client.post(history_url(case, published_version), case_post(case, title="Reverted"))
    case.refresh_from_db()
    assert not case.is_published and case.published_at is None
    # The team may restore the content of its own case, never its visibility; others may do neither.
    assert case.title == ("Reverted" if who == "lawyer" else "Draft")
    assert response.status_code == (302 if who == "lawyer" else 403)
    assert Client().get(case.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["lawyer", "other_lawyer", "editor"])
def test_history_form_cannot_unpublish_a_public_case(client, request, theirs, who):
    case = theirs["case"]
    draft_version = case.history.earliest()
    assert draft_version.visibility == Case.Visibility.DRAFT
    client.force_login(request.getfixturevalue(who))
    client.post(history_url(case, draft_version), case_post(case))
    case.refresh_from_db()
    assert case.is_published and Client().get(case.get_absolute_url()).status_code == 200


def test_history_form_cannot_move_another_teams_confidential_filing_into_own_case(client, other_lawyer, theirs, mine):
    filing = theirs["filing"]
    history_before = filing.history.count()
    client.force_login(other_lawyer)
    fields = {"proceeding": mine["proceeding"].pk, "filed_on": "2019-10-08", "kind": "brief", "title": "Stolen"}
    fields["is_public"] = "on"
    for url in (history_url(filing), reverse("admin:cases_filing_change", args=[filing.pk])):
        response = client.post(url, fields)
        assert response.status_code in (302, 403)
        assert response.status_code == 403 or response["Location"] == reverse("admin:index")
    filing.refresh_from_db()
    assert (filing.proceeding_id, filing.is_public, filing.title) == (theirs["proceeding"].pk, False, "Secret brief")
    assert filing.history.count() == history_before
    download = reverse("cases:document_download", args=["filing", filing.pk])
    assert Client().get(download).status_code == 404
    assert client.get(download).status_code == 404  # confidential: not even staff off the team


def test_write_path_refuses_moves_and_publishing_without_the_right(other_lawyer, lawyer, theirs, mine):
    """The actions re-check the policy, whatever the admin lets through."""
    filing = Filing.objects.get(pk=theirs["filing"].pk)
    filing.proceeding = mine["proceeding"]
    with pytest.raises(PermissionDenied):
        save_record(filing, actor=other_lawyer)
    case = Case.objects.get(pk=theirs["case"].pk)
    case.visibility, case.published_at = Case.Visibility.DRAFT, None
    with pytest.raises(PermissionDenied):
        save_record(case, actor=lawyer)  # on the team, but not an editor
    assert Case.objects.get(pk=case.pk).is_published


@pytest.mark.parametrize("model", ["deadline", "case", "filing"])
def test_history_pages_of_another_teams_records_are_closed(client, other_lawyer, lawyer, theirs, model):
    obj = theirs[model]
    for url in (reverse(f"admin:cases_{model}_history", args=[obj.pk]), history_url(obj)):
        client.force_login(other_lawyer)
        response = client.get(url)
        assert response.status_code == 403
        assert NOTES not in response.content.decode()
        client.force_login(lawyer)
        assert client.get(url).status_code == 200


def test_deadline_history_shows_notes_to_the_team(client, lawyer, theirs):
    client.force_login(lawyer)
    assert NOTES in client.get(history_url(theirs["deadline"])).content.decode()


def test_reminder_delivery_list_shows_only_own_teams_rows(client, lawyer, other_lawyer, editor, theirs):
    assert ReminderDelivery.objects.filter(deadline=theirs["deadline"]).exists()
    changelist = reverse("admin:cases_reminderdelivery_changelist")
    for user, sees in ((other_lawyer, False), (lawyer, True), (editor, True)):
        client.force_login(user)
        page = client.get(changelist)
        assert page.status_code == 200
        assert ("Hidden deadline" in page.content.decode()) == sees
        assert page.context["cl"].queryset.filter(deadline=theirs["deadline"]).exists() == sees


def test_other_lawyer_sees_the_case_but_not_its_confidential_content(client, other_lawyer, theirs):
    client.force_login(other_lawyer)
    page = client.get(reverse("admin:cases_case_change", args=[theirs["case"].pk])).content.decode()
    assert "Their case" in page and NOTES not in page
    proceeding_page = client.get(reverse("admin:cases_proceeding_change", args=[theirs["proceeding"].pk]))
    assert "Secret brief" not in proceeding_page.content.decode()
    assert "Hidden deadline" not in proceeding_page.content.decode()
    for name in ("filing", "deadline"):
        listing = client.get(reverse(f"admin:cases_{name}_changelist")).content.decode()
        assert "Secret brief" not in listing and "Hidden deadline" not in listing


def test_forged_bulk_delete_of_another_teams_records_changes_nothing(client, other_lawyer, theirs):
    participation = factories.participation(theirs["case"])
    client.force_login(other_lawyer)
    changelist = reverse("admin:cases_participation_changelist")
    data = {"action": "delete_selected", "_selected_action": [participation.pk], "post": "yes"}
    assert client.post(changelist, data).status_code == 403
    assert type(participation).objects.filter(pk=participation.pk).exists()


def test_editor_may_revert_content(client, editor, theirs):
    case = theirs["case"]
    original = case.history.earliest()
    Case.objects.filter(pk=case.pk).update(title="Vandalised")
    client.force_login(editor)
    data = case_post(Case.objects.get(pk=case.pk), title=original.title)
    assert client.post(history_url(case, original), data).status_code == 302
    case.refresh_from_db()
    assert case.title == "Their case" and case.is_published
    assert case.history.latest().history_user == editor


def test_lawyers_tag_cases_but_only_editors_change_the_vocabulary(client, lawyer, editor):
    technology = Technology.objects.create(name="Face recognition", slug="face-recognition")
    client.force_login(lawyer)
    params = {"app_label": "cases", "model_name": "case", "field_name": "technologies", "term": "face"}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Face recognition"]
    change = reverse("admin:cases_technology_change", args=[technology.pk])
    fields = {"name": "Renamed", "name_ru": "", "slug": technology.slug, "description": ""}
    assert client.post(change, fields).status_code == 403
    technology.refresh_from_db()
    assert technology.name == "Face recognition"
    client.force_login(editor)
    assert client.post(change, fields).status_code == 302
    technology.refresh_from_db()
    assert technology.name == "Renamed"


def test_import_cannot_change_another_teams_case(client, other_lawyer, theirs):
    content = b'[{"slug": "%s", "title": "Hijacked", "country": "RU"}]' % theirs["case"].slug.encode()
    result = import_file(content, "cases.json", actor=other_lawyer, dry_run=False)
    assert not result.written
    assert Case.objects.get(pk=theirs["case"].pk).title == "Their case"


def test_imported_new_case_is_the_importers_to_edit(other_lawyer):
    content = b'[{"slug": "imported", "title": "Imported", "country": "RU", "links": []}]'
    result = import_file(content, "cases.json", actor=other_lawyer, dry_run=False)
    assert result.written, result.errors
    assert list(Case.objects.get(slug="imported").team.all()) == [other_lawyer]
