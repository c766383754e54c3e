"""Review of published edits: with PUBLISHED_EDITS_NEED_REVIEW, a lawyer's change to a published case waits.

The change is validated and kept as a pending Revision holding only the fields it changes; the live
records, and so every public page, feed and API response, stay as last approved. An editor approves
(the change is applied through the usual action as the editor's own, its author named in the history)
or rejects it; both are kept in the revision's history.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Case,
    CaseLink,
    Challenge,
    Counsel,
    Decision,
    DecisionIdentifier,
    Filing,
    Hearing,
    Participation,
    Proceeding,
    ProceedingNumber,
    Remedy,
)
from ..models.revisions import Revision
from ..permissions import check_write
from .decisions import save_decision
from .publishing import can_publish
from .records import case_id_of, delete_record, save_record

# The records the public sees of a published case; filings, hearings and decisions only while public.
REVIEWED = (
    Case,
    CaseLink,
    Challenge,
    Counsel,
    Decision,
    DecisionIdentifier,
    Filing,
    Hearing,
    Participation,
    Proceeding,
    ProceedingNumber,
    Remedy,
)
# A case's many-to-many fields: they wait with the rest of the case's change.
CASE_M2M = ("technologies", "grounds", "related_cases", "team")


def needs_review(obj, actor):
    """Return whether actor's change to obj must wait for an editor: the setting is on and the record is public."""
    if not settings.PUBLISHED_EDITS_NEED_REVIEW or can_publish(actor) or not isinstance(obj, REVIEWED):
        return False
    case_id = case_id_of(obj)
    if case_id is None or not Case.objects.public().filter(pk=case_id).exists():
        return False
    # A confidential record (and a confidential decision's citation) stays the lawyers' own until it is made public.
    record = obj.decision if isinstance(obj, DecisionIdentifier) else obj
    if hasattr(record, "is_public"):
        return record.is_public or type(record).objects.filter(pk=record.pk, is_public=True).exists()
    return True


def _editable_fields(model):
    return [field for field in model._meta.concrete_fields if field.editable and not field.primary_key]


def _text(obj, field):
    """Return field's value on obj as text, or None for no value."""
    return None if field.value_from_object(obj) is None else field.value_to_string(obj)


def _set(obj, field, text):
    setattr(obj, field.attname, None if text is None else field.to_python(text))


def _field(model, attname):
    return next(field for field in model._meta.concrete_fields if field.attname == attname)


def _changed_values(obj, m2m):
    """Return {attname: text} of obj's fields (and m2m id lists) that differ from the stored row."""
    stored = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    changes = {}
    for field in _editable_fields(type(obj)):
        upload = getattr(obj, field.attname)
        if isinstance(field, models.FileField) and upload and not upload._committed:
            # Keep the uploaded file now: the request's temporary file is gone by the time an editor approves.
            upload.save(upload.name, upload.file, save=False)
        value = _text(obj, field)
        if stored is None or _text(stored, field) != value:
            changes[field.attname] = value
    for name, values in m2m.items():
        ids = sorted(item.pk for item in values)
        if stored is None or sorted(getattr(stored, name).values_list("pk", flat=True)) != ids:
            changes[name] = ids
    return changes


@transaction.atomic
def propose_save(obj, *, actor, m2m=None):
    """Validate obj and keep its changes as a pending revision instead of saving; return it, or None if unchanged.

    `m2m` maps a case's many-to-many field names to the chosen objects.
    """
    check_write(actor, obj)  # a proposal needs the same right as the change itself
    obj.full_clean()
    changes = _changed_values(obj, {name: m2m[name] for name in CASE_M2M if name in (m2m or {})})
    if not changes:
        return None
    operation = Revision.Operation.UPDATE if obj.pk else Revision.Operation.CREATE
    return _store(obj, operation, changes, actor)


@transaction.atomic
def propose_delete(obj, *, actor):
    """Keep the deletion of obj as a pending revision."""
    check_write(actor, obj, delete=True)
    return _store(obj, Revision.Operation.DELETE, {}, actor)


