"""Recording decisions, and the deadlines they trigger."""

from django.db import transaction

from ..deadlines.generate import check_triggers, sync_generated_deadlines
from ..models import Decision
from ..permissions import check_write
from .events import case_changed, record_actor


@transaction.atomic
def save_decision(decision, *, actor):
    """Validate and save a new or corrected decision, then create or recompute its generated deadlines."""
    check_write(actor, decision)
    decision.full_clean()
    check_triggers(decision)
    record_actor(decision, actor)
    decision.save()
    sync_generated_deadlines(decision, actor=actor)
    refresh_case_outcome(decision.proceeding.case, actor=actor)
    case_changed(decision.proceeding.case_id)
    return decision


def refresh_case_outcome(case, *, actor):
    """Set the case's outcome to the result of its latest public final decision, if it has one."""
    latest = (
        Decision.objects.filter(proceeding__case=case, is_final=True, is_public=True)
        .order_by("-announced_on", "-pk")
        .first()
    )
    # Only public decisions count: the outcome badge is public, a confidential result must not leak through it.
    if latest is None or case.outcome == latest.result:
        return
    case.outcome = latest.result
    record_actor(case, actor)
    case.save(update_fields=["outcome", "updated_at"])
