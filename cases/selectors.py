"""Public reads: the only way pages, feeds, the API, exports and emails get case data.

Everything here is built on the `.public()` querysets, so a draft case, a confidential
filing or a private hearing can never be returned. A non-public record raises the same
Http404 as a missing one.
"""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, ExtractYear
from django.http import Http404
from django.utils.translation import gettext

from .models import (
    Case,
    CaseFacet,
    Challenge,
    Counsel,
    Court,
    Decision,
    Deployment,
    FacetCount,
    Filing,
    Hearing,
    LegalGround,
    Participation,
    Party,
    Remedy,
    System,
    Technology,
    Vendor,
)
from .models.documents import DocumentPage, DocumentText
from .models.proceedings import Proceeding

# Long or internal columns no list shows; records (API, exports) load the long text they show back.
LIST_DEFERRED = ("search_vector", "title_vector", "internal_notes", "description", "original_title")
NEVER_SHOWN = ("search_vector", "title_vector", "internal_notes")


def public_cases():
    """Return published cases with what a list row shows, newest activity first."""
    return (
        Case.objects.public()
        .defer(*LIST_DEFERRED)
        .prefetch_related("technologies")
        .order_by(F("last_activity_on").desc(nulls_last=True), "title", "pk")
    )


def _proceedings(public=True):
    def scope(model):
        return model.objects.public() if public else model.objects.all()

    return (
        scope(Proceeding)
        .select_related("court")
        .prefetch_related(
            with_public_appeals_to("court__appeals_to"),
            Prefetch(
                "filings",
                queryset=scope(Filing).select_related("filed_by__party", "document_text").order_by("filed_on", "pk"),
                to_attr="public_filings",
            ),
            Prefetch("hearings", queryset=scope(Hearing).order_by("starts_at", "pk"), to_attr="public_hearings"),
            Prefetch(
                "decisions",
                queryset=scope(Decision)
                .select_related("document_text")
                .prefetch_related("identifiers")
                .order_by("announced_on", "pk"),
                to_attr="public_decisions",
            ),
            "numbers",
        )
        .order_by(F("started_on").asc(nulls_last=True), "pk")
    )


def _challenges():
    """Return what cases challenge with what their records show: system, vendor, operator and public remedies."""
    return Challenge.objects.select_related(
        "system__vendor", "deployment__system__vendor", "deployment__operator"
    ).prefetch_related(Prefetch("remedies", queryset=Remedy.objects.defer("private_note")))


def _participations():
    return Participation.objects.select_related("party").prefetch_related(
        Prefetch("counsel", queryset=Counsel.objects.select_related("organisation"))
    )


def _record_prefetches(public=True):
    """Return {record field: prefetch} for the related data of a case record."""
    return {
        "proceedings": Prefetch("proceedings", queryset=_proceedings(public), to_attr="public_proceedings"),
        "parties": Prefetch("participations", queryset=_participations()),
        "related_cases": Prefetch(
            "related_cases", queryset=Case.objects.public().order_by("title"), to_attr="public_related"
        ),
        "technologies": "technologies",
        "grounds": "grounds",
        "links": "links",
        "challenges": Prefetch("challenges", queryset=_challenges(), to_attr="public_challenges"),
    }


def with_public_records(cases, fields=None, *, public=True):
    """Return cases (already public) with everything a case page, API record or export shows prefetched.

    `fields` (record field names) limits the prefetches to what those fields show; None means all.
    public=False is the staff preview: every filing, hearing and decision, confidential ones too.
    """
    prefetches = [lookup for name, lookup in _record_prefetches(public).items() if fields is None or name in fields]
    return cases.defer(None).defer(*NEVER_SHOWN).prefetch_related(None).prefetch_related(*prefetches)


def public_case_detail(slug):
    """Return a published case with everything its page shows prefetched, or raise Http404.

    Proceedings carry `public_filings`, `public_hearings` and `public_decisions`; the case
    carries `public_proceedings` and `public_related` (published related cases only).
    """
    return _get_or_404(with_public_records(Case.objects.public()), slug)


