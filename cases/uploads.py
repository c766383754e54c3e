"""Document uploads: an allowlist checked by content, and server-made file names."""

import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Extension -> MIME type sent on download. Only these may be uploaded.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "rtf": "application/rtf",
    "txt": "text/plain; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
# Office files are zip archives; refuse ones that inflate past this (zip bombs).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
SNIFF_BYTES = 8192


def extension_of(name):
    """Return the lower-case extension of a file name, without the dot."""
    return PurePath(name).suffix.lower().lstrip(".")


def detect_type(head, fileobj):
    """Return the allowlisted extension that the content is, or None.

    `head` is the file's first bytes; `fileobj` is read only to look inside zip archives.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        return _detect_office(fileobj)
    if b"\x00" not in head:
        # Plain text in UTF-8 or a legacy code page such as Windows-1251: its reader works out which.
        return "txt"
    return None


def _detect_office(fileobj):
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
        if sum(member.file_size for member in members) > MAX_UNZIPPED_BYTES:
            return None
        names = {member.filename for member in members}
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "mimetype" in names and archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
            return "odt"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def validate_document(upload):
    """Refuse files that are too large, not on the allowlist, or whose content lies about their type."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    extension = extension_of(upload.name)
    if extension not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of type .%(ext)s are not accepted. Upload PDF, DOCX, ODT, RTF, TXT, PNG or JPEG."),
            params={"ext": extension or "?"},
            code="file_type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    detected = detect_type(head, upload)
    upload.seek(0)
    if detected is None or _canonical(detected) != _canonical(extension):
        raise ValidationError(
            _("The file's content does not match its .%(ext)s extension."),
            params={"ext": extension},
            code="file_content_mismatch",
        )


def _canonical(extension):
    return "jpg" if extension == "jpeg" else extension


def document_upload_to(instance, filename):
    """Return a server-made path; the uploader's file name never reaches the disk."""
    extension = _canonical(extension_of(filename))
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"
