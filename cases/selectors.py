"""Public reads: the only way pages, feeds, the API, exports and emails get case data.

Everything here is built on the `.public()` querysets, so a draft case, a confidential
filing or a private hearing can never be returned. A non-public record raises the same
Http404 as a missing one.
"""

import datetime
import heapq
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Expression,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.lookups import IsNull
from django.http import Http404
from django.utils.translation import gettext

from .models import (
    Case,
    CaseFacets,
    CaseLink,
    Challenge,
    Counsel,
    Court,
    Decision,
    DecisionIdentifier,
    Deployment,
    FacetCount,
    FacetPair,
    Filing,
    Hearing,
    LegalGround,
    Participation,
    Party,
    ProceedingNumber,
    Remedy,
    System,
    Technology,
    Vendor,
)
from .models.documents import DocumentPage, DocumentText
from .models.facets import facet_key
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


def public_record_rows():
    """Return {relation: queryset} of the published-only rows a case record shows; cases.records reads their values.

    Rows are asked for by the ids of public cases (and of the public proceedings, decisions and challenges
    read from these), so only what hangs off a published case is read; filings, hearings, decisions and
    related cases carry their own public scope, and a remedy's private note is never asked for.
    """
    return {
        "technologies": Case.technologies.through.objects.all(),
        "grounds": Case.grounds.through.objects.all(),
        "related_cases": Case.related_cases.through.objects.filter(to_case__in=Case.objects.public()),
        "links": CaseLink.objects.all(),
        "participations": Participation.objects.all(),
        "counsel": Counsel.objects.all(),
        "proceedings": Proceeding.objects.public(),
        "courts": public_courts(),
        "numbers": ProceedingNumber.objects.all(),
        "filings": Filing.objects.public(),
        "hearings": Hearing.objects.public(),
        "decisions": Decision.objects.public(),
        "identifiers": DecisionIdentifier.objects.all(),
        "challenges": Challenge.objects.all(),
        "remedies": Remedy.objects.all(),
    }


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


def _in_public_case(links, case="case"):
    """Return a filter for records with one of links (a queryset on OuterRef("pk")) in a published case.

    A subquery for the first such link, rather than EXISTS or a join: PostgreSQL turns EXISTS into a join that
    hashes every link of the record (25,000 for a common technology at 100,000 cases) before it looks for a
    published one, but plans a LIMIT 1 subquery to stop at the first it finds.
    """
    public = links.filter(**{f"{case}__in": Case.objects.public().values("pk")})
    return IsNull(Subquery(public.order_by().values("pk")[:1]), False)  # any link will do: no sort


def public_parties():
    """Return parties that take part in, or act as counsel in, a published case."""
    return Party.objects.filter(
        _in_public_case(Participation.objects.filter(party=OuterRef("pk")))
        | _in_public_case(Counsel.objects.filter(organisation=OuterRef("pk")), case="participation__case")
    )


def public_courts():
    """Return courts that hear a published case."""
    return Court.objects.filter(_in_public_case(Proceeding.objects.filter(court=OuterRef("pk"))))


def with_public_appeals_to(lookup="appeals_to"):
    """Return a prefetch of the court a court appeals to that leaves it None unless that court is public.

    A court only drafts use stays unknown, even as the target of a public court's appeals.
    """
    return Prefetch(lookup, queryset=public_courts())


def public_technologies():
    """Return technologies challenged in a published case."""
    return Technology.objects.filter(
        _in_public_case(Case.technologies.through.objects.filter(technology=OuterRef("pk")))
    )


def public_grounds():
    """Return rights and legal grounds at issue in a published case."""
    return LegalGround.objects.filter(_in_public_case(Case.grounds.through.objects.filter(legalground=OuterRef("pk"))))


def _get_or_404(queryset, slug):
    try:
        return queryset.get(slug=slug)
    except queryset.model.DoesNotExist:
        raise Http404("Not found.") from None


def public_party(slug):
    """Return a party that appears in a published case, or raise Http404."""
    return _get_or_404(public_parties(), slug)


def summary_case_count(facet=None, value=None):
    """Return how many published cases the facet summary counts, or None if none: all of them, or those with a
    facet's summary value (e.g. a technology's id; see summary_values).

    None also when the summary is not built: callers then count the cases themselves.
    """
    if facet is None:
        counts = FacetCount.objects.filter(facet="status")  # every case has one status
    else:
        counts = FacetCount.objects.filter(facet=facet, value=str(value))
    return counts.aggregate(n=Sum("cases"))["n"]


def public_party_cases(party):
    """Return a party's published cases, where it takes part or acts as counsel, in the list's order."""
    cases = Q(pk__in=Participation.objects.filter(party=party).values("case_id"))
    # Counsel's cases only when there are any (few parties act as counsel): ORed into the query, they make
    # PostgreSQL hash every case of a party in many (20-40 ms) and walk every case for a party in one (200 ms),
    # where the participations alone are one join it plans by how many cases the party is in.
    counsel = Counsel.objects.filter(organisation=party)
    if counsel.exists():
        cases |= Q(pk__in=counsel.values("participation__case_id"))
    return public_cases().filter(cases)


