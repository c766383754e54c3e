"""Case records: the one representation of a public case that the API, the exports and the open-data dump share.

A record is built from `values()` rows of the published-only querysets `selectors.public_record_rows()` hands
out, a chunk of cases at a time in a few queries (lists come as arrays PostgreSQL builds with their parent
rows): no model instances and no serializer fields, which cost many times more than the data. The output is
exactly what `CaseSerializer`, kept as the API's schema, would give (tests/test_records.py holds them equal).
"""

import contextlib
import functools
import gc
import itertools
import json
import operator
from collections import defaultdict

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone
from django_countries import countries

from . import selectors

CHUNK_SIZE = 500
# Every field of a record, in its order; CaseSerializer.Meta.fields is the same list.
FIELDS = [
    "slug",
    "url",
    "title",
    "title_ru",
    "original_title",
    "summary",
    "summary_ru",
    "description",
    "country",
    "status",
    "outcome",
    "filed_on",
    "last_activity_on",
    "published_at",
    "technologies",
    "grounds",
    "parties",
    "proceedings",
    "links",
    "related_cases",
    "challenges",
]
# Columns of the case row itself; the rest of a record comes from related tables.
CASE_COLUMNS = [
    "title_ru",
    "original_title",
    "summary",
    "summary_ru",
    "description",
    "country",
    "status",
    "outcome",
    "filed_on",
    "last_activity_on",
]
# Always read: the record's key and what the API's cursor may order by.
KEY_COLUMNS = ["id", "slug", "title", "published_at"]
PARTY_COLUMNS = ["slug", "name", "name_ru", "kind", "country", "website", "description"]
COURT_COLUMNS = ["slug", "name", "name_ru", "country", "level", "timezone"]
# Read in a query of their own per chunk; the rest comes with the case rows.
RELATED = ("parties", "proceedings", "challenges")
# Lists that come with the case rows as arrays, under their name and ARRAY.
ARRAYS = ("technologies", "grounds", "related_cases", "links")
ARRAY = "_array"
SLUG = "slug-placeholder"
NUMBER = 987654321


def case_rows(cases, fields=None):
    """Return cases (a queryset of public cases) as values() rows holding what records of fields need.

    Lists of slugs and of links come with each row, as arrays the database builds.
    """
    fields = FIELDS if fields is None else fields
    sources = selectors.public_record_rows()
    columns = [name for name in CASE_COLUMNS if name in fields]
    arrays = {
        "technologies": _array(sources["technologies"], "technology__slug", "technology__name"),
        "grounds": _array(sources["grounds"], "legalground__slug", "legalground__name"),
        "related_cases": _array(sources["related_cases"], "to_case__slug", "to_case__title", key="from_case_id"),
        "links": _array(
            sources["links"],
            JSONObject(kind="kind", title="title", url="url", published_on="published_on"),
            "-published_on",
            "title",
        ),
    }
    # Named apart from the model's relations of the same names.
    arrays = {f"{name}{ARRAY}": array for name, array in arrays.items() if name in fields}
    return cases.prefetch_related(None).values(*KEY_COLUMNS, *columns, **arrays)


def _array(rows, value, *order, key="case_id"):
    """Return an array of value (a column or a JSON object) of rows of the outer row, in order, for values()."""
    rows = rows.filter(**{key: OuterRef("pk")}).order_by(*order)
    column = isinstance(value, str)
    return ListSubquery(rows.values(item=F(value) if column else value), objects=not column)


class ListSubquery(ArraySubquery):
    """The single column `item` of a subquery's rows as a list: PostgreSQL's ARRAY(), SQLite's JSON array.

    `objects` says the items are JSON objects (JSONObject), which SQLite must parse to nest.
    """

    def __init__(self, queryset, *, objects=False):
        super().__init__(queryset)
        self.objects = objects

    def as_sqlite(self, compiler, connection):
        sql, params = self.query.as_sql(compiler, connection)
        item = 'json("item")' if self.objects else '"item"'
        return f"(SELECT json_group_array({item}) FROM ({sql}))", params

    def get_db_converters(self, connection):
        if connection.vendor == "sqlite":
            return [lambda value, expression, connection: json.loads(value)]
        return super().get_db_converters(connection)


