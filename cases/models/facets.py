from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class CaseFacet(models.Model):
    """One facet value of one published case: what the list's facet counts and /stats/ read.

    A narrow copy of the values each public case is filtered by (country, status, outcome, year, the ids of
    its technologies, grounds and parties, its court levels), so counting them never scans or joins the wide
    case table. Only published cases have rows; cases.summary keeps them current.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    facet = models.CharField(_("facet"), max_length=20)
    value = models.CharField(_("value"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("case facet value")
        verbose_name_plural = _("case facet values")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value", "case"],
                name="casefacet_unique_value",
                violation_error_message=_("A case has each facet value once."),
            ),
        ]
        # The unique index above covers counting a facet and selecting the cases of a value; this one finds
        # a case's own values, to join the other facets of a filtered set of cases.
        indexes = [models.Index(fields=["case", "facet", "value"], name="casefacet_case_idx")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class FacetCount(models.Model):
    """How many published cases have a facet value: the unfiltered counts, recounted as cases change."""

    facet = models.CharField(_("facet"), max_length=20)
    value = models.CharField(_("value"), max_length=40, blank=True)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("facet count")
        verbose_name_plural = _("facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["facet", "value"],
                name="facetcount_unique_value",
                violation_error_message=_("Each facet value is counted once."),
            ),
        ]
        # The unfiltered list shows each facet's top values: read off this index, not sorted from 40,000 parties.
        indexes = [models.Index(fields=["facet", "-cases", "value"], name="facetcount_top_idx")]

    def __str__(self):
        return f"{self.facet}={self.value}: {self.cases}"
