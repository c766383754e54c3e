"""Recording decisions, and keeping the deadlines they trigger in step with them and their case."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..deadlines.generate import check_triggers, plan_for, sync_generated_deadlines
from ..models import Case, Decision, Participation, Party, Proceeding
from ..permissions import check_write
from .documents import sync_document_text
from .events import record_actor
from .refresh import mark_changed, mark_deadlines_changed


@transaction.atomic
def save_decision(decision, *, actor):
    """Validate and save a new or corrected decision, then create or recompute its generated deadlines.

    Sets `decision.deadline_messages`: what the lawyer must hear, e.g. that a deadline has already passed.
    """
    check_write(actor, decision)
    decision.full_clean()
    check_triggers(decision)
    record_actor(decision, actor)
    decision.save()
    sync_document_text(decision)
    messages = sync_generated_deadlines(decision, actor=actor)
    notice = plan_for(decision).notice
    decision.deadline_messages = [_(notice)] * bool(notice) + messages
    refresh_case_outcome(decision.proceeding.case, actor=actor)
    mark_changed(decision.proceeding.case_id)
    return decision


def resync_deadlines(obj, *, actor):
    """Recompute generated deadlines after a change to what chooses their rules: parties, procedure, facts date.

    Whatever order the facts are entered in, the deadlines end up the same.
    """
    if isinstance(obj, Case):
        case_ids = [obj.pk]
    elif isinstance(obj, (Participation, Proceeding)):
        case_ids = [obj.case_id]
    elif isinstance(obj, Party) and obj.pk:
        case_ids = Case.objects.filter(participations__party=obj).values_list("pk", flat=True).distinct()
        # A shared party is in other teams' cases too: their deadlines follow as the system's recomputation,
        # not as this user's edit of records they may not touch.
        actor = None
    else:
        return
    for case_id in case_ids:
        mark_deadlines_changed(case_id, actor=actor)


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
