"""Reading text out of each accepted format, and every kind of bad input ending as a clear failure."""

import shutil
import time

import pytest

from cases import extraction

from . import document_samples as samples
from .conftest import need

LIMITS = {
    "max_pages": 1000,
    "ocr_max_pages": 3,
    "ocr_seconds": 120,
    "ocr_languages": "eng+rus",
    "ocr_dpi": 200,
    "seconds": 120,
    "memory_mb": 1024,
}


@pytest.fixture
def read(tmp_path):
    def read(data, extension, **limits):
        path = tmp_path / f"upload.{extension}"
        path.write_bytes(data)
        return extraction.extract(path, extension, LIMITS | limits)

    return read


@pytest.fixture
def tesseract():
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")


def test_pdf_text_layer_is_read_page_by_page(read):
    result = read(samples.text_pdf(["A data protection impact assessment.", "The second page of the judgment."]), "pdf")

    assert result["pages"] == ["A data protection impact assessment.", "The second page of the judgment."]
    assert (result["page_count"], result["pages_read"], result["method"]) == (2, 2, "text_layer")
    assert result["language"] == "en"


def test_pdf_with_only_an_owner_password_is_read(read):
    data = samples.encrypted_pdf("Restricted but readable judgment text.", user_password="", algorithm="AES-256")

    assert read(data, "pdf")["pages"] == ["Restricted but readable judgment text."]


def test_docx_odt_and_rtf_are_read(read):
    assert read(samples.docx(["Claim about cameras", "Second paragraph"]), "docx")["pages"] == [
        "Claim about cameras\nSecond paragraph"
    ]
    assert read(samples.odt(["Иск о камерах", "Второй абзац"]), "odt")["pages"] == ["Иск о камерах\nВторой абзац"]
    result = read(samples.rtf_cp1251("Решение суда по делу"), "rtf")
    assert (result["pages"], result["language"]) == (["Решение суда по делу"], "ru")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251"])
def test_text_files_are_decoded_whatever_their_encoding(read, encoding):
    text = "Решение Тверского районного суда города Москвы о распознавании лиц."

    assert read(text.encode(encoding), "txt")["pages"] == [text]


def test_long_text_without_pages_is_cut_into_parts(read):
    result = read(("word " * 3000).encode(), "txt")

    assert len(result["pages"]) == 4
    assert result["page_count"] is None


@pytest.mark.parametrize(
    ("make", "extension", "reason"),
    [
        (samples.encrypted_pdf, "pdf", "encrypted"),
        (samples.corrupt_pdf, "pdf", "damaged"),
        (samples.page_bomb_pdf, "pdf", "too_many_pages"),
        (samples.decompression_bomb_pdf, "pdf", "too_large"),
        (samples.junk_docx, "docx", "damaged"),
        (samples.unknown_encoding_text, "txt", "unknown_encoding"),
    ],
    ids=["encrypted", "corrupt", "page-bomb", "decompression-bomb", "junk-docx", "unknown-encoding"],
)
def test_bad_input_fails_with_a_reason(read, make, extension, reason):
    result = read(make(), extension)

    assert result["error"] == reason, result
    assert result["pages"] == []


def test_the_child_and_its_ocr_are_killed_at_the_time_limit(read, tesseract):
    started = time.monotonic()

    result = read(samples.scanned_pdf(["Slow scan"], pages=50), "pdf", ocr_max_pages=50, seconds=3)

    assert result["error"] == "time_limit"
    assert time.monotonic() - started < 10


def test_running_out_of_memory_is_a_failure_not_a_crash(read):
    # 300 MB of text will not fit in 200 MB of address space.
    result = read(b"a" * (300 * 1024 * 1024), "txt", memory_mb=200)

    assert result["error"] == "memory_limit"


@pytest.mark.parametrize(
    ("lines", "words", "language"),
    [
        (["Facial recognition cameras in Moscow", "violate the right to privacy"], ["Facial", "privacy"], "en"),
        (["Биометрические персональные данные", "Суд отказал в удовлетворении иска"], ["Биометрические", "иска"], "ru"),
    ],
)
def test_scanned_pdf_is_read_by_ocr(read, tesseract, lines, words, language):
    result = read(samples.scanned_pdf(lines), "pdf")

    assert (result["method"], result["language"], result["page_count"]) == ("ocr", language, 1)
    for word in words:
        assert word in result["pages"][0]


def test_image_is_read_by_ocr(read, tesseract):
    result = read(samples.png(["Surveillance cameras judgment"]), "png")

    assert "Surveillance" in result["pages"][0]
    assert result["method"] == "ocr"


def test_scan_beyond_the_ocr_cap_is_read_in_part(read, tesseract):
    result = read(samples.scanned_pdf(["Page of a long scanned judgment"], pages=500), "pdf", ocr_max_pages=2)

    assert "error" not in result
    assert (result["page_count"], result["pages_read"]) == (500, 2)
    assert "scanned judgment" in result["pages"][1]
    assert result["pages"][2] == ""
