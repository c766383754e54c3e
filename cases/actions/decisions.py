"""Recording decisions, and the deadlines they trigger."""

from django.db import transaction

from ..deadlines.generate import check_triggers, sync_generated_deadlines
from .events import case_changed, record_actor


@transaction.atomic
def save_decision(decision, *, actor):
    """Validate and save a new or corrected decision, then create or recompute its generated deadlines."""
    decision.full_clean()
    check_triggers(decision)
    record_actor(decision, actor)
    decision.save()
    sync_generated_deadlines(decision, actor=actor)
    case_changed(decision.proceeding.case_id)
    return decision
