"""The facet summary of published cases (CaseFacets, FacetCount): how it is built and kept current.

Facets of technologies, grounds, parties, systems, vendors and operators hold the record's id (a renamed slug
changes nothing here); "year_outcome" pairs the year filed with the outcome for /stats/. Drafts have no rows,
so nothing read from here can reveal one.
"""

from django.db import transaction
from django.db.models.functions import Coalesce

from .models import Case, CaseFacets, Challenge, FacetCount, Participation
from .models.facets import facet_key
from .models.proceedings import Proceeding
from .selectors import count_facet_keys

BATCH = 2000


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


def refresh_case_facets(case_id):
    """Bring one case's facet row and the counts of the values it gained or lost up to date."""
    with transaction.atomic():
        new = _values_by_case([case_id]).get(case_id, set())
        row = CaseFacets.objects.filter(case_id=case_id).first()
        old = _pairs(row.keys) if row else set()
        if not old and not Case.objects.filter(pk=case_id).exists():
            # A deleted case took its row with it, so which counts it was in is unknown: recount them all.
            recount_all()
            return
        if not new:
            CaseFacets.objects.filter(case_id=case_id).delete()
        elif new != old:
            CaseFacets.objects.update_or_create(case_id=case_id, defaults={"keys": _keys(new)})
        _recount(old ^ new)


def _recount(pairs):
    for facet, value in pairs:
        cases = CaseFacets.objects.filter(keys__has_key=facet_key(facet, value)).count()
        if cases:
            FacetCount.objects.update_or_create(facet=facet, value=value, defaults={"cases": cases})
        else:
            FacetCount.objects.filter(facet=facet, value=value).delete()


def recount_all():
    """Recount every facet value from the facet rows."""
    counts = count_facet_keys(CaseFacets.objects.all(), blank=True)
    with transaction.atomic():
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(
            [FacetCount(facet=facet, value=value, cases=n) for facet, value, n in counts], batch_size=5000
        )


def rebuild_case_facets(case_ids=None):
    """Rebuild the facet rows of case_ids (default: every case) in batches, then recount; return the case count."""
    if case_ids is None:
        case_ids = Case.objects.order_by("pk").values_list("pk", flat=True)
    case_ids = list(case_ids)
    for start in range(0, len(case_ids), BATCH):
        write_case_facets(case_ids[start : start + BATCH])
    recount_all()
    return len(case_ids)


@transaction.atomic
def write_case_facets(case_ids):
    """Replace the facet rows of a batch of cases, without recounting (call recount_all() after the last batch)."""
    CaseFacets.objects.filter(case_id__in=case_ids).delete()
    _write_rows(_values_by_case(case_ids))