def preview_case_detail(slug):
    """Return any case, draft or published, as public_case_detail() does but with its confidential records.

    For staff previews only: the caller checks that the user may view the case.
    """
    return _get_or_404(with_public_records(Case.objects.all(), public=False), slug)


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


# The public records below are found with EXISTS, which stops at a record's first published case, rather than
# joining every link to every published case and removing the duplicates: at 100,000 cases that join costs
# 100-200 ms each time the filters validate a slug or a page prefetches the courts it shows.


def public_parties():
    """Return parties that take part in, or act as counsel in, a published case."""
    public_ids = Case.objects.public().values("pk")
    return Party.objects.filter(
        Exists(Participation.objects.filter(party=OuterRef("pk"), case__in=public_ids))
        | Exists(Counsel.objects.filter(organisation=OuterRef("pk"), participation__case__in=public_ids))
    )


def public_courts():
    """Return courts that hear a published case."""
    public_ids = Case.objects.public().values("pk")
    return Court.objects.filter(Exists(Proceeding.objects.filter(court=OuterRef("pk"), case__in=public_ids)))


def with_public_appeals_to(lookup="appeals_to"):
    """Return a prefetch of the court a court appeals to that leaves it None unless that court is public.

    A court only drafts use stays unknown, even as the target of a public court's appeals.
    """
    return Prefetch(lookup, queryset=public_courts())


def public_technologies():
    """Return technologies challenged in a published case."""
    public_ids = Case.objects.public().values("pk")
    links = Case.technologies.through.objects.filter(technology=OuterRef("pk"), case__in=public_ids)
    return Technology.objects.filter(Exists(links))


def public_grounds():
    """Return rights and legal grounds at issue in a published case."""
    public_ids = Case.objects.public().values("pk")
    links = Case.grounds.through.objects.filter(legalground=OuterRef("pk"), case__in=public_ids)
    return LegalGround.objects.filter(Exists(links))


def _get_or_404(queryset, slug):
    try:
        return queryset.get(slug=slug)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def public_party(slug):
    """Return a party that appears in a published case, or raise Http404."""
    return _get_or_404(public_parties(), slug)


def public_party_cases(party):
    """Return a party's published cases, where it takes part or acts as counsel, in the list's order."""
    return public_cases().filter(
        Q(pk__in=Participation.objects.filter(party=party).values("case_id"))
        | Q(pk__in=Counsel.objects.filter(organisation=party).values("participation__case_id"))
    )


def public_party_roles(party, cases):
    """Return [(role label, [case, ...]), ...] for party in cases (e.g. a page of public_party_cases()).

    Roles come in their usual order and counsel last; cases keep the order they were given in.
    """
    cases = list(cases)
    ids = [case.pk for case in cases]
    roles_of = {}
    for case_id, role in Participation.objects.filter(party=party, case__in=ids).values_list("case_id", "role"):
        roles_of.setdefault(role, set()).add(case_id)
    roles = [
        (label, [case for case in cases if case.pk in roles_of[role]])
        for role, label in Participation.Role.choices
        if role in roles_of
    ]
    counsel = set(
        Counsel.objects.filter(organisation=party, participation__case__in=ids).values_list(
            "participation__case_id", flat=True
        )
    )
    if counsel:
        roles.append((gettext("Counsel"), [case for case in cases if case.pk in counsel]))
    return roles


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
    counts = FacetCount.objects.filter(facet__in=["status", "country", "outcome"]).values_list(
        "facet", "value", "cases"
    )
    cases = sum(n for facet, _value, n in counts if facet == "status")  # every case has one status
    undecided = sum(n for facet, value, n in counts if facet == "outcome" and value == "")
    return {
        "cases": cases,
        "countries": sum(1 for facet, _value, _n in counts if facet == "country"),
        "decided": cases - undecided,
    }


