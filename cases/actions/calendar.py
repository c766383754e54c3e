"""Calendar changes: staff overrides and `holidays` updates recompute the deadlines they touch."""

from django.db import transaction
from django.db.models import Q

from ..deadlines.calendars import holidays_version
from ..deadlines.generate import CALENDAR_UPDATED, OVERRIDE_CHANGED, sync_generated_deadlines
from ..deadlines.rules import RULES
from ..models import CalendarOverride, Deadline, Decision
from ..permissions import check_write
from .events import record_actor


def _recompute(deadlines, *, actor, cause_for):
    """Recompute the decisions behind deadlines, once each; return how many deadlines were looked at."""
    open_or_lapsed = [Deadline.Status.OPEN, Deadline.Status.LAPSED]
    deadlines = list(deadlines.filter(source_decision__isnull=False, status__in=open_or_lapsed))
    decision_ids = {deadline.source_decision_id: deadline for deadline in deadlines}
    decisions = Decision.objects.filter(pk__in=decision_ids).select_related("proceeding__court", "proceeding__case")
    for decision in decisions:
        sync_generated_deadlines(decision, actor=actor, cause=cause_for(decision_ids[decision.pk]))
    return len(deadlines)


def _touched_by(override):
    """Return the deadlines whose computation may pass over override's day: counted across it or rolled past it."""
    codes = [code for code, rule in RULES.items() if rule.calendar == override.calendar]
    deadlines = Deadline.objects.filter(rule_code__in=codes, trigger_date__lt=override.day, due_on__gte=override.day)
    return deadlines if override.court_id is None else deadlines.filter(proceeding__court=override.court_id)


def _recompute_around(overrides, actor):
    for override in overrides:
        cause = (OVERRIDE_CHANGED, {"day": override.day.isoformat(), "reason": override.reason})
        _recompute(_touched_by(override), actor=actor, cause_for=lambda deadline, cause=cause: cause)


@transaction.atomic
def save_calendar_override(override, *, actor):
    """Validate and save a calendar override, then recompute every open deadline it touches (old and new day)."""
    check_write(actor, override)
    previous = CalendarOverride.objects.filter(pk=override.pk).first() if override.pk else None
    override.full_clean()
    record_actor(override, actor)
    override.save()
    _recompute_around([override] + [previous] * (previous is not None), actor)
    return override


@transaction.atomic
def delete_calendar_override(override, *, actor):
    """Delete a calendar override, then recompute every open deadline its day touched."""
    check_write(actor, override, delete=True)
    record_actor(override, actor)
    override.delete()
    _recompute_around([override], actor)


@transaction.atomic
def recompute_for_calendar_update(actor=None):
    """Recompute deadlines computed with another `holidays` version, or provisional ones; return how many."""
    current = holidays_version()
    stale = Deadline.objects.filter(~Q(calendar_version=current) | Q(is_provisional=True))
    stale = stale.exclude(rule_code__in=[code for code, rule in RULES.items() if rule.calendar is None])

    def cause_for(deadline):
        return (CALENDAR_UPDATED, {"old": deadline.calendar_version or "?", "new": current})

    return _recompute(stale, actor=actor, cause_for=cause_for)
