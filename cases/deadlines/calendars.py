"""Working-day calendars: the `holidays` package plus staff overrides (court closures, extra working days)."""

import datetime
from dataclasses import dataclass, field
from functools import cache

import holidays

CALENDARS = {
    # Russia's class includes the government's yearly transferred days off and working Saturdays.
    "RU": ("Russia (with transferred days)", lambda language: holidays.RU(language=language)),
    # "government" adds days the President closes federal offices, e.g. 9 January 2025 (FRCP 6(a)(6)).
    "US": ("United States federal", lambda language: holidays.US(categories=("government",), language=language)),
    # Only the holidays 5 U.S.C. 6103 lists, as US Supreme Court Rule 30.1 counts them.
    "US-6103": ("United States, 5 U.S.C. 6103 holidays", lambda language: holidays.US(language=language)),
    "GB-ENG": ("England and Wales", lambda language: holidays.UK(subdiv="ENG", language=language)),
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@cache
def _holidays(code, language=None):
    return CALENDARS[code][1](language)


def holidays_version():
    """Return the installed `holidays` version, which stored deadlines record they were computed with."""
    return holidays.__version__


def known_until(code):
    """Return the last year the installed calendar knows in full, or None when every year follows fixed rules.

    Russia's transferred days come from a yearly decree: a year the package has no decree for is a guess.
    """
    if code != "RU":
        return None
    from holidays.countries.russia import RussiaStaticHolidays

    return max(RussiaStaticHolidays.special_public_holidays)


def holiday_name(code, day, language=None):
    """Return the holiday's name on day in language (e.g. "ru") when the package has it, else in English."""
    supported = _holidays(code).supported_languages or ()
    wanted = [name for name in supported if language and name.startswith(language)] + ["en_US"]
    return _holidays(code, next((name for name in wanted if name in supported), None)).get(day)


@dataclass(frozen=True)
class Override:
    """A staff-entered exception: the court is closed on a working day, or open on a day off."""

    day: datetime.date
    open: bool
    reason: str


@dataclass(frozen=True)
class Closure:
    """Why a court does not work on a day: a weekend, a holiday (by name), or a staff override."""

    day: datetime.date
    calendar: str | None
    holiday: bool = False
    override_reason: str = ""

    def describe(self, gettext=str, language=None):
        """Return the reason in words, translated with gettext; holiday names come from the package."""
        if self.override_reason:
            return gettext("court closed: %(reason)s") % {"reason": self.override_reason}
        weekday = gettext(WEEKDAYS[self.day.weekday()])
        if not self.holiday:
            return gettext("a %(weekday)s") % {"weekday": weekday}
        name = holiday_name(self.calendar, self.day, language)
        if self.day.weekday() >= 5:
            return gettext("a %(weekday)s, %(holiday)s") % {"weekday": weekday, "holiday": name}
        return name


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

    def closure(self, day):
        """Return the Closure that makes day a non-working day, or None if it is one."""
        override = self.overrides.get(day)
        if override:
            return None if override.open else Closure(day, self.code, override_reason=override.reason)
        if self.code is None:
            return Closure(day, None) if day.weekday() >= 5 else None
        calendar = _holidays(self.code)
        if calendar.is_working_day(day):
            return None
        return Closure(day, self.code, holiday=day in calendar)

    def closed_because(self, day):
        """Return why day is not a working day, in English, or None if it is one."""
        closure = self.closure(day)
        return closure.describe() if closure else None
