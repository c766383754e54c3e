"""Saving and deleting the records lawyers edit in the admin: cases and everything that hangs off them."""

from django.db import transaction

from ..cache import retire_case_pages
from ..models import Court, Deployment, Filing, LegalGround, Participation, Party, System, Technology, Vendor
from ..permissions import case_id_of, check_write
from .decisions import resync_deadlines
from .documents import sync_document_text
from .events import case_changed, entity_changed, record_actor

__all__ = ["case_id_of", "delete_record", "save_record"]

# Shared records that cases show: editing one changes the public pages of every case that names it.
ENTITIES = (Party, Court, Technology, LegalGround, Vendor, System, Deployment)


@transaction.atomic
def save_record(obj, *, actor):
    """Validate and save a case, party, court or a record of a case, attributing the change to actor.

    Decisions go through `save_decision` and deadlines through `save_deadline` instead.
    """
    check_write(actor, obj)
    obj.full_clean()
    record_actor(obj, actor)
    obj.save()
    resync_deadlines(obj, actor=actor)
    if isinstance(obj, Filing):
        sync_document_text(obj)
    _changed(obj)
    return obj


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
        case_changed(case_id)


def _changed(obj):
    case_id = case_id_of(obj)
    if case_id:
        case_changed(case_id)
    elif isinstance(obj, ENTITIES):
        entity_changed(obj)