FACETS = (
    "country",
    "technology",
    "ground",
    "court_level",
    "status",
    "outcome",
    "year",
    "party",
    "system",
    "vendor",
    "operator",
)
# Facets whose summary values are record ids, shown by the record's slug and names.
NAMED = {
    "technology": Technology,
    "ground": LegalGround,
    "party": Party,
    "system": System,
    "vendor": Vendor,
    "operator": Party,
}


class _AnyOf(Func):
    """`field = ANY(array)`: one parameter however many ids, which PostgreSQL looks up in a hash table."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def among(field, ids):
    """Return a filter for field being one of ids, passed as one array on PostgreSQL (a search may match 50,000).

    As a hashed array rather than `IN (subquery)`, the cases are checked while reading an index of all of
    them, instead of being looked up one by one.
    """
    if connection.vendor == "postgresql":
        # A raw parameter, which psycopg turns into an array at once: as a Value, Django would prepare each of
        # 60,000 ids in Python first (0.6 s, for each query that reads a search's matches).
        return _AnyOf(F(field), RawSQL("%s::bigint[]", (list(ids),), output_field=ArrayField(BigIntegerField())))
    return Q(**{f"{field}__in": ids})


# Single-valued facets, counted off the public cases' covering index (case_public_count_idx) when filtered.
CASE_COLUMNS = {
    "country": F("country"),
    "status": F("status"),
    "outcome": F("outcome"),
    "year": Cast(ExtractYear("filed_on"), CharField()),
}
CASE_LOOKUPS = {
    "country": "country__in",
    "status": "status__in",
    "outcome": "outcome__in",
    "year": "filed_on__year__in",
}


def _facet_scope(cases, where):
    """Return the published cases among cases (a queryset, a list of ids or None) with one of each where's values."""
    scope = Case.objects.public().order_by()
    if isinstance(cases, list):
        scope = scope.filter(among("pk", cases))
    elif cases is not None:
        scope = scope.filter(pk__in=cases.order_by().values("pk"))
    for other, wanted in (where or {}).items():
        if other in CASE_LOOKUPS:
            scope = scope.filter(**{CASE_LOOKUPS[other]: wanted})
        else:
            scope = scope.filter(pk__in=CaseFacet.objects.filter(facet=other, value__in=wanted).values("case_id"))
    return scope


def facet_count(cases, facet, *, limit=None, values=None, where=None):
    """Return [(value, row, count), ...] for one facet over published cases, read from the facet summary.

    `cases` are the published cases to count within, as a queryset or a list of ids (e.g. a search's matches,
    found once for every facet), or None for all of them; `where` maps other facets to the summary values a
    case must have one of (each facet narrows further). Counts are of distinct cases, highest first (years:
    newest first); only values with at least one case appear. `limit` keeps the top rows only; `values` counts
    just those values. Rows of named facets (NAMED) carry their slug as the value, and `name` and, where the
    record has one, `name_ru`.
    """
    if cases is None and not where:
        rows = FacetCount.objects.filter(facet=facet).values("value", n=F("cases"))
    elif facet in CASE_COLUMNS:
        rows = _facet_scope(cases, where).values(value=CASE_COLUMNS[facet]).annotate(n=Count("*"))
    else:
        scope = _facet_scope(cases, where).values("pk")
        rows = CaseFacet.objects.filter(facet=facet, case__in=scope).values("value").annotate(n=Count("*"))
    if values is not None:
        values = [str(value) for value in values]
        rows = rows.filter(value__in=_summary_values(facet, values) if facet in NAMED else values)
    rows = rows.exclude(value="").exclude(value=None).order_by(*(["-value"] if facet == "year" else ["-n", "value"]))
    rows = list(rows[:limit] if limit else rows)
    if facet == "year":
        return [(int(row["value"]), row, row["n"]) for row in rows]
    if facet in NAMED:
        return _named_rows(NAMED[facet], rows)
    return [(row["value"], row, row["n"]) for row in rows]


