"""Reading documents' text: queued when a document is uploaded or replaced, re-run on request by staff."""

import hashlib
import logging
import tempfile

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import extraction
from ..cache import retire_case_pages
from ..document_search import index_pages
from ..http import public_data_changed
from ..models import Decision, DocumentPage, DocumentText, Filing
from ..permissions import check_write
from ..uploads import extension_of

logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def sync_document_text(owner):
    """After a filing or decision is saved: queue reading its document if it is new or replaced.

    Call inside the transaction that saved owner; the read is queued once it commits.
    """
    field = _owner_field(owner)
    text = DocumentText.objects.filter(**{field: owner}).first()
    if not owner.document:
        if text is not None:
            text.delete()
        return text
    if text is not None and text.file_name == owner.document.name:
        return text
    text = text or DocumentText(**{field: owner})
    text.file_name = owner.document.name
    # The earlier text is of a file no longer published (perhaps replaced to redact it): hide it until the new
    # one is read. Earlier pages stay, hidden: the same bytes uploaded again reuse them without OCR.
    text.status, text.reason, text.detail = DocumentText.Status.PENDING, "", ""
    return _queue(text, actor=None, force=False)


@transaction.atomic
def request_extraction(text, *, actor):
    """Read a document again from scratch, even if the same bytes were read before (staff, from the admin).

    The current text stays public and searchable until the new reading replaces it.
    """
    check_write(actor, text.owner)  # its case's team and editors only: a re-read spends the workers' time
    return _queue(text, actor=actor, force=True)


def request_all_rereadings():
    """Ask for every read document to be read again (a backfill); each keeps its current text until then.

    Return how many were asked for; `DocumentText.objects.to_read()` lists them until they are read.
    """
    return DocumentText.objects.exclude(status=DocumentText.Status.PENDING).update(requested_at=timezone.now())


@transaction.atomic
def add_missing_document_texts():
    """Create a pending text for every document that has none (for backfills; nothing is queued)."""
    created = []
    for model, field in ((Filing, "filing"), (Decision, "decision")):
        owners = model.objects.exclude(document="").filter(document_text__isnull=True).only("pk", "document")
        created += [DocumentText(**{field: owner}, file_name=owner.document.name) for owner in owners]
    DocumentText.objects.bulk_create(created, batch_size=500)
    return len(created)


def _queue(text, *, actor, force):
    from ..tasks import extract_document_text

    # The status, reason and pages stay as they are until the reading is stored.
    text.requested_by = actor
    text.requested_at = timezone.now()
    text.full_clean()
    text.save()
    DocumentText.objects.filter(pk=text.pk).refresh_placement()
    extract_document_text.delay_on_commit(text.pk, force=force)
    return text


def _owner_field(owner):
    if isinstance(owner, Filing):
        return "filing"
    if isinstance(owner, Decision):
        return "decision"
    raise TypeError(f"Only filings and decisions have documents, not {type(owner).__name__}.")


def limits():
    """Return the extraction limits from the settings."""
    return {
        "max_pages": settings.DOCUMENT_MAX_PAGES,
        "ocr_max_pages": settings.DOCUMENT_OCR_MAX_PAGES,
        "ocr_seconds": settings.DOCUMENT_OCR_SECONDS,
        "ocr_languages": settings.DOCUMENT_OCR_LANGUAGES,
        "ocr_dpi": settings.DOCUMENT_OCR_DPI,
        "seconds": settings.DOCUMENT_EXTRACT_SECONDS,
        "memory_mb": settings.DOCUMENT_EXTRACT_MEMORY_MB,
    }


def extract_document(text_id, *, force=False):
    """Read one pending document's text and store it; return the DocumentText, or None if it is gone.

    Unless force, a file whose bytes were read before (here or for another record) is not read again.
    """
    text = DocumentText.objects.select_related("filing", "decision").filter(pk=text_id).first()
    if text is None or text.owner.document.name != text.file_name:
        return None  # deleted, or replaced since: the newer request reads the newer file
    with tempfile.NamedTemporaryFile(suffix=".upload") as copy:
        try:
            digest = _copy_and_hash(text.owner.document, copy)
        except OSError as error:
            result = extraction.failed("missing_file", str(error))
            return _store(text, "", result, source=None)
        source = None if force else _earlier_reading(text, digest)
        if source is not None:
            return _store(text, digest, None, source=source)
        result = extraction.extract(copy.name, extension_of(text.file_name), limits())
    return _store(text, digest, result, source=None)


def _copy_and_hash(field_file, copy):
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            copy.write(chunk)
    copy.flush()
    return digest.hexdigest()


def _earlier_reading(text, digest):
    """Return a finished reading of the same bytes, if any: text's own earlier one, or another document's."""
    # text itself is pending again, but its stored outcome and pages are those of its last reading.
    finished = Q(pk=text.pk) | ~Q(status=DocumentText.Status.PENDING)
    return (
        DocumentText.objects.filter(finished, sha256=digest, extracted_at__isnull=False)
        .order_by("-extracted_at")
        .first()
    )


@transaction.atomic
def _store(text, digest, result, *, source):
    """Save a reading's outcome: result from the extractor, or a copy of source's."""
    text = DocumentText.objects.select_for_update().filter(pk=text.pk, file_name=text.file_name).first()
    if text is None:
        return None
    if source is not None:
        result = {
            "error": source.reason,
            "detail": source.detail,
            "method": source.method,
            "language": source.language,
            "page_count": source.page_count,
            "pages_read": source.pages_read,
        }
        pages = None if source.pk == text.pk else list(source.pages.values_list("text", flat=True))
    else:
        pages = result["pages"]
    text.sha256 = digest
    text.status = DocumentText.Status.FAILED if result.get("error") else DocumentText.Status.DONE
    text.reason = result.get("error") or ""
    text.detail = result.get("detail") or ""
    text.method = result["method"]
    text.language = result.get("language") or ""
    text.page_count = result["page_count"]
    text.pages_read = result["pages_read"]
    text.extracted_at = timezone.now()
    text.full_clean()
    text.save()
    if pages is not None:
        text.pages.all().delete()
        DocumentPage.objects.bulk_create(
            DocumentPage(document=text, number=number, text=page) for number, page in enumerate(pages, 1) if page
        )
        index_pages(text)
    # A text read by a backfill was created without them (add_missing_document_texts).
    DocumentText.objects.filter(pk=text.pk).refresh_placement()
    if text.status == DocumentText.Status.FAILED:
        logger.warning("Could not read %s (%s): %s %s", text.file_name, text, text.reason, text.detail)
    _text_changed(text)
    return text


def _text_changed(text):
    """Retire the cached pages that show the text: its case page and text view, and the lists and search."""
    retire_case_pages([text.owner.proceeding.case_id])
    # Browsers and proxies revalidate with If-Modified-Since: the public data changed now, not at the last edit.
    transaction.on_commit(public_data_changed)
