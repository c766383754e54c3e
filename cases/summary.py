"""The facet summary of published cases (CaseFacets, FacetCount, FacetPair): how it is built and kept current.

Facets of technologies, grounds, parties, systems, vendors and operators hold the record's id (a renamed slug
changes nothing here); "year_outcome" pairs the year filed with the outcome for /stats/. Drafts have no rows,
so nothing read from here can reveal one.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models.functions import Coalesce

from .models import Case, CaseFacets, Challenge, FacetCount, FacetPair, Participation
from .models.facets import UNPAIRED, facet_key
from .models.proceedings import Proceeding
from .selectors import count_facet_keys

BATCH = 2000
# The advisory lock key of the summary's counts (any number no other lock of the site uses).
COUNTS_LOCK = 7_201_301


def _values_by_case(case_ids):
    """Return {case id: {(facet, value), ...}} for the published cases among case_ids."""
    values = {}
    cases = Case.objects.public().filter(pk__in=case_ids).values_list("pk", "country", "status", "outcome", "filed_on")
    for pk, country, status, outcome, filed_on in cases:
        values[pk] = {("country", country), ("status", status), ("outcome", outcome)}
        if filed_on:
            values[pk] |= {("year", str(filed_on.year)), ("year_outcome", f"{filed_on.year}:{outcome}")}
    linked = [
        (
            "technology",
            Case.technologies.through.objects.filter(case__in=values).values_list("case_id", "technology_id"),
        ),
        ("ground", Case.grounds.through.objects.filter(case__in=values).values_list("case_id", "legalground_id")),
        ("court_level", Proceeding.objects.filter(case__in=values).values_list("case_id", "court__level")),
        ("party", Participation.objects.filter(case__in=values).values_list("case_id", "party_id")),
        ("system", _challenged(values).values_list("case_id", "target_system")),
        ("vendor", _challenged(values).filter(target_vendor__isnull=False).values_list("case_id", "target_vendor")),
        ("operator", _challenged(values).exclude(deployment=None).values_list("case_id", "deployment__operator")),
    ]
    for facet, pairs in linked:
        for case_id, value in pairs:
            values[case_id].add((facet, str(value)))
    return values


def _challenged(case_ids):
    """Return the cases' challenges with the system and vendor they challenge, directly or through a deployment."""
    return Challenge.objects.filter(case__in=case_ids).annotate(
        target_system=Coalesce("deployment__system", "system"),
        target_vendor=Coalesce("deployment__system__vendor", "system__vendor"),
    )


def _write_rows(values):
    CaseFacets.objects.bulk_create(
        [CaseFacets(case_id=pk, keys=_keys(pairs)) for pk, pairs in values.items()], batch_size=2000
    )


def _keys(pairs):
    return {facet_key(facet, value): True for facet, value in sorted(pairs)}


def _pairs(keys):
    return {tuple(key.split(":", 1)) for key in keys}


def refresh_case_facets(case_ids):
    """Bring the cases' facet rows, and every count and pair count they change, up to date."""
    case_ids = list(case_ids)
    for start in range(0, len(case_ids), BATCH):
        batch = case_ids[start : start + BATCH]
        with transaction.atomic():
            _replace(_stored(batch), _values_by_case(batch))


def forget_deleted_case(sender, instance, **kwargs):
    """Take a case being deleted out of the summary, in the deleting transaction (a pre_delete receiver).

    Its row goes with it, and with the row what the case counted towards, so any path that deletes a case
    must come through here first.
    """
    with transaction.atomic():
        _replace(_stored([instance.pk]), {})


def _stored(case_ids):
    """Return {case id: values} of the cases' facet rows, with the cases locked until the transaction ends."""
    # Two refreshes of one case at once would otherwise both count its change.
    list(Case.objects.filter(pk__in=case_ids).order_by("pk").select_for_update().values_list("pk"))
    return {row.case_id: _pairs(row.keys) for row in CaseFacets.objects.filter(case_id__in=case_ids)}


def _replace(old, new):
    """Replace the facet rows `old` ({case id: values}) with `new`, and move the counts by the difference."""
    changed = sorted(pk for pk in old.keys() | new.keys() if old.get(pk, set()) != new.get(pk, set()))
    if not changed:
        return
    _lock_counts()
    CaseFacets.objects.filter(case_id__in=changed).delete()
    _write_rows({pk: new[pk] for pk in changed if pk in new})
    paired_before = _paired()
    _recount(set().union(*(old.get(pk, set()) ^ new.get(pk, set()) for pk in changed)))
    paired_after = _paired()
    delta = Counter()
    for pk in changed:
        _count_pairs(delta, old.get(pk, set()), paired_before & paired_after, -1)
        _count_pairs(delta, new.get(pk, set()), paired_before & paired_after, +1)
    _add_to_pairs(delta)
    _drop_pairs(paired_before - paired_after)
    for facet, value in sorted(paired_after - paired_before):
        _build_pairs(facet_key(facet, value))


