"""Public reads: the only way pages, feeds, the API, exports and emails get case data.

Everything here is built on the `.public()` querysets, so a draft case, a confidential
filing or a private hearing can never be returned. A non-public record raises the same
Http404 as a missing one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import gettext

from .models import Case, Counsel, Court, Decision, Filing, Hearing, LegalGround, Participation, Party, Technology
from .models.proceedings import Proceeding


def public_cases():
    """Return published cases with what a list row shows, newest activity first."""
    return (
        Case.objects.public()
        .prefetch_related("technologies")
        .order_by(F("last_activity_on").desc(nulls_last=True), "title", "pk")
    )


def _public_proceedings():
    return (
        Proceeding.objects.public()
        .select_related("court__appeals_to")  # the API record shows where the court appeals to
        .prefetch_related(
            Prefetch(
                "filings",
                queryset=Filing.objects.public().select_related("filed_by__party").order_by("filed_on", "pk"),
                to_attr="public_filings",
            ),
            Prefetch(
                "hearings", queryset=Hearing.objects.public().order_by("starts_at", "pk"), to_attr="public_hearings"
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.public().prefetch_related("identifiers").order_by("announced_on", "pk"),
                to_attr="public_decisions",
            ),
            "numbers",
        )
        .order_by(F("started_on").asc(nulls_last=True), "pk")
    )


def _participations():
    return Participation.objects.select_related("party").prefetch_related(
        Prefetch("counsel", queryset=Counsel.objects.select_related("organisation"))
    )


def with_public_records(cases):
    """Return cases (already public) with everything a case page, API record or export shows prefetched."""
    return cases.prefetch_related(
        Prefetch("proceedings", queryset=_public_proceedings(), to_attr="public_proceedings"),
        Prefetch("participations", queryset=_participations()),
        Prefetch("related_cases", queryset=Case.objects.public().order_by("title"), to_attr="public_related"),
        "technologies",
        "grounds",
        "links",
    )


def public_case_detail(slug):
    """Return a published case with everything its page shows prefetched, or raise Http404.

    Proceedings carry `public_filings`, `public_hearings` and `public_decisions`; the case
    carries `public_proceedings` and `public_related` (published related cases only).
    """
    try:
        return with_public_records(Case.objects.public()).get(slug=slug)
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


@dataclass(frozen=True)
class TimelineEntry:
    """One public filing, hearing or decision on a case's merged timeline."""

    kind: str  # "filing", "hearing" or "decision"
    date: datetime.date
    item: object
    proceeding: Proceeding

    @property
    def anchor(self):
        return f"{self.kind}-{self.item.pk}"


# Same-day entries read in the order they happen: filed, heard, decided.
_KIND_ORDER = {"filing": 0, "hearing": 1, "decision": 2}


def public_timeline(case, *, newest_first=False):
    """Return one merged, dated list of a case's public filings, hearings and decisions.

    `case` must come from public_case_detail(), whose prefetches hold only public records.
    """
    entries = []
    for proceeding in case.public_proceedings:
        entries += [TimelineEntry("filing", f.filed_on, f, proceeding) for f in proceeding.public_filings]
        entries += [
            TimelineEntry("hearing", h.local_starts_at.date(), h, proceeding) for h in proceeding.public_hearings
        ]
        entries += [TimelineEntry("decision", d.announced_on, d, proceeding) for d in proceeding.public_decisions]
    entries.sort(key=lambda e: (e.date, _KIND_ORDER[e.kind], e.item.pk), reverse=newest_first)
    return entries


def parties_by_side(case):
    """Return [(role label, [participation, ...]), ...] in role order, for a case from public_case_detail()."""
    sides = {}
    for participation in case.participations.all():
        sides.setdefault(participation.role, []).append(participation)
    return [(label, sides[role]) for role, label in Participation.Role.choices if role in sides]


def public_documents(case):
    """Return the public filings and decisions of a case that have a document, oldest first."""
    return [entry for entry in public_timeline(case) if entry.kind != "hearing" and entry.item.document]


# Entities appear publicly only through a published case, so a party, court or term
# that is only in drafts stays unknown.


def public_parties():
    """Return parties that take part in, or act as counsel in, a published case."""
    public_ids = Case.objects.public().values("pk")
    return Party.objects.filter(
        Q(participations__case__in=public_ids) | Q(counsel_roles__participation__case__in=public_ids)
    ).distinct()


def public_courts():
    """Return courts that hear a published case."""
    return Court.objects.filter(proceedings__case__in=Case.objects.public().values("pk")).distinct()


def public_technologies():
    """Return technologies challenged in a published case."""
    return Technology.objects.filter(cases__in=Case.objects.public().values("pk")).distinct()


def public_grounds():
    """Return rights and legal grounds at issue in a published case."""
    return LegalGround.objects.filter(cases__in=Case.objects.public().values("pk")).distinct()


def _get_or_404(queryset, slug):
    try:
        return queryset.get(slug=slug)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def public_party(slug):
    """Return a party that appears in a published case, or raise Http404."""
    return _get_or_404(public_parties(), slug)


def public_party_roles(party):
    """Return [(role label, [case, ...]), ...] for a party's published cases; counsel roles come last."""
    roles = {}
    participations = (
        Participation.objects.filter(party=party, case__in=Case.objects.public().values("pk"))
        .select_related("case")
        .order_by("role", "case__title")
    )
    for participation in participations:
        roles.setdefault(participation.get_role_display(), []).append(participation.case)
    counsel_cases = (
        Case.objects.public().filter(participations__counsel__organisation=party).distinct().order_by("title")
    )
    if counsel_cases:
        roles[gettext("Counsel")] = list(counsel_cases)
    return list(roles.items())


