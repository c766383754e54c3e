"""Citations and numbers: how courts, reporters and databases name a decision or a proceeding."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# ECLI: "ECLI", country (or EU/CE), court code, year, ordinal number (Council conclusions 2011/C 127/01).
ECLI_PATTERN = re.compile(r"ECLI:[A-Z]{2}:[A-Z0-9.]{1,7}:\d{4}:[A-Z0-9.]{1,25}")
# An ECHR application: number/two-digit year, e.g. 58170/13.
APPLICATION_PATTERN = re.compile(r"\d{1,6}/\d{2}")


class DecisionIdentifier(models.Model):
    """One citation or identifier of a decision, e.g. a neutral citation or an ECLI."""

    class Scheme(models.TextChoices):
        NEUTRAL = "neutral", _("Neutral citation")
        ECLI = "ecli", _("ECLI")
        APPLICATION = "application", _("Application number")
        REPORT = "report", _("Law report citation")
        URL = "url", _("Source address")

    decision = models.ForeignKey(
        "cases.Decision", on_delete=models.CASCADE, related_name="identifiers", verbose_name=_("decision")
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    value = models.CharField(
        _("citation or identifier"),
        max_length=500,
        help_text=_("As published, e.g. [2020] EWCA Civ 1058, ECLI:EU:C:2020:559 or 585 U.S. 296."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "value"]
        verbose_name = _("citation or identifier")
        verbose_name_plural = _("citations and identifiers")
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "scheme", "value"],
                name="decisionidentifier_unique_per_decision",
                violation_error_message=_("This decision already has this citation."),
            ),
            models.CheckConstraint(
                condition=~models.Q(value=""),
                name="decisionidentifier_has_value",
                violation_error_message=_("Enter the citation or identifier."),
            ),
        ]

    def __str__(self):
        return self.value

    def clean(self):
        self.value = " ".join(self.value.split())
        if self.scheme == self.Scheme.ECLI:
            self.value = self.value.upper()
            if not ECLI_PATTERN.fullmatch(self.value):
                raise ValidationError(
                    {"value": _("An ECLI looks like ECLI:EU:C:2020:559 (country, court, year, number).")}
                )
        elif self.scheme == self.Scheme.APPLICATION and not APPLICATION_PATTERN.fullmatch(self.value):
            raise ValidationError({"value": _("An application number looks like 58170/13; enter one per row.")})
        elif self.scheme == self.Scheme.URL:
            try:
                URLValidator(schemes=["http", "https"])(self.value)
            except ValidationError:
                raise ValidationError({"value": _("Enter a full web address starting with https://.")}) from None


class ProceedingNumber(models.Model):
    """A further docket or application number of a proceeding, e.g. one of several joined applications."""

    class Scheme(models.TextChoices):
        DOCKET = "docket", _("Docket or case number")
        APPLICATION = "application", _("Application number")

    proceeding = models.ForeignKey(
        "cases.Proceeding", on_delete=models.CASCADE, related_name="numbers", verbose_name=_("proceeding")
    )
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices, default=Scheme.DOCKET)
    value = models.CharField(_("number"), max_length=100, help_text=_("One number per row, e.g. 62322/14."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("further number")
        verbose_name_plural = _("further docket or application numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["proceeding", "value"],
                name="proceedingnumber_unique_per_proceeding",
                violation_error_message=_("This proceeding already has this number."),
            ),
            models.CheckConstraint(
                condition=~models.Q(value=""),
                name="proceedingnumber_has_value",
                violation_error_message=_("Enter the number."),
            ),
        ]

    def __str__(self):
        return self.value

    def clean(self):
        self.value = " ".join(self.value.split())
        if self.scheme == self.Scheme.APPLICATION and not APPLICATION_PATTERN.fullmatch(self.value):
            raise ValidationError({"value": _("An application number looks like 58170/13; enter one per row.")})
        if self.proceeding_id and self.value == self.proceeding.docket_number:
            raise ValidationError({"value": _("This is already the proceeding's own number.")})
