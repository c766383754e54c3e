"""Documents made on the spot for the text-extraction tests: scans, office files, and hostile files.

Text-layer PDFs and scanned PDFs come from cases.demo.documents, which makes the demo's documents the same way.
"""

import io
import random
import zipfile
import zlib

from cases.demo.documents import pdf, scanned_pdf, text_image, text_pdf  # noqa: F401  (scanned_pdf, text_pdf: for the tests)


def _deflated_stream(data):
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def page_bomb_pdf(claimed_pages=10_000_000):
    """Return a tiny PDF whose page tree claims a huge number of pages."""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed_pages,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def decompression_bomb_pdf(megabytes=300):
    """Return a small PDF whose one content stream inflates to hundreds of megabytes."""
    packer = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    data = b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _deflated_stream(data),
        ]
    )


def encrypted_pdf(text="Encrypted statement of claim", user_password="secret", algorithm="RC4-128"):
    """Return an encrypted text PDF; with the default user password, it needs that password to open."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([text]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf():
    """Return bytes that start like a PDF and then are garbage."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n1 0 obj << /Type /Catal"


def png(lines):
    out = io.BytesIO()
    text_image(lines).save(out, "PNG")
    return out.getvalue()


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(paragraphs):
    """Return a real DOCX made by python-docx."""
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def junk_docx():
    """Return a ZIP that passes the upload check for DOCX but holds junk instead of a document."""
    return _zip({"[Content_Types].xml": b"\x8b\x00junk", "word/document.xml": bytes(range(256)) * 8})


def odt(paragraphs):
    """Return a real ODT made by odfpy."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def rtf_cp1251(text):
    """Return an RTF whose Cyrillic letters are cp1251 escapes, as Word writes them."""
    escaped = "".join(f"\\'{byte:02x}" if byte > 127 else chr(byte) for byte in text.encode("cp1251"))
    return ("{\\rtf1\\ansi\\ansicpg1251\\deff0 {\\fonttbl{\\f0 Times New Roman;}}\\f0 " + escaped + "\\par}").encode()


def unknown_encoding_text():
    """Return bytes without NULs (so accepted as a text upload) that fit no character encoding."""
    rng = random.Random(13)
    return bytes(rng.randrange(1, 256) for _ in range(400))
