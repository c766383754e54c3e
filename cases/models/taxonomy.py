from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import BilingualNameMixin


class Taxonomy(BilingualNameMixin, models.Model):
    """A term in one of the public vocabularies (technologies, legal grounds)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Used in public URLs."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Technology(Taxonomy):
    """A surveillance technology a case challenges, e.g. face recognition."""

    history = HistoricalRecords()

    class Meta(Taxonomy.Meta):
        verbose_name = _("technology")
        verbose_name_plural = _("technologies")


class LegalGround(Taxonomy):
    """A right or legal ground at issue, e.g. private life (ECHR Art. 8)."""

    history = HistoricalRecords()

    class Meta(Taxonomy.Meta):
        verbose_name = _("right or legal ground")
        verbose_name_plural = _("rights and legal grounds")
