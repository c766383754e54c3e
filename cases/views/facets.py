"""Facet options and active filters for the case list, labelled in the page language."""

from django.conf import settings
from django.db.models import Model, QuerySet
from django_countries.fields import Country

from ..cache import cached_public_value
from ..filters import CaseSelection
from ..models import Case, Court
from ..models.base import Result, in_language
from ..selectors import FACETS, facet_count, facet_counts, summary_case_count, summary_values

FACET_LIMIT = 15
# Shown unfolded; the others fold away (unless in use) so the list is reachable on a phone.
OPEN_FACETS = {"country", "technology", "ground"}


def _bilingual(value, row):
    return in_language(row["name"], row["name_ru"])


LABELS = {
    "country": lambda value, row: Country(value).name,
    "technology": _bilingual,
    "ground": _bilingual,
    "court_level": lambda value, row: Court.Level(value).label,
    "status": lambda value, row: Case.Status(value).label,
    "outcome": lambda value, row: Result(value).label,
    "year": lambda value, row: str(value),
    "party": _bilingual,
    "system": lambda value, row: row["name"],
    "vendor": lambda value, row: row["name"],
    "operator": _bilingual,
}


def _selected(filterset, name):
    """Return {value: label} for the valid values of name in the request."""
    values = list(filterset.form.cleaned_data.get(name) or [])
    if not values:
        return {}
    if isinstance(values[0], Model):  # technologies, grounds, parties, systems, vendors or operators
        return {obj.slug: obj.display_name for obj in values}
    choices = dict(filterset.form.fields[name].choices)
    return {value: choices.get(value, value) for value in values}


# Filters that are not facets: the cases they leave are found through the case table, once per request.
CASE_FILTERS = ("q", "filed_after", "filed_before")


def _case_filter_ids(filterset):
    """Return the ids of public cases matching the request's search and date range, or None if it has neither.

    Computed once and kept on the filterset: every facet counts within the same matches, and a search is the
    costliest filter there is. A search alone reuses the matches the list itself found.
    """
    if not hasattr(filterset, "_case_filter_ids"):
        data = filterset.form.cleaned_data
        ids = None
        if data.get("q") and not any(data.get(field) for field in CASE_FILTERS if field != "q"):
            filterset.qs  # noqa: B018 - filtering runs the search, which keeps its matches (PostgreSQL)
            ids = filterset.search_ids
        if ids is None and any(data.get(field) for field in CASE_FILTERS):
            raw = {field: filterset.data[field] for field in CASE_FILTERS if field in filterset.data}
            ids = list(CaseSelection(raw, request=filterset.request).qs.values_list("pk", flat=True))
        filterset._case_filter_ids = ids
    return filterset._case_filter_ids


def _where(filterset, but=None):
    """Return the request's facet filters (but the facet named but) as summary values, for facet_count()."""
    data = filterset.form.cleaned_data
    return {facet: summary_values(facet, data[facet]) for facet in FACETS if facet != but and data.get(facet)}


def known_count(filterset):
    """Return how many cases the list holds if it is known already, else None.

    A search or a date range alone holds the cases it found for the facets; the facet summary knows every
    published case, and those with one value of one facet (a technology's or an agency's cases: counting them
    from the case table reads tens of thousands of rows). A summary that knows of no such case is not trusted:
    cases written without it (a bulk load not yet summarised) are counted where they are.
    """
    where = _where(filterset)
    ids = _case_filter_ids(filterset)
    if ids is not None:
        return None if where else len(ids)
    if not where:
        return summary_case_count()
    [(facet, values), *others] = where.items()
    if others or len(values) > 1:
        return None
    return summary_case_count(facet, values[0])


def _facet_count(filterset, name, **options):
    """Return facet_count(**options) rows for name over the cases matching every filter but the facet's own.

    So ticking one country still shows how many cases the other countries would add, while the search, the
    date range and every other ticked facet narrow the counts as they narrow the list. Facet filters become
    conditions on the facet summary; only a search or a date range needs the case table.
    """
    return facet_count(_case_filter_ids(filterset), name, where=_where(filterset, but=name), **options)


def _facet_state(filterset, name=None):
    """Return the valid filters that decide which cases facet name (default: any unfiltered one) counts, as a dict."""
    state = {}
    for field, value in filterset.form.cleaned_data.items():
        # Sorting never changes which cases match; the facet's own filter is ignored (see _facet_count).
        if field in (name, "sort") or not value:
            continue
        if isinstance(value, list | QuerySet):
            # Technologies, grounds and parties are model instances, known by their slugs.
            state[field] = sorted(item.slug if isinstance(item, Model) else item for item in value)
        else:
            state[field] = str(value)
    return state


def _unfiltered_rows(filterset, names):
    """Return {name: facet_count rows} of the facets the request does not filter: the top FACET_LIMIT of each.

    They all count the cases the list shows, so they are counted together in one pass.
    """
    return cached_public_value(
        filterset.request,
        "facets",
        _facet_state(filterset),
        lambda: facet_counts(_case_filter_ids(filterset), names, limit=FACET_LIMIT, where=_where(filterset)),
    )


def _filtered_rows(filterset, name, selected):
    """Return facet_count rows for a filtered facet: the top FACET_LIMIT, then any selected values beyond them."""
    state = _facet_state(filterset, name)
    rows = cached_public_value(
        filterset.request,
        f"facet:{name}",
        state,
        lambda: _facet_count(filterset, name, limit=FACET_LIMIT),
    )
    missing = sorted(set(selected) - {str(value) for value, _row, _n in rows})
    if missing:
        rows = rows + cached_public_value(
            filterset.request,
            f"facet-values:{name}",
            {"filters": state, "values": missing},
            lambda: _facet_count(filterset, name, values=missing),
        )
    return rows


def facet_groups(filterset):
    """Return [{name, label, open, options: [{value, label, count, selected}]}] for every facet with options."""
    data = filterset.form.cleaned_data
    unfiltered = _unfiltered_rows(filterset, [name for name in FACETS if not data.get(name)])
    groups = []
    for name in FACETS:
        selected = _selected(filterset, name)
        rows = unfiltered[name] if name in unfiltered else _filtered_rows(filterset, name, selected)
        shown = [
            {"value": str(value), "label": LABELS[name](value, row), "count": n, "selected": str(value) in selected}
            for value, row, n in rows
        ]
        listed = {option["value"] for option in shown}
        # A selected value with no matches must stay visible, or it could not be unticked.
        shown += [
            {"value": value, "label": label, "count": 0, "selected": True}
            for value, label in selected.items()
            if value not in listed
        ]
        if shown:
            groups.append(
                {
                    "name": name,
                    "label": filterset.filters[name].label,
                    "options": shown,
                    "open": name in OPEN_FACETS or bool(selected),
                }
            )
    return groups


def estimated_counts(filterset):
    """Tell whether the facet counts are estimates: a search or a date range matched more than FACET_SAMPLE_CASES."""
    ids = _case_filter_ids(filterset)
    return ids is not None and len(ids) > settings.FACET_SAMPLE_CASES


def active_filters(filterset):
    """Return [{name, value, label, filter_label}] for every valid filter the request applies."""
    data = filterset.form.cleaned_data
    active = []
    for name in ["q", "filed_after", "filed_before"]:
        if data.get(name):
            active.append({"name": name, "value": filterset.data.get(name), "label": data[name]})
    for name in FACETS:
        active += [
            {"name": name, "value": value, "label": label} for value, label in _selected(filterset, name).items()
        ]
    for item in active:
        item["filter_label"] = filterset.filters[item["name"]].label
    return active
