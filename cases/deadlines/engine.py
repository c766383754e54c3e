"""Compute a deadline from a rule and a trigger date, and explain every step."""

import calendar as pycalendar
import datetime
from dataclasses import dataclass

from .calendars import WorkCalendar, known_until
from .rules import TRIGGER_LABELS, MonthEnd, Roll, Unit


class TriggerInFuture(ValueError):
    """Raised when a rule forbids a trigger date after today."""


class English:
    """The translator the engine uses by default: messages as written. `django.utils.translation` fits too."""

    @staticmethod
    def gettext(message):
        return message

    @staticmethod
    def ngettext(singular, plural, number):
        return singular if number == 1 else plural


def period_label(period, translator=English):
    if period.unit is Unit.MONTHS:
        text = translator.ngettext("%(count)d month", "%(count)d months", period.amount)
    else:
        text = translator.ngettext("%(count)d day", "%(count)d days", period.amount)
    return text % {"count": period.amount}


@dataclass(frozen=True)
class Computation:
    rule: object
    trigger: datetime.date
    start: datetime.date
    raw_end: datetime.date
    deadline: datetime.date
    rolled_over: tuple  # a calendars.Closure for each non-working day the deadline moved past
    unmoved: object  # the Closure of a raw end a no-roll rule leaves where it is, or None
    provisional_from: int | None  # the first year the computation needs that the calendar does not know yet

    @property
    def provisional(self):
        return self.provisional_from is not None

    def explanation(self, translator=English, language=None):
        """Return the explanation as lines: start, raw end, each roll-over and why, citation."""
        _ = translator.gettext
        rule, period = self.rule, self.rule.period_for(self.trigger)
        lines = [
            _("Rule: %(code)s, %(title)s.") % {"code": rule.code, "title": _(rule.title)},
            _("Trigger (%(label)s): %(date)s.") % {"label": _(TRIGGER_LABELS[rule.trigger]), "date": self.trigger},
            _("Period: %(period)s; counting starts the next day, %(start)s.")
            % {"period": period_label(period, translator), "start": self.start},
            _("Raw end: %(date)s.") % {"date": self.raw_end},
        ]
        if self.raw_end.day < self.trigger.day and period.unit is Unit.MONTHS:
            lines.append(
                _("The final month has no day %(day)d, so the period ends on its last day.") % {"day": self.trigger.day}
            )
        if self.unmoved:
            lines.append(
                _("%(date)s is %(reason)s; this rule does not move the deadline.")
                % {"date": self.raw_end, "reason": self.unmoved.describe(_, language)}
            )
        lines += [
            _("Rolled over %(date)s: %(reason)s.") % {"date": closure.day, "reason": closure.describe(_, language)}
            for closure in self.rolled_over
        ]
        if self.provisional:
            lines.append(
                _(
                    "Provisional: the installed calendar does not know %(year)d's transferred days off yet; "
                    "the date may move when it does."
                )
                % {"year": self.provisional_from}
            )
        lines += [
            _("Deadline: %(date)s.") % {"date": self.deadline},
            _("Citation: %(citation)s.") % {"citation": rule.citation},
        ]
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
    assert rule.month_end is MonthEnd.LAST_DAY  # add_months clamps to the last day
    rolled, unmoved, deadline = [], None, raw_end
    if rule.roll is Roll.NEXT_WORKING_DAY:
        while closure := calendar.closure(deadline):
            rolled.append(closure)
            deadline += datetime.timedelta(days=1)
    else:
        unmoved = calendar.closure(raw_end)
    last_known = known_until(rule.calendar) if rule.roll is Roll.NEXT_WORKING_DAY else None
    return Computation(
        rule=rule,
        trigger=trigger,
        start=trigger + datetime.timedelta(days=1),
        raw_end=raw_end,
        deadline=deadline,
        rolled_over=tuple(rolled),
        unmoved=unmoved,
        provisional_from=deadline.year if last_known is not None and deadline.year > last_known else None,
    )
