"""Saving and deleting the records lawyers edit in the admin: cases and everything that hangs off them."""

from django.db import transaction

from ..cache import retire_case_pages
from ..models import (
    Court,
    Deployment,
    Filing,
    LegalGround,
    Participation,
    Party,
    Proceeding,
    System,
    Technology,
    Vendor,
)
from ..permissions import CASE_PATHS, case_id_of, check_write
from .deadlines import move_deadlines
from .decisions import resync_deadlines
from .documents import sync_document_text
from .events import entity_changed, record_actor
from .refresh import mark_changed, mark_deadlines_changed

__all__ = ["case_id_of", "delete_record", "save_record"]

# Shared records that cases show: editing one changes the public pages of every case that names it.
ENTITIES = (Party, Court, Technology, LegalGround, Vendor, System, Deployment)


@transaction.atomic
def save_record(obj, *, actor):
    """Validate and save a case, party, court or a record of a case, attributing the change to actor.

    Decisions go through `save_decision` and deadlines through `save_deadline` instead.
    """
    check_write(actor, obj)  # on the case obj leaves too, if it moves
    obj.full_clean()
    left = _case_left(obj)
    record_actor(obj, actor)
    obj.save()
    if left is not None:
        if isinstance(obj, Proceeding):
            move_deadlines(obj, actor=actor)  # a proceeding's deadlines are its case's
        mark_deadlines_changed(left, actor=actor)
        mark_changed(left)
    resync_deadlines(obj, actor=actor)
    if isinstance(obj, Filing):
        sync_document_text(obj)
    _changed(obj)
    return obj


def _case_left(obj):
    """Return the id of the case obj is about to move out of, or None if it stays (or is new, or shared)."""
    path = CASE_PATHS.get(obj._meta.model_name)
    if obj.pk is None or path in (None, "pk"):
        return None
    stored = type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()
    return stored if stored is not None and stored != case_id_of(obj) else None


@transaction.atomic
def delete_record(obj, *, actor):
    """Delete a record, attributing the deletion to actor; raises ProtectedError if others still use it."""
    check_write(actor, obj, delete=True)
    case_id = case_id_of(obj)
    if case_id:
        # Before the delete: a deleted case's related cases are only known while it exists.
        retire_case_pages([case_id])
    elif isinstance(obj, ENTITIES):
        entity_changed(obj)
    record_actor(obj, actor)
    obj.delete()
    if isinstance(obj, Participation):
        resync_deadlines(obj, actor=actor)  # its case may gain or lose deadlines without this party
    if case_id:
        # A deleted case must leave public caches and search too.
        mark_changed(case_id)


def _changed(obj):
    case_id = case_id_of(obj)
    if case_id:
        mark_changed(case_id)
    elif isinstance(obj, ENTITIES):
        entity_changed(obj)
