"""What followers may be told about: public items only, read through the public selectors."""

from django.http import QueryDict

from cases import selectors
from cases.filters import CaseFilter

from .models import ItemKind


def _public_items(kind):
    return selectors.public_case_items(kind)


def public_item_keys(case_id):
    """Return (kind, id) for every public filing, hearing and decision of a published case."""
    return {
        (kind, object_id)
        for kind in ItemKind.values
        for object_id in _public_items(kind).filter(proceeding__case_id=case_id).values_list("pk", flat=True)
    }


def public_items(keys):
    """Return {(kind, id): item} for the keys that are still public, with case and court loaded."""
    found = {}
    for kind in ItemKind.values:
        ids = [object_id for item_kind, object_id in keys if item_kind == kind]
        if ids:
            items = _public_items(kind).filter(pk__in=ids).select_related("proceeding__case", "proceeding__court")
            found.update({(kind, item.pk): item for item in items})
    return found


def public_case(case_id):
    """Return the case if it is published, else None."""
    return selectors.public_cases().prefetch_related(None).filter(pk=case_id).first()


def case_matches_query(case_id, query):
    """Tell whether the published case is in the public list filtered by query."""
    cases = selectors.public_cases().filter(pk=case_id)
    return CaseFilter(QueryDict(query), queryset=cases).qs.exists()
