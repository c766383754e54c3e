from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Revision(models.Model):
    """A lawyer's change to a published case or one of its public records, waiting for an editor's review."""

    class Operation(models.TextChoices):
        CREATE = "create", _("Add")
        UPDATE = "update", _("Change")
        DELETE = "delete", _("Delete")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="revisions", verbose_name=_("case"))
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind of record"))
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    operation = models.CharField(_("change"), max_length=10, choices=Operation.choices)
    # Field attname -> proposed value as text (Field.value_to_string); many-to-many fields hold lists of ids.
    changes = models.JSONField(_("proposed values"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    note = models.CharField(_("reviewer's note"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("pending revision")
        verbose_name_plural = _("revisions of published cases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="revision_decided_has_time",
                violation_error_message=_("A reviewed revision needs the time of its review."),
            ),
            models.CheckConstraint(
                condition=models.Q(operation="create", object_id__isnull=True)
                | (~models.Q(operation="create") & models.Q(object_id__isnull=False)),
                name="revision_target_matches_operation",
                violation_error_message=_("Only a revision that adds a record may lack the record it changes."),
            ),
        ]
        indexes = [models.Index(fields=["status", "case"], name="revision_status_case_idx")]

    def __str__(self):
        return f"{self.get_operation_display()} {self.content_type.name} ({self.case})"

    @property
    def model(self):
        return self.content_type.model_class()