def case_records(cases, *, base_url=None, fields=None):
    """Yield the record of each case in cases (a public queryset), in its order, reading CHUNK_SIZE at a time.

    base_url (default settings.SITE_URL) starts every link; fields (None for all) limits the record to those.
    """
    rows = case_rows(cases, fields).iterator(chunk_size=CHUNK_SIZE)
    return records_of_rows(rows, base_url=base_url, fields=fields)


def records_of_rows(rows, *, base_url=None, fields=None):
    """Yield the record of each case row (from case_rows) in rows, reading related rows CHUNK_SIZE cases at a time."""
    links = Links(settings.SITE_URL if base_url is None else base_url)
    # The slugs of the public courts proceedings appeal to, by id (None: not public), looked up once a pass.
    courts = {}
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
        with _collector_paused():
            records = list(_Chunk(chunk, links, fields, courts).records())
        yield from records


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cycle collector while a chunk's records are built.

    Records hold no reference cycles, but the tens of thousands of dicts and lists of a chunk set the collector
    going again and again over everything alive: a quarter of the time it took to build them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Links:
    """Absolute addresses of public pages, reversed once per kind rather than once per record."""

    def __init__(self, base):
        self.base = base
        # Reversed in the active language, as the serializers did: Russian pages live under /ru/.
        self._case = self._split(reverse("cases:case_detail", args=[SLUG]), SLUG)
        self._party = self._split(reverse("cases:party_detail", args=[SLUG]), SLUG)
        self._court = self._split(reverse("cases:court_detail", args=[SLUG]), SLUG)
        self._document = {
            kind: self._split(reverse("cases:document_download", args=[kind, NUMBER]), str(NUMBER))
            for kind in ("filing", "decision")
        }

    def _split(self, path, placeholder):
        before, after = path.split(placeholder)
        return self.base + before, after

    def case(self, slug):
        return f"{self._case[0]}{slug}{self._case[1]}"

    def party(self, slug):
        return f"{self._party[0]}{slug}{self._party[1]}"

    def court(self, slug):
        return f"{self._court[0]}{slug}{self._court[1]}"

    def document(self, kind, pk):
        before, after = self._document[kind]
        return f"{before}{pk}{after}"


def _date(value):
    return value.isoformat() if value else None


def _datetime(value, zone):
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


@functools.lru_cache(maxsize=512)
def _country(code):
    # As django-countries' serializer field: the canonical alpha-2 code, "" for none or an unknown one.
    return countries.alpha2(code) if code else ""


# A party's columns in a row, read as one tuple, by the prefix they have there.
_PARTY_VALUES = {
    prefix: operator.itemgetter(*(f"{prefix}{name}" for name in PARTY_COLUMNS))
    for prefix in ("party__", "organisation__")
}


