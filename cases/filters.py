"""The one FilterSet behind the public case list, its CSV and Atom variants, and the API.

A value that does not validate (an unknown slug, a malformed date, a year out of range)
is dropped and reported in `form.errors`; it never raises.
"""

import django_filters as filters
from django.db import connection
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import selectors
from .models import Case, Challenge, Court, LegalGround, Participation, Party, Proceeding, System, Technology, Vendor
from .models.base import Result
from .search import best_matches, matching_ids, ranked_by, search_cases

YEAR_CHOICES = [(str(year), str(year)) for year in range(1950, 2101)]
Q_MAX_LENGTH = 500


class Sort:
    """Orderings offered on the list; relevance is the default when searching."""

    ACTIVITY = "activity"
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    RELEVANCE = "relevance"

    CHOICES = [
        (ACTIVITY, _("Latest activity")),
        (NEWEST, _("Date filed, newest first")),
        (OLDEST, _("Date filed, oldest first")),
        (TITLE, _("Title")),
        (RELEVANCE, _("Best match")),
    ]
    ORDER_BY = {
        ACTIVITY: [F("last_activity_on").desc(nulls_last=True), "title", "pk"],
        NEWEST: [F("filed_on").desc(nulls_last=True), "title", "pk"],
        OLDEST: [F("filed_on").asc(nulls_last=True), "title", "pk"],
        TITLE: ["title", "pk"],
    }


def _country_choices():
    return list(countries)


class PublicRecordFilter(filters.ModelMultipleChoiceFilter):
    """Filter by the slugs of public records of model, those selector() returns.

    The selector's queryset, a few subqueries to build, is built only when the request uses the filter: the
    unfiltered list would otherwise spend more time building six of them than reading its page.
    """

    def __init__(self, model, selector, **kwargs):
        super().__init__(to_field_name="slug", queryset=lambda request: selector(), method="filter_linked", **kwargs)
        self.choice_model = model

    def get_queryset(self, request):
        if self.field_name in self.parent.data:
            return super().get_queryset(request)
        return self.choice_model.objects.none()


class CaseFilter(filters.FilterSet):
    """Filter published cases by facet, full-text query and sort order."""

    q = filters.CharFilter(label=_("Search terms"), method="filter_q", max_length=Q_MAX_LENGTH)
    # A case has one country, status, outcome and year, so those filters need no DISTINCT; the many-valued
    # ones select case ids in a subquery instead of joining, so they need none either (DISTINCT would stop
    # the list from reading its sort order off an index).
    country = filters.MultipleChoiceFilter(label=_("Country"), choices=_country_choices, distinct=False)
    technology = PublicRecordFilter(Technology, selectors.public_technologies, label=_("Technology"))
    ground = PublicRecordFilter(LegalGround, selectors.public_grounds, label=_("Right or ground"))
    court_level = filters.MultipleChoiceFilter(
        label=_("Court level"), choices=Court.Level.choices, method="filter_linked"
    )
    status = filters.MultipleChoiceFilter(label=_("Status"), choices=Case.Status.choices, distinct=False)
    outcome = filters.MultipleChoiceFilter(label=_("Outcome"), choices=Result.choices, distinct=False)
    year = filters.MultipleChoiceFilter(
        label=_("Year filed"), field_name="filed_on__year", choices=YEAR_CHOICES, distinct=False
    )
    filed_after = filters.DateFilter(label=_("Filed on or after"), field_name="filed_on", lookup_expr="gte")
    filed_before = filters.DateFilter(label=_("Filed on or before"), field_name="filed_on", lookup_expr="lte")
    party = PublicRecordFilter(Party, selectors.public_parties, label=_("Party"))
    system = PublicRecordFilter(System, selectors.public_systems, label=_("Surveillance system"))
    vendor = PublicRecordFilter(Vendor, selectors.public_vendors, label=_("Vendor"))
    operator = PublicRecordFilter(Party, selectors.public_operators, label=_("Operator"))
    sort = filters.ChoiceFilter(label=_("Sort by"), choices=Sort.CHOICES, method="filter_sort", empty_label=None)

    # Whether .qs comes in the list's order; a search's ranking is part of ordering it.
    ordered = True
    # The ids of a search's ranked matches, best first, once .qs is sorted by relevance (PostgreSQL).
    ranked = None
    # The ids of a search's matches, once .qs has searched (PostgreSQL).
    search_ids = None

    class Meta:
        model = Case
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = selectors.public_cases()
        super().__init__(data, queryset, **kwargs)

    def filter_q(self, queryset, name, value):
        text, pages = value.strip(), selectors.public_document_pages()
        if connection.vendor != "postgresql":
            return search_cases(queryset, text, pages=pages)
        # Match once through the search index and keep the ids: the page's count and rows then read those cases
        # by primary key, instead of joining the matches to every public case twice more. Ranking waits until
        # every filter has applied (filter_queryset), so the ranked few are among the cases listed.
        ids = matching_ids(selectors.public_cases(), text, texts=selectors.searchable_document_texts())
        self.search_ids = ids  # the facet counts count within them too
        return queryset.filter(selectors.among("pk", ids))

    def filter_linked(self, queryset, name, value):
        # Unused, its value is an empty queryset of choices, which would be compiled only to tell it is empty.
        if name not in self.data or not value:
            return queryset
        if name == "technology":
            links = Case.technologies.through.objects.filter(technology__in=value)
        elif name == "ground":
            links = Case.grounds.through.objects.filter(legalground__in=value)
        elif name == "court_level":
            links = Proceeding.objects.filter(court__level__in=value)
        elif name == "system":
            links = Challenge.objects.filter(Q(system__in=value) | Q(deployment__system__in=value))
        elif name == "vendor":
            links = Challenge.objects.filter(Q(system__vendor__in=value) | Q(deployment__system__vendor__in=value))
        elif name == "operator":
            links = Challenge.objects.filter(deployment__operator__in=value)
        else:
            links = Participation.objects.filter(party__in=value)
        return queryset.filter(pk__in=links.values("case_id"))

    def narrows(self):
        """Tell whether a valid filter other than the sort order applies (after .qs has validated them)."""
        return any(self.form.cleaned_data.get(name) for name in self.filters if name != "sort")

    def filter_sort(self, queryset, name, value):
        # Applied last in filter_queryset, once every other filter has run.
        return queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        # The search last, so ranking can pick its candidates among the cases every other filter leaves.
        for name, value in data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        unsearched = queryset
        queryset = self.filters["q"].filter(queryset, data.get("q"))
        if not self.ordered:
            return queryset.order_by()  # not even the model's default: the caller orders, or only counts
        sort = data.get("sort") or (Sort.RELEVANCE if data.get("q") else Sort.ACTIVITY)
        if sort == Sort.RELEVANCE:
            # Relevance needs a search rank; without a query fall back to activity.
            if data.get("q") and connection.vendor == "postgresql":
                # Kept: the list reads its first pages by these ids rather than sorting every match by rank.
                self.ranked = best_matches(
                    unsearched, data["q"].strip(), matches=self.search_ids, pages=selectors.public_document_pages()
                )
                queryset = ranked_by(queryset, self.ranked)
            if "rank" in queryset.query.annotations:
                return queryset.order_by("-rank", "title", "pk")
            sort = Sort.ACTIVITY
        return queryset.order_by(*Sort.ORDER_BY[sort])


class CaseSelection(CaseFilter):
    """The cases the list's filters select, unordered: for views that order them otherwise or only count them."""

    ordered = False