def public_court(slug):
    """Return a court that hears a published case, or raise Http404."""
    return _get_or_404(public_courts(), slug)


def public_court_proceedings(court):
    """Return a court's proceedings in published cases, with their case, newest first."""
    return (
        Proceeding.objects.public()
        .filter(court=court)
        .select_related("case")
        .order_by(F("started_on").desc(nulls_last=True), "pk")
    )


def public_technology(slug):
    """Return a technology challenged in a published case, or raise Http404."""
    return _get_or_404(public_technologies(), slug)


def public_latest_events(limit=30, *, case=None):
    """Return the newest public filings and decisions, site-wide or for one case, newest first.

    Each entry is a TimelineEntry whose proceeding has its case and court loaded.
    """
    filings = Filing.objects.public().select_related("proceeding__case", "proceeding__court")
    decisions = Decision.objects.public().select_related("proceeding__case", "proceeding__court")
    if case is not None:
        filings = filings.filter(proceeding__case=case)
        decisions = decisions.filter(proceeding__case=case)
    entries = [
        TimelineEntry("filing", f.filed_on, f, f.proceeding) for f in filings.order_by("-filed_on", "-pk")[:limit]
    ]
    entries += [
        TimelineEntry("decision", d.announced_on, d, d.proceeding)
        for d in decisions.order_by("-announced_on", "-pk")[:limit]
    ]
    entries.sort(key=lambda e: (e.date, _KIND_ORDER[e.kind], e.item.pk), reverse=True)
    return entries[:limit]


def public_case_for_feed(slug):
    """Return a published case (without prefetches) for its feed, or raise Http404."""
    return _get_or_404(Case.objects.public(), slug)


def headline_counts():
    """Return counts for the home page: published cases, countries, decided cases."""
    cases = Case.objects.public()
    return cases.aggregate(
        cases=Count("pk"),
        countries=Count("country", distinct=True),
        decided=Count("pk", filter=~Q(outcome="")),
    )


FACETS = ("country", "technology", "ground", "court_level", "status", "outcome", "year", "party")


def facet_count(queryset, facet, *, limit=None, values=None):
    """Return [(value, row, count), ...] for one facet over the cases in queryset (which must be public).

    Counts are of distinct cases, highest first; only values with at least one case appear. `limit` keeps the
    top rows only; `values` counts just those values. Rows of technologies, grounds and parties also carry
    `name` and `name_ru`.
    """
    rows = _facet_rows(queryset, facet)
    if values is not None:
        rows = rows.filter(value__in=values)
    rows = rows[:limit] if limit else rows
    return [(row["value"], row, row["n"]) for row in rows if row["value"] not in (None, "")]


def _facet_rows(queryset, facet):
    ids = queryset.order_by().values("pk")
    cases = Case.objects.filter(pk__in=ids)
    # Counting on the link tables avoids joining each one to the cases table.
    if facet == "technology":
        links = Case.technologies.through.objects.filter(case__in=ids)
        return _count(links, "technology__slug", "case_id", named="technology")
    if facet == "ground":
        links = Case.grounds.through.objects.filter(case__in=ids)
        return _count(links, "legalground__slug", "case_id", named="legalground")
    if facet == "court_level":
        return _count(Proceeding.objects.filter(case__in=ids), "court__level", "case_id", distinct=True)
    if facet == "party":
        participations = Participation.objects.filter(case__in=ids)
        return _count(participations, "party__slug", "case_id", named="party", distinct=True)
    if facet == "year":
        return _count_years(cases)
    if facet in ("country", "status", "outcome"):
        return _count(cases, facet, "pk")
    raise ValueError(f"Unknown facet {facet!r}.")


def _count(rows, value, counted, *, named=None, distinct=False):
    fields = {"value": F(value)}
    if named:
        fields |= {"name": F(f"{named}__name"), "name_ru": F(f"{named}__name_ru")}
    return rows.values(**fields).annotate(n=Count(counted, distinct=distinct)).order_by("-n", "value")


def _count_years(cases):
    """Return rows of {value: year, n} for cases by year filed, newest year first."""
    return (
        cases.exclude(filed_on__isnull=True)
        .annotate(value=ExtractYear("filed_on"))
        .values("value")
        .annotate(n=Count("pk"))
        .order_by("-value")
    )


def public_stats():
    """Return the numbers behind /stats/: by year and outcome, by technology, by country."""
    cases = Case.objects.public()
    by_year_outcome = (
        cases.exclude(filed_on__isnull=True)
        .annotate(year=ExtractYear("filed_on"))
        .values("year", "outcome")
        .annotate(n=Count("pk"))
        .order_by("year", "outcome")
    )
    by_technology = (
        Technology.objects.filter(cases__in=cases.values("pk"))
        .annotate(n=Count("cases", distinct=True))
        .order_by("-n", "name")
    )
    by_country = cases.values("country").annotate(n=Count("pk")).order_by("-n", "country")
    return {
        "by_year_outcome": list(by_year_outcome),
        "by_technology": list(by_technology),
        "by_country": list(by_country),
    }


def public_case_items(kind):
    """Return the public filings, hearings or decisions (kind "filing", "hearing", "decision") of published cases."""
    return {"filing": Filing, "hearing": Hearing, "decision": Decision}[kind].objects.public()
