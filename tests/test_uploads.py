import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases import uploads
from cases.uploads import document_upload_to, validate_document
from tests.upload_samples import DOCX, PDF, PLAIN_ZIP, PNG, SAMPLES, TXT


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("extension", sorted(SAMPLES))
def test_each_allowed_type_passes(extension):
    validate_document(upload(f"claim.{extension}", SAMPLES[extension]))


def test_extension_is_case_insensitive():
    validate_document(upload("CLAIM.PDF", PDF))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("photo.png", PDF),  # a PDF wearing a PNG's name
        ("claim.pdf", PNG),
        ("claim.pdf", b"MZ\x90\x00 an executable"),
        ("claim.docx", PLAIN_ZIP),  # a zip, but not a Word document
        ("claim.odt", DOCX),
        ("claim.docx", b"PK\x03\x04 truncated archive"),
        ("notes.txt", b"\x00\x01\x02 binary"),
        ("notes.txt", PDF[:4] + b"\xff\xfe\x00"),
    ],
)
def test_content_that_does_not_match_extension_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        validate_document(upload(name, content))
    assert error.value.code == "file_content_mismatch"


@pytest.mark.parametrize("name", ["page.html", "image.svg", "run.exe", "archive.zip", "no_extension", "x.pdf.exe"])
def test_types_off_the_allowlist_are_refused(name):
    with pytest.raises(ValidationError, match="not accepted") as error:
        validate_document(upload(name, PDF))
    assert error.value.code == "file_type_not_allowed"


def test_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    validate_document(upload("small.txt", b"a" * 1024))
    with pytest.raises(ValidationError, match="limit is 1.0") as error:
        validate_document(upload("big.txt", b"a" * 1025))
    assert error.value.code == "file_too_large"


def test_default_limit_is_50_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 50 * 1024 * 1024


def test_zip_that_inflates_too_far_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNZIPPED_BYTES", 10)
    with pytest.raises(ValidationError, match="does not match"):
        validate_document(upload("claim.docx", DOCX))


def test_validation_leaves_the_file_readable_from_the_start():
    document = upload("claim.txt", TXT)
    validate_document(document)
    assert document.read() == TXT


@pytest.mark.parametrize("name", ["../../x.pdf", "/etc/passwd.pdf", "..\\..\\x.pdf", "évidence ; rm -rf.PDF", "a.jpeg"])
def test_stored_name_is_made_by_the_server(name):
    path = document_upload_to(None, name)
    directory, _, filename = path.rpartition("/")
    assert directory.startswith("documents/") and ".." not in directory
    stem, extension = filename.split(".")
    assert len(stem) == 32 and all(char in "0123456789abcdef" for char in stem)
    assert extension in {"pdf", "jpg"}


def test_two_uploads_of_one_name_get_different_paths():
    assert document_upload_to(None, "claim.pdf") != document_upload_to(None, "claim.pdf")


@pytest.mark.django_db
def test_saved_filing_document_lands_under_media_root(settings, tmp_path):
    from tests import factories

    settings.MEDIA_ROOT = tmp_path
    filing = factories.filing(factories.proceeding(), document=upload("../../escape.pdf", PDF))
    stored = tmp_path / filing.document.name
    assert stored.read_bytes() == PDF
    assert stored.resolve().is_relative_to(tmp_path.resolve())
    assert "escape" not in filing.document.name