def _summary_values(facet, slugs):
    return [str(pk) for pk in NAMED[facet].objects.filter(slug__in=slugs).values_list("pk", flat=True)]


def _name_fields(model):
    # Vendors and systems go by one name in every language.
    bilingual = any(field.name == "name_ru" for field in model._meta.fields)
    return ["pk", "slug", "name", *(["name_ru"] if bilingual else [])]


def _named_rows(model, rows):
    names = {
        str(obj["pk"]): obj
        for obj in model.objects.filter(pk__in=[row["value"] for row in rows]).values(*_name_fields(model))
    }
    return [
        (names[row["value"]]["slug"], {**names[row["value"]], "n": row["n"]}, row["n"])
        for row in rows
        if row["value"] in names
    ]


def summary_values(facet, values):
    """Return the facet summary's values for filter values: record ids for named facets, else the values."""
    if facet in NAMED:
        return [str(value.pk) if hasattr(value, "pk") else value for value in values]
    return [str(value) for value in values]


def public_stats():
    """Return the numbers behind /stats/: by year and outcome, by technology, by country."""
    counts = FacetCount.objects.filter(facet__in=["year_outcome", "technology", "country"]).order_by("-cases", "value")
    by_year_outcome, by_technology, by_country = [], {}, []
    for count in counts:
        if count.facet == "year_outcome":
            year, outcome = count.value.split(":", 1)
            by_year_outcome.append({"year": int(year), "outcome": outcome, "n": count.cases})
        elif count.facet == "technology":
            by_technology[int(count.value)] = count.cases
        else:
            by_country.append({"country": count.value, "n": count.cases})
    technologies = Technology.objects.in_bulk(by_technology)
    for pk, technology in technologies.items():
        technology.n = by_technology[pk]
    return {
        "by_year_outcome": sorted(by_year_outcome, key=lambda row: (row["year"], row["outcome"])),
        "by_technology": sorted(technologies.values(), key=lambda technology: (-technology.n, technology.name)),
        "by_country": by_country,
    }


def public_document_pages():
    """Return the pages of public documents' text, which public search may match and quote."""
    return DocumentPage.objects.public()


def public_document_texts():
    """Return the read texts of public documents, with their filing or decision and case, oldest first."""
    return (
        DocumentText.objects.public()
        .filter(status=DocumentText.Status.DONE)
        .select_related("filing__proceeding__case", "decision__proceeding__case")
        .order_by("pk")
    )


def public_document_text(kind, pk):
    """Return the read text of a public filing's or decision's document, pages prefetched, or raise Http404."""
    if kind not in ("filing", "decision"):
        raise Http404("No such kind of document.")
    text = public_document_texts().filter(**{kind: pk}).prefetch_related("pages").first()
    if text is None:
        raise Http404("No such document text.")
    return text


def public_case_items(kind):
    """Return the public filings, hearings or decisions (kind "filing", "hearing", "decision") of published cases."""
    return {"filing": Filing, "hearing": Hearing, "decision": Decision}[kind].objects.public()


# A vendor, system or deployment is public when a published case challenges it (a system also through one of its
# deployments, a vendor through one of its systems), or when an editor published it on its own.


def public_challenges():
    """Return what published cases challenge, with their case, system, vendor and operator loaded."""
    return _challenges().filter(case__in=Case.objects.public().values("pk")).select_related("case")


def public_deployments():
    """Return deployments challenged in a published case or published on their own."""
    challenged = Challenge.objects.filter(case__in=Case.objects.public().values("pk")).values("deployment_id")
    return Deployment.objects.filter(Q(is_published=True) | Q(pk__in=challenged))


def public_map_deployments(cases=None):
    """Return public deployments with a city and coordinates, system and operator loaded, by country and city.

    `cases` (public cases, e.g. the list's filtered ones) keeps only the deployments they challenge; None keeps all.
    """
    deployments = public_deployments().exclude(city="").filter(latitude__isnull=False, longitude__isnull=False)
    if cases is not None:
        # Only published cases' challenges count, even if the caller's cases were not all public.
        challenged = Challenge.objects.filter(case__in=Case.objects.public().values("pk")).filter(
            case__in=cases.order_by().values("pk")
        )
        deployments = deployments.filter(pk__in=challenged.values("deployment_id"))
    return deployments.select_related("system", "operator").order_by("country", "city", "system__name", "pk")