def _store(obj, operation, changes, actor):
    revision = Revision(
        case_id=case_id_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        operation=operation,
        changes=changes,
        proposed_by=actor,
    )
    revision.full_clean()
    revision._history_user = actor
    revision.save()
    return revision


def _check_reviewer(revision, actor):
    if not can_publish(actor):
        raise PermissionDenied(_("Only editors can review changes to published cases."))
    if revision.status != Revision.Status.PENDING:
        raise ValidationError(_("This revision was already %(status)s.") % {"status": revision.get_status_display()})


def _decide(revision, status, actor, note=""):
    revision.status, revision.decided_by, revision.decided_at, revision.note = status, actor, timezone.now(), note
    revision.full_clean(exclude=["proposed_by"])  # its author may have left since
    revision._history_user = actor
    revision._change_reason = note or None
    revision.save()
    return revision


def _target(revision):
    model = revision.model
    if revision.operation == Revision.Operation.CREATE:
        return model()
    target = model._default_manager.filter(pk=revision.object_id).first()
    if target is None:
        raise ValidationError(_("The record this revision changes no longer exists. Reject it instead."))
    return target


def _approval_reason(revision, actor):
    author = revision.proposed_by
    if author is None:
        return _("Proposed by a deleted user, approved by %(editor)s") % {"editor": actor.get_username()}
    return _("Proposed by %(author)s, approved by %(editor)s") % {
        "author": author.get_username(),
        "editor": actor.get_username(),
    }


@transaction.atomic
def approve_revision(revision, *, actor):
    """Apply a pending revision through the usual action as the approving editor's change; refuse non-editors.

    The editor makes the change theirs by approving it, so it is checked against the editor's rights (never
    the system's, as it would be for an author since deleted) and recorded as theirs, naming the author.
    """
    _check_reviewer(revision, actor)
    target = _target(revision)
    reason = _approval_reason(revision, actor)
    if revision.operation == Revision.Operation.DELETE:
        target._change_reason = reason
        delete_record(target, actor=actor)
        return _decide(revision, Revision.Status.APPROVED, actor)
    m2m = {}
    for name, value in revision.changes.items():
        if name in CASE_M2M:
            m2m[name] = value
            continue
        _set(target, _field(type(target), name), value)
    target._change_reason = reason
    if isinstance(target, Decision):
        save_decision(target, actor=actor)
    else:
        save_record(target, actor=actor)
    for name, ids in m2m.items():
        getattr(target, name).set(ids)
    return _decide(revision, Revision.Status.APPROVED, actor)


@transaction.atomic
def reject_revision(revision, *, actor, note=""):
    """Discard a pending revision, keeping it and the editor's note in the history; refuse non-editors."""
    _check_reviewer(revision, actor)
    return _decide(revision, Revision.Status.REJECTED, actor, note)


def changes_with_current(revision):
    """Return [(field label, current text, proposed text)] for a revision, for an editor to compare."""
    model = revision.model
    current = None
    if revision.object_id:
        current = model._default_manager.filter(pk=revision.object_id).first()
    rows = []
    if revision.operation == Revision.Operation.DELETE:
        fields = _editable_fields(model)
        return [(field.verbose_name, _display(current, field), "") for field in fields if current is not None]
    for name, value in revision.changes.items():
        if name in CASE_M2M:
            field = model._meta.get_field(name)
            related = field.related_model._default_manager
            now = ", ".join(str(item) for item in getattr(current, name).all()) if current else ""
            rows.append((field.verbose_name, now, ", ".join(str(item) for item in related.filter(pk__in=value))))
            continue
        field = _field(model, name)
        proposed = model()
        _set(proposed, field, value)
        rows.append((field.verbose_name, _display(current, field) if current else "", _display(proposed, field)))
    return rows


def _display(obj, field):
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        related = field.related_model._default_manager.filter(pk=related_id).first() if related_id else None
        return str(related) if related else ""
    if field.choices:
        return str(dict(field.flatchoices).get(getattr(obj, field.attname), ""))
    return _text(obj, field) or ""