def public_party_case_count(party):
    """Return how many cases public_party_cases(party) holds, from the facet summary, or None if it cannot tell."""
    if Counsel.objects.filter(organisation=party).exists():
        return None  # the summary counts the cases a party takes part in, not those it acts as counsel in
    return summary_case_count("party", party.pk)


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


def public_technology_cases(technology):
    """Return the published cases that challenge a technology, in the list's order."""
    return public_cases().filter(
        pk__in=Case.technologies.through.objects.filter(technology=technology).values("case_id")
    )


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


class _IdArray(Expression):
    """ids as one raw parameter, the array's text, made only if a statement is compiled with it.

    As a Value, Django would prepare each of 60,000 ids in Python first (0.6 s), and as a list psycopg's
    client-side binding would quote them one by one (70 ms), for each query that reads a search's matches; a
    filter built but never run costs nothing.
    """

    output_field = ArrayField(BigIntegerField())

    def __init__(self, ids):
        super().__init__()
        self.ids = ids

    def as_sql(self, compiler, connection):
        # int() keeps the text to digits and commas.
        return "%s::bigint[]", ("{" + ",".join(str(int(pk)) for pk in self.ids) + "}",)


def among(field, ids):
    """Return a filter for field being one of ids, passed as one array on PostgreSQL (a search may match 50,000).

    As a hashed array rather than `IN (subquery)`, the cases are checked while reading an index of all of
    them, instead of being looked up one by one.
    """
    if connection.vendor == "postgresql":
        return _AnyOf(F(field), _IdArray(ids))
    return Q(**{f"{field}__in": ids})


def _facet_scope(cases, where):
    """Return (rows, scale): the facet rows of the published cases among cases (a queryset, a list of ids or
    None) that have one of each where's values, and how many cases each row stands for.

    Only published cases have facet rows, so the case table is not read at all. A list of more than
    settings.FACET_SAMPLE_CASES ids is sampled evenly, every scale-th of them in id order: counting the facet
    values of a common word's matches (half the cases) would take most of a second.
    """
    scope, scale, sample = CaseFacets.objects.all(), 1, settings.FACET_SAMPLE_CASES
    if isinstance(cases, list):
        if len(cases) > sample:
            scale = len(cases) / sample
            cases = sorted(cases)
            cases = [cases[int(i * scale)] for i in range(sample)]
        scope = scope.filter(among("case_id", cases))
    elif cases is not None:
        scope = scope.filter(case__in=cases.order_by().values("pk"))
    for other, wanted in (where or {}).items():
        scope = scope.filter(keys__has_any_keys=[facet_key(other, value) for value in wanted])
    return scope, scale


def _estimate(n, scale):
    """Return a sample's count n scaled up to the whole, to two significant figures: no more precise than it is."""
    if scale == 1:
        return n
    estimate = round(n * scale)
    return round(estimate, 2 - len(str(estimate))) if estimate >= 100 else estimate


# The keys of a case's JSON object of facet values as rows of one column, t.key, on each database.
_KEYS_OF = {"postgresql": 'jsonb_object_keys(s."keys") AS t(key)', "sqlite": 'json_each(s."keys") AS t'}


def count_facet_keys(rows, *, keys=None, limit=None, blank=False):
    """Return [(facet, value, count), ...] of the facet values in CaseFacets rows (a queryset), in one pass.

    Each facet's values come together, by count then value (years: newest first); values with no cases are left
    out, and so are empty ones (an undecided case's outcome) unless `blank`. `keys` counts just those
    "facet:value" keys; `limit` keeps each facet's top ones.
    """
    if keys is not None and not keys:
        return []
    try:
        scope, params = rows.order_by().values("keys").query.sql_with_params()
    except EmptyResultSet:  # rows that can match nothing, e.g. among no case ids
        return []
    only = f"WHERE t.key IN ({', '.join(['%s'] * len(keys))})" if keys is not None else ""
    filled = "" if blank else "HAVING t.key NOT LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.key, COUNT(*) FROM ({scope}) s, {_KEYS_OF[connection.vendor]} {only} GROUP BY t.key {filled}",
            (*params, *(keys or []), *([] if blank else ["%:"])),
        )
        by_facet = {}
        for key, n in cursor.fetchall():
            facet, value = key.split(":", 1)
            by_facet.setdefault(facet, []).append((value, n))
    # Picked here rather than ranked in SQL: sorting every party of 25,000 cases there cost more than the count.
    return [(facet, value, n) for facet, found in by_facet.items() for value, n in _top(facet, found, limit)]


