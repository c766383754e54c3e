from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from .queries import DocumentPageQuerySet, DocumentTextQuerySet


class DocumentText(models.Model):
    """The text read out of one filing's or decision's document, and how reading it went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        TEXT_LAYER = "text_layer", _("Text layer")
        OCR = "ocr", _("OCR")
        NONE = "none", _("None")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        RUSSIAN = "ru", _("Russian")
        UNKNOWN = "", _("Unknown")

    class Reason(models.TextChoices):
        ENCRYPTED = "encrypted", _("The PDF is protected by a password, so its text cannot be read.")
        DAMAGED = "damaged", _("The file is damaged or is not really of its type, so its text cannot be read.")
        TOO_MANY_PAGES = (
            "too_many_pages",
            _("The PDF claims more pages than the limit: it may be a PDF bomb, so it was not read."),
        )
        TOO_LARGE = (
            "too_large",
            _("The file unpacks to far more data than its size: it may be a decompression bomb, so it was not read."),
        )
        UNKNOWN_ENCODING = "unknown_encoding", _("The text file's character encoding could not be recognised.")
        TIME_LIMIT = "time_limit", _("Reading the document took longer than the time limit.")
        MEMORY_LIMIT = "memory_limit", _("Reading the document needed more memory than the limit.")
        MISSING_FILE = "missing_file", _("The uploaded file is missing from storage.")
        CRASHED = "crashed", _("The text reader stopped unexpectedly.")

    filing = models.OneToOneField(
        "cases.Filing",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_text",
        verbose_name=_("filing"),
    )
    decision = models.OneToOneField(
        "cases.Decision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="document_text",
        verbose_name=_("decision"),
    )
    file_name = models.CharField(_("stored file"), max_length=200, help_text=_("The upload this text was read from."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    detail = models.TextField(_("technical detail"), blank=True)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.NONE)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    pages_read = models.PositiveIntegerField(_("pages read"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    extracted_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Derived from the filing or decision (DocumentTextQuerySet.refresh_placement), kept by every write that can
    # change them, so public search maps matching pages to public cases without joining every record of every case.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("case"),
    )
    is_public = models.BooleanField(_("public"), default=False, editable=False)
    # Every word of its pages, without positions (document_search.index_documents): public search finds the
    # documents holding all of a query's words through this one GIN index instead of reading every matching page.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentTextQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "pk"]
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(filing__isnull=False, decision__isnull=True)
                | models.Q(filing__isnull=True, decision__isnull=False),
                name="document_text_has_one_owner",
                violation_error_message=_("A document text belongs to exactly one filing or one decision."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="failed", reason=""),
                name="document_text_failure_has_reason",
                violation_error_message=_("A failed extraction must say why it failed."),
            ),
        ]
        indexes = [models.Index(fields=["sha256"], name="document_text_sha256")]

    def __str__(self):
        return str(self.owner)

    @property
    def owner(self):
        """Return the filing or decision whose document this is."""
        return self.filing or self.decision

    @property
    def kind(self):
        return "filing" if self.filing_id else "decision"

    @property
    def is_rereading(self):
        """Tell whether a new reading was asked for after the last one; the last one's text is in use until then."""
        return (
            self.status != self.Status.PENDING
            and self.extracted_at is not None
            and self.requested_at > self.extracted_at
        )

    @property
    def is_partial(self):
        return self.page_count is not None and self.pages_read is not None and self.pages_read < self.page_count


class DocumentPage(models.Model):
    """One page of a document's text (or one part, for formats without pages): the unit search matches."""

    document = models.ForeignKey(
        DocumentText, on_delete=models.CASCADE, related_name="pages", verbose_name=_("document text")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))
    # English, Russian and simple stems of the text; GIN-indexed on PostgreSQL (see the migration).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentPageQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document page")
        verbose_name_plural = _("document pages")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="document_page_unique_number",
                violation_error_message=_("A document has only one page with each number."),
            ),
        ]

    def __str__(self):
        return f"{self.document} p. {self.number}"
