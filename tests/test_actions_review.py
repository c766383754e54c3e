"""Review of published edits: a lawyer's change to a published case waits until an editor approves it."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from cases.actions.review import approve_revision, needs_review, propose_delete, propose_save, reject_revision
from cases.imports import import_file
from cases.models import Case, DecisionIdentifier, Filing, ProceedingNumber, Revision, Technology
from tests import factories
from tests.admin_posts import case_post, change_url, proceeding_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_on(settings):
    settings.PUBLISHED_EDITS_NEED_REVIEW = True


@pytest.fixture
def case(lawyer):
    case = factories.case(published=True, title="Popova v. Moscow DIT", summary="Approved summary.")
    case.team.add(lawyer)
    factories.proceeding(case, docket_number="2a-1/2019")
    return case


def public_text(client, case):
    return client.get(case.get_absolute_url()).content.decode() + client.get(f"/api/v1/cases/{case.slug}/").text


def test_off_by_default_a_lawyers_edit_goes_live(client, lawyer, case):
    client.force_login(lawyer)
    assert client.post(change_url(case), case_post(case, summary="Live at once.")).status_code == 302
    assert Case.objects.get().summary == "Live at once." and not Revision.objects.exists()


def test_who_and_what_needs_review(review_on, lawyer, editor, case):
    proceeding = case.proceedings.get()
    confidential = factories.filing(proceeding, is_public=False)
    assert needs_review(case, lawyer) and needs_review(proceeding, lawyer)
    assert not needs_review(case, editor) and not needs_review(confidential, lawyer)
    confidential.is_public = True  # making it public is a public change
    assert needs_review(confidential, lawyer)
    draft = factories.case()
    assert not needs_review(draft, lawyer)
    secret = factories.decision(proceeding, is_public=False)
    assert not needs_review(DecisionIdentifier(decision=secret, scheme="neutral", value="[2031] EWCA Civ 1"), lawyer)
    assert needs_review(ProceedingNumber(proceeding=proceeding, value="62322/14"), lawyer)


def test_pending_change_stays_off_the_public_until_approved(client, review_on, lawyer, editor, case):
    case.summary = "Proposed summary."
    revision = propose_save(case, actor=lawyer)
    assert Case.objects.get().summary == "Approved summary."
    page = public_text(client, case)
    assert "Approved summary." in page and "Proposed summary." not in page
    assert revision.changes == {"summary": "Proposed summary."}

    with pytest.raises(PermissionDenied):
        approve_revision(revision, actor=lawyer)
    approve_revision(revision, actor=editor)
    case.refresh_from_db()
    assert case.summary == "Proposed summary."
    latest = case.history.first()
    # The editor made the change theirs by approving it; the history still names its author.
    assert latest.history_user == editor
    assert latest.history_change_reason == "Proposed by lawyer, approved by editor"
    assert [(h.status, h.history_user) for h in revision.history.order_by("history_id")] == [
        ("pending", lawyer),
        ("approved", editor),
    ]


def test_unchanged_save_makes_no_revision(review_on, lawyer, case):
    assert propose_save(Case.objects.get(), actor=lawyer) is None
    assert not Revision.objects.exists()


def test_rejected_change_is_dropped_and_kept_in_history(review_on, lawyer, editor, case):
    filing = factories.filing(case.proceedings.get(), is_public=True)
    revision = propose_delete(filing, actor=lawyer)
    reject_revision(revision, actor=editor, note="Keep the ruling.")
    assert Filing.objects.filter(pk=filing.pk).exists()
    assert revision.history.first().history_change_reason == "Keep the ruling."
    with pytest.raises(Exception, match="already Rejected"):
        approve_revision(revision, actor=editor)


def test_lawyer_edits_through_the_admin_wait_and_an_editor_approves_with_a_diff(
    client, review_on, lawyer, editor, case
):
    technology = Technology.objects.create(slug="face-recognition", name="Face recognition")
    client.force_login(lawyer)
    response = client.post(
        change_url(case), case_post(case, summary="Proposed summary.", technologies=[technology.pk]), follow=True
    )
    assert "wait for an editor" in response.content.decode()
    case.refresh_from_db()
    assert case.summary == "Approved summary." and not case.technologies.exists()

    proceeding = case.proceedings.get()
    rows = {
        "filings": [
            {"filed_on": "2019-10-08", "kind": "complaint", "title": "New public claim", "is_public": "on"},
            {"filed_on": "2019-10-09", "kind": "evidence", "title": "Private evidence"},
        ]
    }
    assert client.post(change_url(proceeding), proceeding_post(proceeding, rows)).status_code == 302
    # The confidential filing is the lawyers' own and saved at once; the public one waits.
    assert list(Filing.objects.values_list("title", flat=True)) == ["Private evidence"]
    assert "New public claim" not in public_text(client, case)

    client.force_login(editor)
    (case_revision,) = Revision.objects.filter(content_type__model="case")
    page = client.get(change_url(case_revision)).content.decode()
    assert "Approved summary." in page and "Proposed summary." in page and "Face recognition" in page
    pending = list(Revision.objects.values_list("pk", flat=True))
    response = client.post("/admin/cases/revision/", {"action": "approve", "_selected_action": pending})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.summary == "Proposed summary." and list(case.technologies.all()) == [technology]
    assert Filing.objects.filter(title="New public claim", is_public=True).exists()
    assert not Revision.objects.filter(status="pending").exists()


def test_lawyer_cannot_approve_in_the_admin(client, review_on, lawyer, case):
    case.summary = "Proposed summary."
    revision = propose_save(case, actor=lawyer)
    client.force_login(lawyer)
    assert client.get(change_url(revision)).status_code == 200
    client.post("/admin/cases/revision/", {"action": "approve", "_selected_action": [revision.pk]})
    revision.refresh_from_db()
    assert revision.status == "pending"


def test_a_lawyer_cannot_import_over_a_published_case_under_review(review_on, lawyer, case):
    record = {"slug": case.slug, "title": case.title, "country": "RU", "summary": "Imported summary."}
    result = import_file(json.dumps([record]).encode(), "cases.json", actor=lawyer, dry_run=False)
    assert not result.ok and "an editor must import" in result.errors[0][1]
    assert Case.objects.get().summary == "Approved summary."


def test_editor_edits_go_live_at_once(client, review_on, editor, case):
    client.force_login(editor)
    assert client.post(change_url(case), case_post(case, summary="Editor's summary.")).status_code == 302
    assert Case.objects.get().summary == "Editor's summary." and not Revision.objects.exists()


def test_a_proposal_needs_the_right_the_change_itself_needs(review_on, lawyer, case):
    decision = factories.decision(case.proceedings.get())
    with pytest.raises(PermissionDenied):
        propose_delete(decision, actor=lawyer)  # lawyers do not delete decisions
    assert not Revision.objects.exists()


def test_approving_a_deleted_lawyers_change_runs_as_the_editor_not_the_system(review_on, lawyer, editor, case):
    case.summary = "Proposed before the author left."
    revision = propose_save(case, actor=lawyer)
    lawyer.delete()
    revision.refresh_from_db()
    assert revision.proposed_by is None
    approve_revision(revision, actor=editor)
    latest = Case.objects.get().history.first()
    assert latest.summary == "Proposed before the author left." and latest.history_user == editor
    assert latest.history_change_reason == "Proposed by a deleted user, approved by editor"


def test_approval_is_checked_against_the_approvers_own_rights(review_on, lawyer, django_user_model, case):
    # A reviewer who may publish but not change cases cannot make a change theirs by approving it.
    reviewer = django_user_model.objects.create_user("reviewer", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="publish_case"))
    case.summary = "Proposed summary."
    revision = propose_save(case, actor=lawyer)
    with pytest.raises(PermissionDenied):
        approve_revision(revision, actor=reviewer)
    assert Case.objects.get().summary == "Approved summary."
    assert Revision.objects.get().status == Revision.Status.PENDING
