"""Each document text stores its case and whether the public may see it, for search; every write keeps them true."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.actions.decisions import save_decision
from cases.actions.documents import add_missing_document_texts, extract_document
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import delete_record, save_record
from cases.models import Decision, DocumentText, Filing

from . import factories

pytestmark = pytest.mark.django_db


def placement(owner):
    """Return the stored (case id, public) of owner's text, after checking every text's against the live records."""
    public = set(DocumentText.objects.public().values_list("pk", flat=True))
    for text in DocumentText.objects.select_related("filing__proceeding", "decision__proceeding"):
        assert (text.case_id, text.is_public) == (text.owner.proceeding.case_id, text.pk in public), text
    text = DocumentText.objects.get(**{"filing" if isinstance(owner, Filing) else "decision": owner})
    return text.case_id, text.is_public


def found(client, word):
    """Return the titles of the cases the public list finds for word."""
    response = client.get(reverse("cases:case_list"), {"q": word})
    return [case.title for case in response.context["page"].object_list]


@pytest.fixture
def upload_decision(editor, settings, tmp_path, tasks_run_here, django_capture_on_commit_callbacks):
    """Save a public decision with a document through the action, and read its text."""
    settings.MEDIA_ROOT = tmp_path

    def upload(proceeding, data):
        decision = Decision(
            proceeding=proceeding, announced_on="2020-02-03", final_form_on="2020-02-03", result="granted"
        )
        decision.document = SimpleUploadedFile("decision.txt", data)
        with django_capture_on_commit_callbacks(execute=True):
            save_decision(decision, actor=editor)
        return decision

    return upload


def save(obj, editor, capture):
    """Save a record through its action, running what follows the commit (the text's reading)."""
    with capture(execute=True):
        (save_decision if isinstance(obj, Decision) else save_record)(obj, actor=editor)


def test_a_read_text_stores_its_case_and_public_state(upload_document):
    public = upload_document(b"Public words.")
    confidential = upload_document(b"Secret words.", is_public=False)
    draft = upload_document(b"Draft words.", case=factories.case(title="Draft"))

    assert placement(public) == (public.proceeding.case_id, True)
    assert placement(confidential) == (confidential.proceeding.case_id, False)
    assert placement(draft) == (draft.proceeding.case_id, False)


def test_a_filing_made_confidential_leaves_search_at_once_and_comes_back(
    client, editor, upload_document, django_capture_on_commit_callbacks
):
    filing = upload_document(b"The zyxwvut memorandum.", case=factories.case(published=True, title="Ours"))
    assert found(client, "zyxwvut") == ["Ours"]

    filing.is_public = False
    save(filing, editor, django_capture_on_commit_callbacks)
    assert placement(filing) == (filing.proceeding.case_id, False)
    assert found(client, "zyxwvut") == []

    filing.is_public = True
    save(filing, editor, django_capture_on_commit_callbacks)
    assert placement(filing) == (filing.proceeding.case_id, True)
    assert found(client, "zyxwvut") == ["Ours"]


def test_unpublishing_and_publishing_the_case_follow(client, editor, upload_document):
    filing = upload_document(b"The zyxwvut memorandum.")
    case = filing.proceeding.case

    unpublish_case(case, actor=editor)
    assert placement(filing) == (case.pk, False)
    assert found(client, "zyxwvut") == []

    publish_case(case, actor=editor)
    assert placement(filing) == (case.pk, True)


def test_a_decision_made_confidential_follows(client, editor, upload_decision, django_capture_on_commit_callbacks):
    case = factories.case(published=True, title="Ours")
    decision = upload_decision(factories.proceeding(case), b"The court rules on zyxwvut.")
    assert placement(decision) == (case.pk, True)
    assert found(client, "zyxwvut") == ["Ours"]

    decision.is_public = False
    save(decision, editor, django_capture_on_commit_callbacks)
    assert placement(decision) == (case.pk, False)
    assert found(client, "zyxwvut") == []


def test_a_replaced_document_keeps_its_placement_and_the_new_text_is_found(client, upload_document):
    filing = upload_document(b"The first version about zyxwvut.", case=factories.case(published=True, title="Ours"))

    filing = upload_document(b"The redacted version about qwertyu.", "judgment-2.txt", filing=filing)

    assert placement(filing) == (filing.proceeding.case_id, True)
    assert found(client, "qwertyu") == ["Ours"]
    assert found(client, "zyxwvut") == []


def test_a_proceeding_moved_to_another_case_takes_its_texts_along(
    client, editor, upload_document, upload_decision, django_capture_on_commit_callbacks
):
    filing = upload_document(b"The zyxwvut memorandum.", case=factories.case(published=True, title="Wrong"))
    proceeding = filing.proceeding
    decision = upload_decision(proceeding, b"The court rules on zyxwvut.")
    draft = factories.case(title="Right, a draft")

    proceeding.case = draft
    save(proceeding, editor, django_capture_on_commit_callbacks)
    assert placement(filing) == placement(decision) == (draft.pk, False)
    assert found(client, "zyxwvut") == []

    publish_case(draft, actor=editor)
    assert placement(filing) == placement(decision) == (draft.pk, True)
    assert found(client, "zyxwvut") == ["Right, a draft"]


def test_a_filing_or_decision_moved_to_another_case_follows(
    editor, upload_document, upload_decision, django_capture_on_commit_callbacks
):
    filing = upload_document(b"A filing.")
    decision = upload_decision(filing.proceeding, b"A decision.")
    elsewhere = factories.proceeding(factories.case(title="Draft"))

    for record in (filing, decision):
        record.proceeding = elsewhere
        save(record, editor, django_capture_on_commit_callbacks)
        assert placement(record) == (elsewhere.case_id, False)


def test_a_deleted_proceeding_takes_its_texts_along(editor, upload_document):
    filing = upload_document(b"A filing.")

    delete_record(filing.proceeding, actor=editor)

    assert not DocumentText.objects.exists()


def test_texts_added_by_a_backfill_store_their_placement_once_read(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    proceeding = factories.proceeding(factories.case(published=True))
    public = factories.filing(proceeding, is_public=True, document=ContentFile(b"Public words.", "p.txt"))
    confidential = factories.filing(proceeding, is_public=False, document=ContentFile(b"Secret words.", "s.txt"))

    add_missing_document_texts()
    for text in DocumentText.objects.all():
        extract_document(text.pk)

    assert placement(public) == (proceeding.case_id, True)
    assert placement(confidential) == (proceeding.case_id, False)
