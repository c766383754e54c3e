from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class CaseFacets(models.Model):
    """The facet values of one published case: what the list's facet counts and /stats/ read.

    A narrow copy of the values each public case is filtered by (country, status, outcome, year, the ids of
    its technologies, grounds, parties, systems, vendors and operators, its court levels), as the keys
    "facet:value" of one JSON object per case. One row per case means a filter finds its cases through one
    index (PostgreSQL's GIN on the keys) and every facet is counted from those rows in one pass, instead of
    one index probe per case and facet. Only published cases have a row; cases.summary keeps them current.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # An object rather than a list: "has any of these keys" is a lookup SQLite has too.
    keys = models.JSONField(_("facet values"))

    class Meta:
        verbose_name = _("case facet values")
        verbose_name_plural = _("case facet values")

    def __str__(self):
        return ", ".join(sorted(self.keys))


def facet_key(facet, value):
    """Return the CaseFacets key of a facet value."""
    return f"{facet}:{value}"


# Only /stats/ reads it, unfiltered: no list filters by it, so it has no pair counts.
UNPAIRED = "year_outcome"


class FacetCountQuerySet(models.QuerySet):
    def paired(self):
        """Return the counts of the values that keep FacetPair rows: of at least FACET_PAIR_MIN_CASES cases."""
        # An undecided case's outcome ("") is no filter's value either.
        return self.filter(cases__gte=settings.FACET_PAIR_MIN_CASES).exclude(facet=UNPAIRED).exclude(value="")


class FacetCount(models.Model):
    """How many published cases have a facet value: the unfiltered counts, recounted as cases change."""

    facet = models.CharField(_("facet"), max_length=20)
    value = models.CharField(_("value"), max_length=40, blank=True)
    cases = models.PositiveIntegerField(_("cases"))

    objects = FacetCountQuerySet.as_manager()

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


class FacetPair(models.Model):
    """How many published cases have both a common facet value and another: a filter's counts without a scan.

    Counting the facets of the cases one value selects reads every one of them (48,000 for the most-sued
    agency at 100,000 cases); these rows hold the answer for each value of at least settings.FACET_PAIR_MIN_CASES
    cases (smaller selections count quickly from their facet rows). cases.summary keeps them current.
    """

    key = models.CharField(_("facet value"), max_length=64)
    facet = models.CharField(_("other facet"), max_length=20)
    value = models.CharField(_("other value"), max_length=40, blank=True)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        verbose_name = _("facet pair count")
        verbose_name_plural = _("facet pair counts")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "facet", "value"],
                name="facetpair_unique",
                violation_error_message=_("Each pair of facet values is counted once."),
            ),
        ]
        # Each other facet's top values for one selected value, read off the index.
        indexes = [models.Index(fields=["key", "facet", "-cases", "value"], name="facetpair_top_idx")]

    def __str__(self):
        return f"{self.key} & {self.facet}={self.value}: {self.cases}"