def _top(facet, rows, limit):
    """Return the (value, count) rows of a facet in the list's order, the first `limit` of them if given."""
    if facet == "year":  # newest first
        return heapq.nlargest(limit, rows) if limit else sorted(rows, reverse=True)
    return heapq.nsmallest(limit, rows, key=_by_count) if limit else sorted(rows, key=_by_count)


def _by_count(row):
    value, n = row
    return -n, value


def facet_counts(cases, facets, *, limit=None, where=None):
    """Return {facet: [(value, row, count), ...]} for each of facets over published cases, as facet_count().

    Counted together, in one pass over the cases' facet rows, when no precomputed counts answer.
    """
    precounted = _precounted(cases, where)
    if precounted is not None:
        return {facet: _facet_rows(facet, _top_counts(precounted, facet, limit)) for facet in facets}
    rows = {facet: [] for facet in facets}
    scope, scale = _facet_scope(cases, where)
    for facet, value, n in count_facet_keys(scope, limit=limit):
        if facet in rows:
            rows[facet].append({"value": value, "n": _estimate(n, scale)})
    return {facet: _facet_rows(facet, found) for facet, found in rows.items()}


def facet_count(cases, facet, *, limit=None, values=None, where=None):
    """Return [(value, row, count), ...] for one facet over published cases, read from the facet summary.

    `cases` are the published cases to count within, as a queryset or a list of ids (e.g. a search's matches,
    found once for every facet), or None for all of them; `where` maps other facets to the summary values a
    case must have one of (each facet narrows further). Counts are of distinct cases, highest first (years:
    newest first); only values with at least one case appear. `limit` keeps the top rows only; `values` counts
    just those values. Rows of named facets (NAMED) carry their slug as the value, and `name` and, where the
    record has one, `name_ru`. Counts within a list of more than FACET_SAMPLE_CASES ids are estimates.
    """
    if values is not None:
        values = [str(value) for value in values]
        values = _summary_values(facet, values) if facet in NAMED else values
    precounted = _precounted(cases, where)
    if precounted is not None:
        return _facet_rows(facet, _top_counts(precounted, facet, limit, values))
    keys = None if values is None else [facet_key(facet, value) for value in values]
    scope, scale = _facet_scope(cases, where)
    counted = count_facet_keys(scope, keys=keys, limit=limit)
    return _facet_rows(
        facet, [{"value": value, "n": _estimate(n, scale)} for found, value, n in counted if found == facet]
    )


def _precounted(cases, where):
    """Return the precomputed counts (FacetCount or FacetPair rows) that answer for cases and where, or None.

    They answer for every published case (no cases, no where) and for the cases with one value of one facet
    when that value has pair counts; anything narrower is counted from the cases' facet rows.
    """
    if cases is None and not where:
        return FacetCount.objects.all()
    if cases is not None or len(where) != 1:
        return None
    [(facet, values)] = where.items()
    if len(values) != 1:
        return None
    paired = FacetCount.objects.paired().filter(facet=facet, value=values[0]).exists()
    return FacetPair.objects.filter(key=facet_key(facet, values[0])) if paired else None


def _top_counts(precounted, facet, limit, values=None):
    """Return [{value, n}, ...] of a facet from precomputed counts, in the list's order, the top `limit` if given."""
    rows = precounted.filter(facet=facet).exclude(value="").values("value", n=F("cases"))
    if values is not None:
        rows = rows.filter(value__in=values)
    rows = rows.order_by(*(["-value"] if facet == "year" else ["-n", "value"]))
    return list(rows[:limit] if limit else rows)


def _facet_rows(facet, rows):
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


def searchable_document_texts():
    """Return the read texts of public documents by their stored case and public state, which search maps to cases.

    Those are kept by every write that can change them (see DocumentTextQuerySet.refresh_placement); the public
    cases a search lists are still only those of public_cases().
    """
    return DocumentText.objects.filter(is_public=True, status=DocumentText.Status.DONE)


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
    """Return what published cases challenge, with their case (as lists show it), system, vendor and operator loaded."""
    return (
        _challenges()
        .filter(case__in=Case.objects.public().values("pk"))
        .select_related("case")
        .defer(*(f"case__{name}" for name in LIST_DEFERRED))  # 200 kB a page, then 65 kB
    )


def public_deployments():
    """Return deployments challenged in a published case or published on their own."""
    return Deployment.objects.filter(
        Q(is_published=True) | _in_public_case(Challenge.objects.filter(deployment=OuterRef("pk")))
    )


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
    return System.objects.filter(
        Q(is_published=True)
        | _in_public_case(Challenge.objects.filter(system=OuterRef("pk")))
        | Q(pk__in=Deployment.objects.filter(is_published=True).values("system_id"))
        | _in_public_case(Challenge.objects.filter(deployment__system=OuterRef("pk")))
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
