"""Compute a deadline from a rule and a trigger date, and explain every step."""

import calendar as pycalendar
import datetime
from dataclasses import dataclass

from .calendars import WorkCalendar
from .rules import TRIGGER_LABELS, MonthEnd, Roll, Unit


class TriggerInFuture(ValueError):
    """Raised when a rule forbids a trigger date after today."""


@dataclass(frozen=True)
class Computation:
    rule: object
    trigger: datetime.date
    start: datetime.date
    raw_end: datetime.date
    deadline: datetime.date
    rolled_over: tuple  # (day, reason) for each non-working day the deadline moved past
    notes: tuple

    def explanation(self):
        """Return the explanation as lines: start, raw end, each roll-over and why, citation."""
        rule, period = self.rule, self.rule.period_for(self.trigger)
        lines = [
            f"Rule: {rule.code}, {rule.title}.",
            f"Trigger ({TRIGGER_LABELS[rule.trigger]}): {self.trigger}.",
            f"Period: {period.label}; counting starts the next day, {self.start}.",
            f"Raw end: {self.raw_end}.",
            *self.notes,
        ]
        lines += [f"Rolled over {day}: {reason}." for day, reason in self.rolled_over]
        lines += [f"Deadline: {self.deadline}.", f"Citation: {rule.citation}."]
        return "\n".join(lines)


def add_months(day, months):
    """Return the same date months later, clamped to the month's last day when it has no such date."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, pycalendar.monthrange(year, month)[1]))


def compute(rule, trigger, *, calendar=None, today=None):
    """Return the Computation of rule's deadline for trigger, using calendar (default: the rule's own)."""
    if today is not None and trigger > today and not rule.future_trigger_allowed:
        raise TriggerInFuture(f"The trigger date {trigger} is in the future; {rule.code} counts from a past event.")
    calendar = calendar or WorkCalendar.for_code(rule.calendar)
    period = rule.period_for(trigger)
    if period.unit is Unit.MONTHS:
        raw_end = add_months(trigger, period.amount)
    else:
        raw_end = trigger + datetime.timedelta(days=period.amount)
    notes, rolled, deadline = [], [], raw_end
    if raw_end.day < trigger.day and period.unit is Unit.MONTHS and rule.month_end is MonthEnd.LAST_DAY:
        notes.append(f"The final month has no day {trigger.day}, so the period ends on its last day.")
    if rule.roll is Roll.NEXT_WORKING_DAY:
        while reason := calendar.closed_because(deadline):
            rolled.append((deadline, reason))
            deadline += datetime.timedelta(days=1)
    elif reason := calendar.closed_because(raw_end):
        notes.append(f"{raw_end} is {reason}; this rule does not move the deadline.")
    return Computation(
        rule=rule,
        trigger=trigger,
        start=trigger + datetime.timedelta(days=1),
        raw_end=raw_end,
        deadline=deadline,
        rolled_over=tuple(rolled),
        notes=tuple(notes),
    )
