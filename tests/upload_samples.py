"""Small but genuine files of every allowed type, for upload and download tests."""

import io
import zipfile


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
RTF = b"{\\rtf1\\ansi Claim statement.}"
TXT = "Исковое заявление: statement of claim.\n".encode()
DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document/>"})
PLAIN_ZIP = _zip({"notes.txt": "not a word document"})

SAMPLES = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "rtf": RTF, "txt": TXT, "docx": DOCX, "odt": ODT}
