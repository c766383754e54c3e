import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import in_language, slug_url


def validate_timezone(value):
    """Reject names that are not IANA time zones."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone, e.g. Europe/Moscow."), params={"value": value})


class Court(models.Model):
    """A court or other forum where proceedings are heard."""

    class Level(models.TextChoices):
        FIRST_INSTANCE = "first_instance", _("First instance")
        APPEAL = "appeal", _("Appeal")
        CASSATION = "cassation", _("Cassation")
        SUPREME = "supreme", _("Supreme or constitutional")
        INTERNATIONAL = "international", _("International (ECHR, CJEU, UN)")
        DATA_PROTECTION = "dpa", _("Data protection authority")

    name = models.CharField(_("name"), max_length=300, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, blank=True, help_text=_("Left blank, it is made from the name.")
    )
    country = CountryField(_("country"), blank=True, help_text=_("Blank for international forums such as the ECHR."))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_timezone],
        help_text=_("IANA name, e.g. Europe/Moscow. Hearings and deadlines are shown in it."),
    )
    appeals_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appealed_from",
        verbose_name=_("appeals go to"),
        help_text=_("The court that hears appeals from this one."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("court or forum")
        verbose_name_plural = _("courts and forums")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(appeals_to=models.F("id")),
                name="court_does_not_appeal_to_itself",
                violation_error_message=_("A court cannot hear appeals from itself."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(Court, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("cases:court_detail", self.slug)

    def clean(self):
        # The constraint compares with the id, which a form leaves out of its checks.
        if self.pk and self.appeals_to_id == self.pk:
            raise ValidationError({"appeals_to": _("A court cannot hear appeals from itself.")})

    @property
    def display_name(self):
        return in_language(self.name, self.name_ru)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.timezone)
