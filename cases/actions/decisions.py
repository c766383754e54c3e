"""Recording decisions."""
from django.db import transaction

from .events import case_changed, record_actor


@transaction.atomic
def save_decision(decision, *, actor):
    """Validate and save a new or corrected decision."""
    decision.full_clean()
    record_actor(decision, actor)
    decision.save()
    case_changed(decision.proceeding.case_id)
    return decision
