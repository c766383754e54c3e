"""Demo documents, made when the demo is loaded (`load_demo`), so the demo exercises text extraction and OCR.

Both are summaries written for this project, not court documents, and carry the demo data's licence:

- an English summary of the first Popova suit as a PDF with a text layer (Helvetica, no embedded font), on
  the statement of claim;
- the Russian summary of the same case rendered to an image-only PDF (no text layer, as a scanned court
  decision is), on the Savyolovsky decision, so reading it needs Tesseract's Russian OCR. It is rendered at
  load time with Debian's DejaVu Sans (fonts-dejavu-core).
"""

import io
import textwrap
from pathlib import Path

from django.core.files.base import ContentFile

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEMO_NOTE = "Demo summary written for the Surveillance Litigation Tracker; it is not the court's document."
DEMO_NOTE_RU = "Демонстрационное изложение для трекера судебных дел о слежке; это не судебный документ."


def text_pdf(pages):
    """Return a PDF with a text layer: one page per string, its lines in Helvetica (ASCII only)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below once the pages' numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for text in pages:
        lines = [
            b"(" + line.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*"
            for line in text.splitlines()
        ]
        content = b"BT /F1 11 Tf 14 TL 50 750 Td " + b" ".join(lines) + b" ET"
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (len(objects) + 2)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(pages))
    return pdf(objects)


def pdf(objects):
    """Return a PDF file whose numbered objects are the given bodies (object 1 is the catalog)."""
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


def text_image(lines, size=(1400, 500), font_size=40):
    """Return a grey-scale image of lines of text, large enough for Tesseract to read."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), font_size)
    for index, line in enumerate(lines):
        draw.text((40, 40 + index * int(font_size * 1.6)), line, font=font, fill=0)
    return image


def scanned_pdf(lines, pages=1, **image):
    """Return an image-only PDF (no text layer): the rendered lines as one page, repeated pages times."""
    picture = text_image(lines, **image)
    out = io.BytesIO()
    picture.save(out, "PDF", resolution=150, save_all=True, append_images=[picture] * (pages - 1))
    return out.getvalue()


def demo_documents(case):
    """Return [(record, file name, bytes)] to attach to the demo case's statement of claim and first decision."""
    claim = case.proceedings.get(court__slug="savyolovsky").filings.get(kind="complaint")
    decision = case.proceedings.get(court__slug="savyolovsky").decisions.get()
    english = "\n".join([DEMO_NOTE, "", *textwrap.wrap(case.summary, 95)])
    russian = [DEMO_NOTE_RU[:60], DEMO_NOTE_RU[60:], "", *textwrap.wrap(case.summary_ru, 60)]
    return [
        (claim, "demo-summary-en.pdf", text_pdf([english])),
        (decision, "demo-summary-ru-scan.pdf", scanned_pdf(russian, size=(1240, 1754), font_size=30)),
    ]


def attach_demo_documents(case, *, save_record, save_decision):
    """Attach the demo documents to records that have none yet (so loading the demo again changes nothing)."""
    for record, name, data in demo_documents(case):
        if record.document:
            continue
        record.document = ContentFile(data, name)
        save = save_decision if record._meta.model_name == "decision" else save_record
        save(record)
