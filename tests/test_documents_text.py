"""Reading uploaded documents' text: queued on upload, stored per page, bad input failing cleanly, staff tools."""

import hashlib
import shutil
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from cases import extraction
from cases.actions.documents import extract_document, request_extraction
from cases.actions.records import save_record
from cases.models import DocumentText

from . import document_samples as samples
from . import factories
from .conftest import need

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ocr_cap(settings):
    settings.DOCUMENT_OCR_MAX_PAGES = 2


@pytest.fixture
def tesseract():
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")


@pytest.fixture
def reads(monkeypatch):
    """Count the files actually read by the extractor."""
    calls = []
    real = extraction.extract

    def counting(path, extension, limits):
        calls.append(extension)
        return real(path, extension, limits)

    monkeypatch.setattr(extraction, "extract", counting)
    return calls


@pytest.fixture
def upload(upload_document):
    return upload_document


def text_of(filing):
    return DocumentText.objects.get(filing=filing)


def test_upload_is_read_after_commit_and_stored_per_page(upload):
    data = samples.text_pdf(["The court found no data protection impact assessment.", "The judgment's second page."])

    text = text_of(upload(data, "judgment.pdf"))

    assert text.status == DocumentText.Status.DONE
    assert text.sha256 == hashlib.sha256(data).hexdigest()
    assert (text.method, text.language, text.page_count, text.pages_read) == ("text_layer", "en", 2, 2)
    assert [page.number for page in text.pages.all()] == [1, 2]
    assert "impact assessment" in text.pages.get(number=1).text
    assert text.extracted_at is not None


def test_nothing_is_read_before_the_transaction_commits(editor, reads, django_capture_on_commit_callbacks):
    filing = factories.filing(factories.proceeding())
    filing.document = SimpleUploadedFile("a.txt", b"Some text")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_record(filing, actor=editor)

    assert text_of(filing).status == DocumentText.Status.PENDING
    assert reads == []
    assert len(callbacks) >= 1


def test_replacing_the_document_reads_the_new_one(upload):
    filing = upload(b"First version about cameras.")
    filing = upload(b"Second version about biometrics.", filing=filing)

    text = text_of(filing)
    assert text.file_name == filing.document.name
    assert "biometrics" in text.pages.get().text


def test_removing_the_document_removes_its_text(upload, editor, django_capture_on_commit_callbacks):
    filing = upload(b"Words to forget.")
    filing.document = ""
    with django_capture_on_commit_callbacks(execute=True):
        save_record(filing, actor=editor)

    assert not DocumentText.objects.filter(filing=filing).exists()


def test_the_same_bytes_are_not_read_again(upload, reads):
    data = b"A judgment uploaded twice."
    first = upload(data)
    upload(data, filing=first)  # replaced by the same bytes
    second = upload(data)  # the same file on another filing

    assert reads == ["txt"]
    assert text_of(first).status == text_of(second).status == DocumentText.Status.DONE
    assert text_of(second).pages.get().text == "A judgment uploaded twice."


BAD_INPUT = [
    ("encrypted", samples.encrypted_pdf, "pdf", "encrypted"),
    ("corrupt", samples.corrupt_pdf, "pdf", "damaged"),
    ("page-bomb", samples.page_bomb_pdf, "pdf", "too_many_pages"),
    ("decompression-bomb", samples.decompression_bomb_pdf, "pdf", "too_large"),
    ("junk-docx", samples.junk_docx, "docx", "damaged"),
    ("unknown-encoding", samples.unknown_encoding_text, "txt", "unknown_encoding"),
]


@pytest.mark.parametrize(
    ("make", "extension", "reason"), [bad[1:] for bad in BAD_INPUT], ids=[bad[0] for bad in BAD_INPUT]
)
def test_bad_input_fails_with_a_reason_and_keeps_the_upload(upload, editor, client, make, extension, reason):
    data = make()
    filing = upload(data, f"upload.{extension}")

    text = text_of(filing)
    assert (text.status, text.reason) == (DocumentText.Status.FAILED, reason)
    assert not text.pages.exists()
    with filing.document.open("rb") as kept:
        assert kept.read() == data
    client.force_login(editor)
    page = client.get(reverse("admin:cases_documenttext_changelist")).content.decode()
    assert str(DocumentText.Reason(reason).label).replace("'", "&#x27;") in page


def test_a_scan_beyond_the_ocr_cap_is_indexed_in_part_with_a_note(upload, editor, client, tesseract):
    filing = upload(samples.scanned_pdf(["Page of a long scanned judgment"], pages=500), "scan.pdf")

    text = text_of(filing)
    assert (text.status, text.method, text.page_count, text.pages_read) == ("done", "ocr", 500, 2)
    assert text.is_partial
    client.force_login(editor)
    page = client.get(reverse("admin:cases_documenttext_changelist")).content.decode()
    assert "Only 2 of 500 pages were read" in page