def _lock_counts():
    """Hold the summary's counts until the transaction ends (PostgreSQL; SQLite has one writer at a time).

    A refresh reads which values have pair counts, then moves them: two at once could both see a value cross
    the threshold and both count its pairs. Taken after the cases' row locks, as by a deletion.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COUNTS_LOCK])


def _paired():
    """Return the (facet, value) pairs that keep pair counts."""
    return set(FacetCount.objects.paired().values_list("facet", "value"))


def _count_pairs(delta, values, paired, sign):
    for facet, value in values & paired:
        key = facet_key(facet, value)
        for other in values:
            if other != (facet, value) and other[0] != UNPAIRED:
                delta[(key, *other)] += sign


def _recount(pairs):
    for facet, value in sorted(pairs):
        cases = CaseFacets.objects.filter(keys__has_key=facet_key(facet, value)).count()
        if cases:
            FacetCount.objects.update_or_create(facet=facet, value=value, defaults={"cases": cases})
        else:
            FacetCount.objects.filter(facet=facet, value=value).delete()


_TABLE = connection.ops.quote_name(FacetPair._meta.db_table)
# Both run on PostgreSQL and SQLite, adding to the stored counts in the database. They are apart because the
# proposed row of an upsert must pass the table's check (cases >= 0) even when it only updates.
_ADD = (
    f"INSERT INTO {_TABLE} (key, facet, value, cases) VALUES {{rows}} "
    f"ON CONFLICT (key, facet, value) DO UPDATE SET cases = {_TABLE}.cases + excluded.cases"
)
_SUBTRACT = (
    "WITH delta (key, facet, value, n) AS (VALUES {rows}) "
    f"UPDATE {_TABLE} SET cases = {_TABLE}.cases - delta.n FROM delta "
    f"WHERE {_TABLE}.key = delta.key AND {_TABLE}.facet = delta.facet AND {_TABLE}.value = delta.value "
    f"RETURNING {_TABLE}.id, {_TABLE}.cases"
)


def _add_to_pairs(delta):
    """Move each (key, facet, value) pair count by its delta, deleting counts that reach zero."""
    rows = [item for item in delta.items() if item[1]]
    emptied = []
    with connection.cursor() as cursor:
        for sql, sign in ((_SUBTRACT, -1), (_ADD, +1)):
            moves = [(*pair, n * sign) for pair, n in rows if n * sign > 0]
            for start in range(0, len(moves), 500):
                chunk = moves[start : start + 500]
                placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                cursor.execute(sql.format(rows=placeholders), [field for move in chunk for field in move])
                if sign < 0:
                    emptied += [pk for pk, cases in cursor.fetchall() if cases == 0]
    FacetPair.objects.filter(pk__in=emptied).delete()


def _drop_pairs(pairs):
    for facet, value in pairs:
        FacetPair.objects.filter(key=facet_key(facet, value)).delete()


def _build_pairs(key):
    """Count every value the cases with facet key `key` have, as its pair counts."""
    rows = count_facet_keys(CaseFacets.objects.filter(keys__has_key=key), blank=True)
    FacetPair.objects.bulk_create(
        [
            FacetPair(key=key, facet=facet, value=value, cases=n)
            for facet, value, n in rows
            if facet != UNPAIRED and facet_key(facet, value) != key
        ],
        batch_size=5000,
    )


def recount_all():
    """Recount every facet value and pair count from the facet rows."""
    with transaction.atomic():
        _lock_counts()
        counts = count_facet_keys(CaseFacets.objects.all(), blank=True)
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(
            [FacetCount(facet=facet, value=value, cases=n) for facet, value, n in counts], batch_size=5000
        )
        FacetPair.objects.all().delete()
        for facet, value in sorted(_paired()):
            _build_pairs(facet_key(facet, value))


def rebuild_case_facets():
    """Rebuild every case's facet row in batches, then recount; return the case count."""
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), BATCH):
        write_case_facets(case_ids[start : start + BATCH])
    recount_all()
    return len(case_ids)


@transaction.atomic
def write_case_facets(case_ids):
    """Replace the facet rows of a batch of cases, without recounting (call recount_all() after the last batch)."""
    CaseFacets.objects.filter(case_id__in=case_ids).delete()
    _write_rows(_values_by_case(case_ids))