def public_systems():
    """Return systems challenged in a published case (themselves or a deployment), or published on their own."""
    challenged = Challenge.objects.filter(case__in=Case.objects.public().values("pk")).values("system_id")
    return System.objects.filter(
        Q(is_published=True) | Q(pk__in=challenged) | Q(pk__in=public_deployments().values("system_id"))
    )


def public_vendors():
    """Return vendors of public systems, and vendors published on their own."""
    return Vendor.objects.filter(Q(is_published=True) | Q(pk__in=public_systems().values("vendor_id")))


def public_operators():
    """Return the parties that operate a public deployment."""
    return Party.objects.filter(pk__in=public_deployments().values("operator_id"))


def public_vendor(slug):
    """Return a public vendor with its public systems prefetched (`public_systems`), or raise Http404."""
    systems = Prefetch("systems", queryset=public_systems().order_by("name"), to_attr="public_systems")
    return _get_or_404(public_vendors().prefetch_related(systems), slug)


def public_system(slug):
    """Return a public system with its vendor (public with it), technologies and public deployments, or 404."""
    deployments = Prefetch(
        "deployments",
        queryset=public_deployments().select_related("operator").order_by("country", "city", "pk"),
        to_attr="public_deployments",
    )
    return _get_or_404(public_systems().select_related("vendor").prefetch_related("technologies", deployments), slug)


def public_deployment(slug):
    """Return a public deployment with its system (always public with it) and operator, or raise Http404."""
    return _get_or_404(public_deployments().select_related("system__vendor", "operator"), slug)


def public_system_challenges(system):
    """Return what published cases challenge of a system, itself or one of its deployments, oldest case first."""
    return (
        public_challenges()
        .filter(Q(system=system) | Q(deployment__system=system))
        .order_by(F("case__filed_on").asc(nulls_last=True), "case__title", "pk")
    )


def public_deployment_challenges(deployment):
    """Return what published cases challenge of a deployment, oldest case first."""
    return (
        public_challenges()
        .filter(deployment=deployment)
        .order_by(F("case__filed_on").asc(nulls_last=True), "case__title", "pk")
    )


def public_vendor_challenges(vendor):
    """Return what published cases challenge of a vendor's systems, oldest case first."""
    return (
        public_challenges()
        .filter(Q(system__vendor=vendor) | Q(deployment__system__vendor=vendor))
        .order_by(F("case__filed_on").asc(nulls_last=True), "case__title", "pk")
    )


@dataclass(frozen=True)
class SystemEvent:
    """One dated event in a system's story: a deployment starting or ending, a case filed, a remedy."""

    date: datetime.date
    kind: str  # "deployment_started", "deployment_ended", "case_filed" or "remedy"
    label: str
    url: str


def system_timeline(deployments, challenges):
    """Return the dated events of public deployments and challenges (with remedies), oldest first."""
    events = []
    for deployment in deployments:
        place, url = deployment.place, deployment.get_absolute_url()
        if deployment.started_on:
            events.append(SystemEvent(deployment.started_on, "deployment_started", place, url))
        if deployment.ended_on:
            events.append(SystemEvent(deployment.ended_on, "deployment_ended", place, url))
    for challenge in challenges:
        case = challenge.case
        title, url = case.display_title, case.get_absolute_url()
        if case.filed_on:
            events.append(SystemEvent(case.filed_on, "case_filed", title, url))
        events += [
            SystemEvent(remedy.date, "remedy", f"{remedy.get_kind_display()}: {title}", url)
            for remedy in challenge.remedies.all()
        ]
    return sorted(events, key=lambda event: (event.date, event.kind, event.label))