def test_staff_see_the_text_and_can_read_it_again(upload, editor, client, reads, django_capture_on_commit_callbacks):
    text = text_of(upload(b"Confidential strategy memo.", is_public=False))
    client.force_login(editor)

    page = client.get(reverse("admin:cases_documenttext_change", args=[text.pk])).content.decode()
    assert "Confidential strategy memo." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:cases_documenttext_changelist"),
            {"action": "read_again", "_selected_action": [text.pk]},
            follow=True,
        )

    assert "Reading 1 document again" in response.content.decode()
    assert reads == ["txt", "txt"]  # read again although the bytes are the same
    text.refresh_from_db()
    assert (text.status, text.requested_by) == (DocumentText.Status.DONE, editor)


def test_lawyers_may_read_texts_but_nobody_adds_or_deletes_them(lawyer, client):
    client.force_login(lawyer)

    assert client.get(reverse("admin:cases_documenttext_changelist")).status_code == 200
    assert client.get(reverse("admin:cases_documenttext_add")).status_code == 403


def test_backfill_reads_what_is_missing_and_resumes_after_a_kill(monkeypatch, reads):
    proceeding = factories.proceeding()
    filings = [
        factories.filing(proceeding, document=SimpleUploadedFile(f"{n}.txt", f"Document number {n}".encode()))
        for n in range(3)
    ]
    real = extract_document
    calls = []

    def killed_on_the_second(pk, **kwargs):
        calls.append(pk)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(pk, **kwargs)

    monkeypatch.setattr("cases.management.commands.extract_documents.extract_document", killed_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        call_command("extract_documents", stdout=StringIO())
    assert DocumentText.objects.filter(status="done").count() == 1

    monkeypatch.setattr("cases.management.commands.extract_documents.extract_document", real)
    out = StringIO()
    call_command("extract_documents", "--missing", stdout=out)
    assert "[2/2 100%]" in out.getvalue()
    assert all(text_of(filing).status == "done" for filing in filings)
    assert len(reads) == 3

    call_command("extract_documents", "--all", stdout=out)
    assert len(reads) == 6


def public_view(client, filing):
    response = client.get(reverse("cases:document_text", args=["filing", filing.pk]))
    return response.content.decode() if response.status_code == 200 else response.status_code


def test_reading_everything_again_keeps_serving_the_old_text_until_the_new_one_is_stored(client, upload, monkeypatch):
    filing = upload(b"The ministry kept the biometric templates.")
    seen_during_reading = []

    def reread(path, extension, limits):
        seen_during_reading.append(public_view(client, filing))
        pages = ["The ministry deleted the templates."]
        return {"pages": pages, "page_count": None, "pages_read": None, "method": "text_layer", "language": "en"}

    monkeypatch.setattr(extraction, "extract", reread)
    call_command("extract_documents", "--all", stdout=StringIO())

    assert "kept the biometric templates" in seen_during_reading[0]
    assert "deleted the templates" in public_view(client, filing)
    assert text_of(filing).status == DocumentText.Status.DONE


def test_a_killed_reading_of_everything_hides_nothing_and_resumes_from_scratch(client, upload, monkeypatch, reads):
    filings = [upload(f"Document number {n}".encode(), f"{n}.txt") for n in range(3)]
    real = extract_document
    calls = []

    def killed_on_the_second(pk, **kwargs):
        calls.append(pk)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(pk, **kwargs)

    monkeypatch.setattr("cases.management.commands.extract_documents.extract_document", killed_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        call_command("extract_documents", "--all", stdout=StringIO())
    assert all(text_of(filing).status == DocumentText.Status.DONE for filing in filings)
    assert all("Document number" in public_view(client, filing) for filing in filings)

    monkeypatch.setattr("cases.management.commands.extract_documents.extract_document", real)
    out = StringIO()
    call_command("extract_documents", stdout=out)
    assert "2 to read" in out.getvalue()
    assert len(reads) == 3 + 3  # the upload's three, then all three again: the resumed ones from scratch too
    call_command("extract_documents", stdout=out)
    assert out.getvalue().endswith("Finished: nothing to do.\n")


def test_a_reread_from_the_admin_keeps_the_text_public_until_it_is_done(
    client, upload, editor, django_capture_on_commit_callbacks
):
    filing = upload(b"The cameras stayed on.")
    with django_capture_on_commit_callbacks(execute=False):
        request_extraction(text_of(filing), actor=editor)

    text = text_of(filing)
    assert text.status == DocumentText.Status.DONE and text.is_rereading
    assert "The cameras stayed on." in public_view(client, filing)


def test_a_replaced_document_hides_the_old_text_until_the_new_one_is_read(
    client, upload, editor, django_capture_on_commit_callbacks
):
    # The replacement may be a redacted copy: the old text must not stay public meanwhile.
    filing = upload(b"Unredacted name of the informant.")
    filing.document = SimpleUploadedFile("redacted.txt", b"Name of the informant: [redacted].")
    with django_capture_on_commit_callbacks(execute=False):
        save_record(filing, actor=editor)

    assert text_of(filing).status == DocumentText.Status.PENDING
    assert public_view(client, filing) == 404