class _Chunk:
    """The records of a chunk of case rows: a query or two for each of parties, proceedings and challenges asked."""

    def __init__(self, rows, links, fields, courts):
        self.rows = rows
        self.links = links
        self.courts = courts
        # Who filed what: {participation id: {party, role}}, from the parties read or read for the filings.
        self.filers = {}
        self.fields = FIELDS if fields is None else [name for name in FIELDS if name in fields]
        self.zone = timezone.get_current_timezone()
        self.ids = [row["id"] for row in rows]
        self.sources = selectors.public_record_rows()

    def records(self):
        related = {name: getattr(self, f"_{name}")() for name in self.fields if name in RELATED}
        # How to read each field off a case row, chosen once a chunk rather than once a record.
        readers = [(name, self._reader(name, related)) for name in self.fields]
        for row in self.rows:
            yield {name: read(row) for name, read in readers}

    def _reader(self, name, related):
        """Return a function of a case row giving the record's value of the field name."""
        if name in related:
            return lambda row: related[name].get(row["id"], [])
        if name == "url":
            return lambda row: self.links.case(row["slug"])
        if name == "country":
            return lambda row: _country(row["country"])
        if name in ("filed_on", "last_activity_on"):
            return lambda row: _date(row[name])
        if name == "published_at":
            return lambda row: _datetime(row[name], self.zone)
        if name == "links":
            # JSON objects keep no key order; dates in them are already ISO text.
            keys = ("kind", "title", "url", "published_on")
            return lambda row: [{key: link[key] for key in keys} for link in row[f"links{ARRAY}"]]
        return operator.itemgetter(f"{name}{ARRAY}" if name in ARRAYS else name)

    def _rows(self, source, field="case_id", ids=None):
        ids = self.ids if ids is None else ids
        if not ids:
            return self.sources[source].none()  # no query
        # One array parameter rather than a placeholder per id: Django and psycopg prepared thousands of ids a
        # chunk one by one, a third of the time it took to build the records.
        return self.sources[source].filter(selectors.among(field, ids))

    def _of_proceedings(self, source, proceeding_ids):
        # Naming the cases too lets PostgreSQL reach the proceedings by index: with their ids alone it misjudges
        # the join that checks the case is published, and scans every proceeding (40 ms at 100,000 cases).
        return self._rows(source, "proceeding_id", proceeding_ids).filter(
            selectors.among("proceeding__case_id", self.ids)
        )

    def _party(self, row, prefix):
        slug, name, name_ru, kind, country, website, description = _PARTY_VALUES[prefix](row)
        if slug is None:
            return None
        return {
            "slug": slug,
            "name": name,
            "name_ru": name_ru,
            "kind": kind,
            "country": _country(country),
            "website": website,
            "description": description,
            "url": self.links.party(slug),
        }

    def _parties(self):
        parties = [f"party__{name}" for name in PARTY_COLUMNS]
        organisations = {f"organisation__{name}": f"organisation__{name}" for name in PARTY_COLUMNS}
        counsel = _array(
            self.sources["counsel"], JSONObject(name="name", **organisations), "name", "pk", key="participation_id"
        )
        # Ordered as the models order them, and by key among equals (two parties of one name), so a record
        # does not change with the query plan.
        participations = self._rows("participations").order_by("role", "party__name", "pk")
        # Naming the parties too keeps PostgreSQL from reading every party to join a few hundred of them.
        rows = participations.filter(party__in=participations.values("party_id")).values(
            "id", "case_id", "role", "note", *parties, counsel_array=counsel
        )
        groups = defaultdict(list)
        for row in rows:
            self.filers[row["id"]] = {"party": row["party__slug"], "role": row["role"]}
            groups[row["case_id"]].append(
                {
                    "role": row["role"],
                    "note": row["note"],
                    "party": self._party(row, "party__"),
                    "counsel": [
                        {"name": lawyer["name"], "organisation": self._party(lawyer, "organisation__")}
                        for lawyer in row["counsel_array"]
                    ],
                }
            )
        return groups

    def _proceedings(self):
        columns = [f"court__{name}" for name in COURT_COLUMNS]
        proceedings = list(
            self._rows("proceedings")
            .order_by(F("started_on").asc(nulls_last=True), "pk")
            .values(
                "id",
                "case_id",
                "docket_number",
                "started_on",
                "ended_on",
                "judges",
                "appeals_from_id",
                *columns,
                "court__appeals_to_id",
                numbers_array=_array(
                    self.sources["numbers"], JSONObject(scheme="scheme", value="value"), "pk", key="proceeding_id"
                ),
            )
        )
        ids = [row["id"] for row in proceedings]
        self._find_courts({row["court__appeals_to_id"] for row in proceedings} - {None})
        filings = self._filings(ids)
        hearings = self._hearings(ids)
        decisions = self._decisions(ids)
        groups = defaultdict(list)
        for row in proceedings:
            pk = row["id"]
            groups[row["case_id"]].append(
                {
                    "id": pk,
                    "court": {
                        "slug": row["court__slug"],
                        "name": row["court__name"],
                        "name_ru": row["court__name_ru"],
                        "country": _country(row["court__country"]),
                        "level": row["court__level"],
                        "timezone": row["court__timezone"],
                        "appeals_to": self.courts.get(row["court__appeals_to_id"]),
                        "url": self.links.court(row["court__slug"]),
                    },
                    "docket_number": row["docket_number"],
                    "other_numbers": [
                        {"scheme": number["scheme"], "value": number["value"]} for number in row["numbers_array"]
                    ],
                    "started_on": _date(row["started_on"]),
                    "ended_on": _date(row["ended_on"]),
                    "judges": row["judges"],
                    "appeals_from": row["appeals_from_id"],
                    "filings": filings.get(pk, []),
                    "hearings": hearings.get(pk, []),
                    "decisions": decisions.get(pk, []),
                }
            )
        return groups

    def _find_courts(self, ids):
        """Note the slugs of the courts of ids that are public, None for the rest, unless noted already."""
        if unknown := list(ids - self.courts.keys()):
            # A court only drafts use stays unknown, even as the target of a public court's appeals.
            found = dict(self._rows("courts", "pk", unknown).order_by().values_list("pk", "slug"))
            self.courts.update({pk: found.get(pk) for pk in unknown})

    def _find_filers(self, ids):
        """Note the party and role of the participations of ids, unless the parties read noted them already."""
        if unknown := list(ids - self.filers.keys()):
            rows = self._rows("participations", "pk", unknown).values_list("pk", "party__slug", "role")
            self.filers.update({pk: {"party": party, "role": role} for pk, party, role in rows})

    def _filings(self, proceeding_ids):
        rows = (
            self._of_proceedings("filings", proceeding_ids)
            .order_by("filed_on", "pk")
            .values_list(
                "id",
                "proceeding_id",
                "filed_on",
                "kind",
                "title",
                "description",
                "filed_by_id",
                "document",
            )
        )
        # Filers come from the parties read: joining every filing to its participation and party cost PostgreSQL
        # two index lookups a filing, ten filings a case.
        rows = list(rows)
        self._find_filers({row[6] for row in rows} - {None})
        groups = defaultdict(list)
        # Tuples rather than values() dicts: ten filings a case, the commonest rows of a record.
        for pk, proceeding_id, filed_on, kind, title, description, filed_by, document in rows:
            groups[proceeding_id].append(
                {
                    "id": pk,
                    "filed_on": _date(filed_on),
                    "kind": kind,
                    "title": title,
                    "description": description,
                    "filed_by": self.filers[filed_by] if filed_by else None,
                    "document_url": self.links.document("filing", pk) if document else None,
                }
            )
        return groups

    def _hearings(self, proceeding_ids):
        rows = (
            self._of_proceedings("hearings", proceeding_ids)
            .order_by("starts_at", "pk")
            .values("id", "proceeding_id", "starts_at", "timezone", "place", "summary")
        )
        groups = defaultdict(list)
        for row in rows:
            groups[row["proceeding_id"]].append(
                {
                    "id": row["id"],
                    "starts_at": _datetime(row["starts_at"], self.zone),
                    "timezone": row["timezone"],
                    "place": row["place"],
                    "summary": row["summary"],
                }
            )
        return groups

    def _decisions(self, proceeding_ids):
        identifiers = _array(
            self.sources["identifiers"],
            JSONObject(scheme="scheme", value="value"),
            "scheme",
            "value",
            key="decision_id",
        )
        rows = (
            self._of_proceedings("decisions", proceeding_ids)
            .order_by("announced_on", "pk")
            .values(
                "id",
                "proceeding_id",
                "announced_on",
                "final_form_on",
                "result",
                "summary",
                "is_final",
                "document",
                identifiers_array=identifiers,
            )
        )
        groups = defaultdict(list)
        for row in rows:
            groups[row["proceeding_id"]].append(
                {
                    "id": row["id"],
                    "announced_on": _date(row["announced_on"]),
                    "final_form_on": _date(row["final_form_on"]),
                    "result": row["result"],
                    "summary": row["summary"],
                    "is_final": row["is_final"],
                    "identifiers": [
                        {"scheme": identifier["scheme"], "value": identifier["value"]}
                        for identifier in row["identifiers_array"]
                    ],
                    "document_url": self.links.document("decision", row["id"]) if row["document"] else None,
                }
            )
        return groups

    def _challenges(self):
        remedies = _array(
            self.sources["remedies"],
            JSONObject(kind="kind", date="date", source_url="source_url", public_note="public_note"),
            "date",
            "pk",
            key="challenge_id",
        )
        challenges = self._rows("challenges").values(
            "case_id",
            "claim",
            "deployment_id",
            "deployment__slug",
            "deployment__system__slug",
            "system__slug",
            remedies_array=remedies,
        )
        groups = defaultdict(list)
        for row in challenges:
            # The system challenged, directly or through its deployment.
            system = row["deployment__system__slug"] if row["deployment_id"] else row["system__slug"]
            groups[row["case_id"]].append(
                {
                    "system": system,
                    "deployment": row["deployment__slug"],
                    "claim": row["claim"],
                    "remedies": [
                        {key: remedy[key] for key in ("kind", "date", "source_url", "public_note")}
                        for remedy in row["remedies_array"]
                    ],
                }
            )
        return groups
