"""Public documents in the API (/api/v1/documents/) and in the open-data dump (documents.jsonl)."""

import hashlib
import json

import pytest

from cases.datadump import write_dump
from cases.models import DocumentText

from . import document_samples as samples
from . import factories

pytestmark = pytest.mark.django_db
PAGES = ["The first page is about the facts of the case.", "The second page finds live facial recognition unlawful."]


@pytest.fixture
def documents(upload_document):
    case = factories.case(published=True, slug="bridges")
    public = upload_document(samples.text_pdf(PAGES), "judgment.pdf", case=case, title="Judgment of the court")
    upload_document(b"Confidential counsel memo about zyxwvut.", case=case, is_public=False)
    upload_document(b"Draft case document about zyxwvut.", case=factories.case(title="Draft"))
    return DocumentText.objects.get(filing=public)


def test_api_lists_public_documents_without_text_unless_asked(client, documents):
    listed = client.get("/api/v1/documents/").json()["results"]

    assert [record["id"] for record in listed] == [documents.pk]
    record = listed[0]
    assert (record["kind"], record["case"], record["title"]) == ("filing", "bridges", "Judgment of the court")
    assert (record["page_count"], record["language"], record["method"]) == (2, "en", "text_layer")
    assert record["text_url"].endswith(f"/documents/filing/{documents.filing_id}/text/")
    assert "pages" not in record

    with_text = client.get(f"/api/v1/documents/{documents.pk}/", {"text": "true"}).json()
    assert [page["number"] for page in with_text["pages"]] == [1, 2]
    assert "facial recognition unlawful" in with_text["pages"][1]["text"]


def test_api_searches_public_document_text_only(client, documents, require_postgres):
    assert [r["id"] for r in client.get("/api/v1/documents/", {"q": "facial recognition"}).json()["results"]] == [
        documents.pk
    ]
    assert client.get("/api/v1/documents/", {"q": "zyxwvut"}).json()["results"] == []
    assert client.get("/api/v1/documents/", {"case": "bridges"}).json()["results"][0]["id"] == documents.pk


def test_api_hidden_documents_are_404(client, documents):
    for text in DocumentText.objects.exclude(pk=documents.pk):
        assert client.get(f"/api/v1/documents/{text.pk}/").status_code == 404
    assert client.get("/api/v1/documents/", {"bogus": "1"}).status_code == 400


def test_api_document_list_queries_are_bounded(client, upload_document, django_assert_max_num_queries):
    for _ in range(5):
        upload_document(samples.text_pdf(PAGES), "judgment.pdf")

    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/documents/", {"text": "1"}).json()["results"]) == 5


def test_dump_has_public_documents_text_with_checksums(documents, tmp_path):
    write_dump(tmp_path / "dump")

    lines = (tmp_path / "dump" / "documents.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["id"] for record in records] == [documents.pk]
    with documents.filing.document.open("rb") as original:
        assert records[0]["sha256"] == hashlib.sha256(original.read()).hexdigest()
    assert records[0]["pages"][1]["text"] == PAGES[1]
    assert "zyxwvut" not in (tmp_path / "dump" / "documents.jsonl").read_text()
    assert "documents.jsonl" in (tmp_path / "dump" / "README.md").read_text()


@pytest.fixture
def served(settings, tmp_path, client, no_cached_pages):
    """Return the lines /data/documents.jsonl serves now, as records (download counts start at zero)."""
    settings.DATA_DUMP_ROOT = tmp_path / "data"

    def download():
        response = client.get("/data/documents.jsonl")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.getvalue()
        return [json.loads(line) for line in body.decode().splitlines()]

    return download


def test_the_dump_serves_documents_from_the_nightly_file_until_they_change(
    documents, served, upload_document, monkeypatch
):
    write_dump()
    monkeypatch.setattr("cases.datadump._document_chunks", None)  # nothing is read from the database...
    assert [record["id"] for record in served()] == [documents.pk]
    monkeypatch.undo()

    # ... until a document is added or read again: then its current record is served.
    added = DocumentText.objects.get(filing=upload_document(b"A newly published order.", "order.txt"))
    upload_document(b"The judgment, corrected.", "judgment.txt", filing=documents.filing)
    records = {record["id"]: record for record in served()}
    assert sorted(records) == sorted([documents.pk, added.pk])
    assert records[documents.pk]["pages"][0]["text"] == "The judgment, corrected."


def test_downloads_of_the_documents_text_are_rate_limited(documents, served, client, settings):
    settings.DATA_DOCUMENTS_RATE = 2
    write_dump()
    served()
    served()

    response = client.get("/data/documents.jsonl")
    assert response.status_code == 429 and response["Retry-After"] == str(settings.DATA_DOCUMENTS_RATE_WINDOW)
    assert client.get("/data/cases.jsonl").status_code == 200
