"""Hostile uploads: the type check only ever says yes or raises ValidationError, and lies are caught."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cases import uploads
from cases.uploads import ALLOWED_TYPES, detect_type, document_upload_to, validate_document
from tests import factories

MAGIC = [b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"{\\rtf", b"PK\x03\x04", b"", b"<html>", b"\xef\xbb\xbf"]
EXTENSIONS = [*ALLOWED_TYPES, "html", "svg", "exe", "PDF", "Docx", "", "pdf.html", "html.pdf"]
hostile_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("/\\.\x00\u202e\u200f🙂ж"),
    max_size=40,
)


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


zips = st.lists(
    st.tuples(
        st.sampled_from(["word/document.xml", "[Content_Types].xml", "mimetype", "a/../../x", "/etc/passwd", "x"]),
        st.binary(max_size=200) | st.just(b"application/vnd.oasis.opendocument.text"),
    ),
    max_size=4,
).map(zip_bytes)
contents = st.one_of(
    st.binary(max_size=3000),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=300)).map(b"".join),
    zips,
    zips.map(lambda data: data[: len(data) // 2]),  # truncated archive
)


def check(name, data):
    """Validate like the admin does: either it passes as an allowlisted type, or a ValidationError says why."""
    try:
        upload = SimpleUploadedFile(name, data)
    except SuspiciousFileOperation:
        assume(False)  # Django's upload parser never hands over a file without a name ("", ".", "..")
    try:
        validate_document(upload)
    except ValidationError as error:
        assert error.code in {"file_too_large", "file_type_not_allowed", "file_content_mismatch"}
        return False
    assert uploads.extension_of(name) in ALLOWED_TYPES
    return True


@pytest.mark.filterwarnings("ignore:Duplicate name")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=contents)
def test_detect_type_never_raises(data):
    result = detect_type(data[: uploads.SNIFF_BYTES], io.BytesIO(data))

    assert result is None or result in ALLOWED_TYPES


@pytest.mark.filterwarnings("ignore:Duplicate name")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stem=hostile_text, extension=st.sampled_from(EXTENSIONS), data=contents)
def test_validate_document_only_raises_validation_error(stem, extension, data):
    check(f"{stem}.{extension}" if extension else stem, data)


@settings(max_examples=200, deadline=None)
@given(stem=hostile_text, extension=st.sampled_from(list(ALLOWED_TYPES)))
def test_stored_name_is_made_by_the_server(stem, extension):
    name = f"{stem}.{extension}"
    assume(uploads.extension_of(name) in ALLOWED_TYPES)  # only names that pass validation get here
    path = document_upload_to(None, name)

    assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|docx|odt|rtf|txt|png|jpg)", path), path


def test_pdf_header_followed_by_html_is_only_ever_sent_as_a_pdf_attachment(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    lie = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"
    assert not check("evil.html", lie)
    assert not check("evil.txt", lie)
    assert check("evil.pdf", lie)  # it is a PDF as far as bytes go; see how it is served
    filing = factories.filing(factories.proceeding(factories.case(published=True)), is_public=True)
    filing.document = SimpleUploadedFile("evil.pdf", lie)
    filing.save()

    response = client.get(f"/documents/filing/{filing.pk}/")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_html_named_pdf_is_refused():
    assert not check("claim.pdf", b"<!doctype html><html><script>alert(1)</script>")


def test_zip_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 1024 * 1024)
    bomb = zip_bytes(
        [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>"), ("padding.bin", bytes(2 * 1024 * 1024))]
    )
    assert len(bomb) < 10_000  # tiny on the wire, megabytes unpacked

    assert not check("claim.docx", bomb)


def test_real_docx_shape_is_accepted():
    assert check("claim.docx", zip_bytes([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]))


@pytest.mark.parametrize("name", ["../../x", "../../x.pdf", "/etc/passwd.pdf", "..\\..\\x.pdf", "x.pdf\x00.html"])
def test_path_names_never_reach_the_disk(name, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    accepted = check(name, b"%PDF-1.4\n%%EOF")
    if not accepted:
        return
    filing = factories.filing(factories.proceeding())
    filing.document = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF")
    filing.save()

    stored = Path(filing.document.path).resolve()
    assert stored.is_relative_to(settings.MEDIA_ROOT.resolve())
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [stored]
