"""The state of reminder sending as a whole, beside the per-row delivery log."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderOutage(models.Model):
    """The one run of identical SMTP 5xx refusals in progress, and the pause of all sending it caused."""

    code = models.PositiveSmallIntegerField(_("SMTP code"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    failed_deliveries = models.JSONField(_("deliveries failed by this run"), default=list, blank=True)
    paused_at = models.DateTimeField(_("sending paused at"), null=True, blank=True)
    probe_at = models.DateTimeField(_("next trial send at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder outage")
        verbose_name_plural = _("reminder outages")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pk=1),
                name="reminder_outage_singleton",
                violation_error_message=_("There is only one reminder outage record."),
            )
        ]

    def __str__(self):
        return f"{self.code} × {self.failures}"
