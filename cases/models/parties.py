import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .base import in_language, slug_url


class Party(models.Model):
    """A person or organisation that takes part in one or more cases."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        NGO = "ngo", _("NGO")
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government body")
        AGENCY = "agency", _("Agency")
        LAW_FIRM = "law_firm", _("Law firm")

    class GovernmentLevel(models.TextChoices):
        NONE = "", _("Not a government body, or unknown")
        NATIONAL = "national", _("National or federal")
        REGIONAL = "regional", _("Regional or state")
        LOCAL = "local", _("Local (a city, a municipality)")

    name = models.CharField(_("name"), max_length=300, help_text=_("Full name as used in court documents."))
    name_ru = models.CharField(_("name in Russian"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, blank=True, help_text=_("Left blank, it is made from the name.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = CountryField(_("country"), blank=True)
    government_level = models.CharField(
        _("government level"),
        max_length=10,
        choices=GovernmentLevel.choices,
        blank=True,
        help_text=_("For government bodies and agencies: some deadlines depend on it (e.g. FRAP 4(a)(1)(B))."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            from ..slugs import unique_slug

            self.slug = unique_slug(Party, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("cases:party_detail", self.slug)

    def clean(self):
        if self.government_level and self.kind not in (self.Kind.GOVERNMENT, self.Kind.AGENCY):
            raise ValidationError({"government_level": _("Only a government body or agency has a government level.")})

    @property
    def display_name(self):
        return in_language(self.name, self.name_ru)


def likely_duplicates(name, *, exclude_pk=None):
    """Return parties whose name reads like name, Cyrillic or Latin, with how many cases each is in."""
    from ..slugs import transliterate

    key = slugify(transliterate(name))
    if not key:
        return Party.objects.none()
    same = Q(slug=key) | Q(slug__regex=rf"^{re.escape(key)}-[0-9]+$") | Q(name__iexact=name) | Q(name_ru__iexact=name)
    return (
        Party.objects.filter(same)
        .exclude(pk=exclude_pk)
        .annotate(case_count=Count("participations__case", distinct=True))
        .order_by("-case_count", "name")
    )
