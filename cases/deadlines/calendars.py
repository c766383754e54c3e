"""Working-day calendars: the `holidays` package plus staff overrides (court closures, extra working days)."""

import datetime
from dataclasses import dataclass, field
from functools import cache

import holidays

CALENDARS = {
    # Russia's class includes the government's yearly transferred days off and working Saturdays.
    "RU": ("Russia (with transferred days)", lambda: holidays.RU()),
    # "government" adds days the President closes federal offices, e.g. 9 January 2025 (FRCP 6(a)(6)).
    "US": ("United States federal", lambda: holidays.US(categories=("government",))),
    "GB-ENG": ("England and Wales", lambda: holidays.UK(subdiv="ENG")),
}


@cache
def _holidays(code):
    return CALENDARS[code][1]()


@dataclass(frozen=True)
class Override:
    """A staff-entered exception: the court is closed on a working day, or open on a day off."""

    day: datetime.date
    open: bool
    reason: str


@dataclass
class WorkCalendar:
    """Answers whether a court works on a day, and if not, why."""

    code: str | None
    overrides: dict = field(default_factory=dict)  # date -> Override

    @classmethod
    def for_code(cls, code, overrides=()):
        if code is not None and code not in CALENDARS:
            raise ValueError(f"Unknown calendar {code!r}. Known calendars: {', '.join(CALENDARS)}.")
        return cls(code, {override.day: override for override in overrides})

    def closed_because(self, day):
        """Return why day is not a working day, or None if it is one."""
        override = self.overrides.get(day)
        if override:
            return None if override.open else f"court closed: {override.reason}"
        if self.code is None:
            return f"a {day:%A}" if day.weekday() >= 5 else None
        calendar = _holidays(self.code)
        if calendar.is_working_day(day):
            return None
        name = calendar.get(day)
        return f"a {day:%A}, {name}" if name and day.weekday() >= 5 else (name or f"a {day:%A}")
