"""Who may view, change, delete and publish which case, and see its confidential content.

The one permission policy: every admin path and every action in `cases.actions` asks these functions.
A lawyer works on the cases whose team they are on or which they lead; an editor works on every case.
Confidential content (internal notes, deadlines, their reminders, filings, hearings and decisions not marked
public) is team-only. Group permissions (which models a role may touch at all) live in `cases.roles`.
See docs/permissions.md.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

PUBLISH = "cases.publish_case"

# How each case-scoped model leads to its case; models not listed are shared (parties, courts, vocabularies).
CASE_PATHS = {
    "case": "pk",
    "caselink": "case",
    "participation": "case",
    "counsel": "participation__case",
    "proceeding": "case",
    "filing": "proceeding__case",
    "hearing": "proceeding__case",
    "decision": "proceeding__case",
    "proceedingnumber": "proceeding__case",
    "decisionidentifier": "decision__proceeding__case",
    "deadline": "case",
    "reminderdelivery": "deadline__case",
    "revision": "case",
    "challenge": "case",
    "remedy": "challenge__case",
}
# Shared records that editors alone publish (on their own, without a published case that challenges them).
PUBLISHED_BY_EDITORS = {"case", "vendor", "system", "deployment"}
# Records that are always confidential: deadlines carry strategy in their notes and reminders name them.
ALWAYS_CONFIDENTIAL = {"deadline", "reminderdelivery", "revision"}
# Fields that decide who can read a record: changing them means publishing.
VISIBILITY_FIELDS = {
    "case": ["visibility", "published_at"],
    "vendor": ["is_published"],
    "system": ["is_published"],
    "deployment": ["is_published"],
    "filing": ["is_public"],
    "hearing": ["is_public"],
    "decision": ["is_public"],
}
# Case fields only the team may read.
CONFIDENTIAL_CASE_FIELDS = ["internal_notes"]
# Remedy fields only the team may read.
CONFIDENTIAL_REMEDY_FIELDS = ["private_note"]


def is_editor(user):
    """Return whether user works on every case (editors, superusers)."""
    return user.has_perm(PUBLISH)


def team_cases(user):
    """Return the cases user works on: all for editors, their team's and led cases for lawyers, none otherwise."""
    from .models import Case

    return Case.objects.editable_by(user)


def case_id_of(obj):
    """Return the id of the case obj belongs to, or None for shared records (parties, courts)."""
    path = CASE_PATHS.get(obj._meta.model_name)
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    for step in path.split("__")[:-1]:
        if getattr(obj, f"{step}_id", None) is None:
            return None
        obj = getattr(obj, step)
    return getattr(obj, "case_id", None)


def _works_on(user, case_id, cache=None):
    if is_editor(user):
        return True
    if cache is not None and case_id in cache:
        return cache[case_id]
    allowed = team_cases(user).filter(pk=case_id).exists()
    if cache is not None:
        cache[case_id] = allowed
    return allowed


def may_change(user, obj, cache=None):
    """Return whether user may change obj (a case or any record of one): editors always, lawyers on their cases."""
    case_id = case_id_of(obj)
    return case_id is None or _works_on(user, case_id, cache)


def may_delete(user, obj):
    """Return whether user may delete obj as far as records go: a shared party only if editor or its creator.

    Lawyers may undo their own mistakes (a party they created); parties still in a case are PROTECTed anyway.
    """
    if obj._meta.model_name != "party" or is_editor(user) or obj.pk is None:
        return True
    history = obj.history.order_by("history_date", "history_id")
    return history.values_list("history_user", flat=True).first() == user.pk


def may_see_confidential(user, obj, cache=None):
    """Return whether user may read the confidential content of obj's case: its team and editors."""
    return may_change(user, obj, cache)


def may_publish(user, obj):
    """Return whether user may change who can read obj: editors for cases and surveillance records, else the team."""
    if obj._meta.model_name in PUBLISHED_BY_EDITORS:
        return is_editor(user)
    return may_change(user, obj)


def may_view_history(user, obj):
    """Return whether user may read obj's history: it holds every earlier version, confidential ones too."""
    opts = obj._meta
    if not any(user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}") for verb in ("view", "change")):
        return False
    return may_see_confidential(user, obj)


def is_confidential(obj):
    """Return whether obj is a record only its case's team may read."""
    name = obj._meta.model_name
    has_public_flag = name in VISIBILITY_FIELDS and name not in PUBLISHED_BY_EDITORS
    return name in ALWAYS_CONFIDENTIAL or (has_public_flag and not obj.is_public)


def visible(user, queryset):
    """Limit a queryset of case records to those user may see: confidential ones only on user's own cases."""
    name = queryset.model._meta.model_name
    if is_editor(user) or name not in CASE_PATHS:
        return queryset
    own = Q(**{f"{CASE_PATHS[name]}__in": team_cases(user)})
    if name in ALWAYS_CONFIDENTIAL:
        return queryset.filter(own)
    if name in VISIBILITY_FIELDS and name != "case":
        return queryset.filter(own | Q(is_public=True))
    return queryset


def visible_document_texts(user, queryset):
    """Limit document texts to those user may read: public records' ones, and confidential ones on user's cases."""
    if is_editor(user):
        return queryset
    own = team_cases(user)
    return queryset.filter(
        Q(filing__is_public=True)
        | Q(decision__is_public=True)
        | Q(filing__proceeding__case__in=own)
        | Q(decision__proceeding__case__in=own)
    )


def changed_visibility(obj, stored):
    """Return the names of obj's visibility fields that differ from stored (or from the defaults, if new)."""
    names = VISIBILITY_FIELDS.get(obj._meta.model_name, [])
    before = stored if stored is not None else type(obj)()
    return [name for name in names if getattr(obj, name) != getattr(before, name)]


def check_write(actor, obj, *, delete=False):
    """Raise PermissionDenied unless actor may save (or delete) obj as it now stands; actor None is the system.

    Checks the model permission, that actor works on the case obj belongs to now and belonged to before
    (so nothing moves out of or into another team's case), and that only publishers change visibility.
    """
    if actor is None:
        return
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk else None
    opts = obj._meta
    verb = "delete" if delete else ("change" if stored is not None else "add")
    if not actor.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}"):
        raise PermissionDenied(_("You do not have permission to change “%(record)s”.") % {"record": obj})
    for record in (obj, stored):
        if record is not None and not may_change(actor, record):
            raise PermissionDenied(_("Only the case's team and editors may change its records."))
    if delete and not may_delete(actor, obj):
        raise PermissionDenied(_("Only editors and whoever created “%(record)s” may delete it.") % {"record": obj})
    if not delete and changed_visibility(obj, stored) and not may_publish(actor, obj):
        raise PermissionDenied(_("Only editors can publish or unpublish cases."))
