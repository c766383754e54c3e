import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class ExportJob(models.Model):
    """An export too large to stream, built into a file by a worker; its unguessable token is its address."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"
        JSONL = "jsonl", "JSON Lines"

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    format = models.CharField(max_length=5, choices=Format.choices)
    # The list's filters as a query string; the worker applies them through the public selector again.
    query = models.TextField(blank=True)
    fields = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.format} export {self.pk} ({self.status})"
