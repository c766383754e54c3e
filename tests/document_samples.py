"""Documents made on the spot for the text-extraction tests: text-layer PDFs, scans, and hostile files."""

import io
import random
import zipfile
import zlib
from pathlib import Path

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core


def _pdf(objects):
    """Return a PDF whose numbered objects are the given bodies (object 1 must be the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data, compressed=False):
    if compressed:
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(pages):
    """Return a PDF with a text layer: one page per string (ASCII, one line each)."""
    count = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * index) for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for text in pages:
        escaped = text.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(_stream(b"BT /F1 11 Tf 40 700 Td (" + escaped + b") Tj ET"))
    return _pdf(objects)


def page_bomb_pdf(claimed_pages=10_000_000):
    """Return a tiny PDF whose page tree claims a huge number of pages."""
    return _pdf(
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
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            _stream(data, compressed=True),
        ]
    )


def encrypted_pdf(text="Encrypted statement of claim"):
    """Return a text PDF that needs a password to open."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf([text]))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf():
    """Return bytes that start like a PDF and then are garbage."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n1 0 obj << /Type /Catal"


def text_image(lines, size=(1400, 500)):
    """Return a grey-scale Pillow image of lines of text, large enough for Tesseract to read."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    for index, line in enumerate(lines):
        draw.text((40, 40 + index * 70), line, font=font, fill=0)
    return image


def scanned_pdf(lines, pages=1):
    """Return an image-only PDF (no text layer): the same rendered page, pages times."""
    image = text_image(lines)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=150, save_all=True, append_images=[image] * (pages - 1))
    return out.getvalue()


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
