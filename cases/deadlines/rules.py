"""The procedural rules, as data: trigger, period, month-end rule, roll rule, calendar and citation."""

import datetime
import enum
from dataclasses import dataclass


class UnknownRule(ValueError):
    """Raised for a rule code the engine does not know."""


class Unit(enum.StrEnum):
    DAYS = "days"
    MONTHS = "months"


class MonthEnd(enum.StrEnum):
    # Every rule we know (GPK 108(1), KAS 93(1), ECHR practice) ends a month period on the month's last day
    # when the final month has no such date; the field records it so a rule that differs can say so.
    LAST_DAY = "last_day"


class Roll(enum.StrEnum):
    NEXT_WORKING_DAY = "next_working_day"
    NONE = "none"


class Trigger(enum.StrEnum):
    DECISION_FINAL_FORM = "decision_final_form"
    DECISION_ANNOUNCED = "decision_announced"
    JUDGMENT_ENTERED = "judgment_entered"
    JUDGMENT_EFFECTIVE = "judgment_effective"
    FINAL_DECISION_KNOWN = "final_decision_known"


TRIGGER_LABELS = {
    Trigger.DECISION_FINAL_FORM: "decision in final form",
    Trigger.DECISION_ANNOUNCED: "date of the decision",
    Trigger.JUDGMENT_ENTERED: "entry of the judgment",
    Trigger.JUDGMENT_EFFECTIVE: "judgment takes legal effect",
    Trigger.FINAL_DECISION_KNOWN: "final domestic decision served or made known",
}


@dataclass(frozen=True)
class Period:
    """A time limit, applying to triggers on or after `since` (None: always)."""

    amount: int
    unit: Unit
    since: datetime.date | None = None

    @property
    def label(self):
        return f"{self.amount} {self.unit.removesuffix('s') if self.amount == 1 else self.unit}"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    kind: str  # the Deadline.Kind value a generated deadline gets
    trigger: Trigger
    periods: tuple[Period, ...]  # newest first; the first whose `since` the trigger reaches applies
    roll: Roll
    calendar: str | None  # a calendars.CALENDARS code; None means no holiday calendar applies
    citation: str
    month_end: MonthEnd = MonthEnd.LAST_DAY
    future_trigger_allowed: bool = False

    def period_for(self, trigger):
        """Return the period that applies to a trigger date."""
        for period in self.periods:
            if period.since is None or trigger >= period.since:
                return period
        raise UnknownRule(f"{self.code} has no period for a trigger on {trigger}")


# Russia left the Convention system on this date; the Court still takes facts before it.
RUSSIA_LEFT_CONVENTION = datetime.date(2022, 9, 16)
PROTOCOL_15_IN_FORCE = datetime.date(2022, 2, 1)

RULES = {
    rule.code: rule
    for rule in [
        Rule(
            code="ru-appeal",
            title="Appeal (Russia, GPK/KAS)",
            kind="appeal",
            trigger=Trigger.DECISION_FINAL_FORM,
            periods=(Period(1, Unit.MONTHS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="GPK RF art. 321(2), KAS RF art. 298; counted under GPK arts. 107(3), 108 and KAS arts. 92, 93",
        ),
        Rule(
            code="ru-cassation-kas",
            title="Cassation appeal (Russia, KAS)",
            kind="cassation",
            trigger=Trigger.JUDGMENT_EFFECTIVE,
            periods=(Period(6, Unit.MONTHS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="KAS RF art. 318(2); counted under KAS arts. 92, 93",
            # The date a judgment will take effect is often known in advance.
            future_trigger_allowed=True,
        ),
        Rule(
            code="echr-application",
            title="Application to the European Court of Human Rights",
            kind="application",
            trigger=Trigger.FINAL_DECISION_KNOWN,
            periods=(Period(4, Unit.MONTHS, since=PROTOCOL_15_IN_FORCE), Period(6, Unit.MONTHS)),
            roll=Roll.NONE,
            calendar=None,
            citation=(
                "ECHR art. 35(1) as amended by Protocol No. 15 (4 months for final decisions from 1 February 2022, "
                "6 months before); no extension for weekends or holidays: Sabri Güneş v. Turkey [GC], 29 June 2012"
            ),
        ),
        Rule(
            code="us-frap-4a1a",
            title="Notice of appeal (US federal civil case)",
            kind="appeal",
            trigger=Trigger.JUDGMENT_ENTERED,
            periods=(Period(30, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="US",
            citation="FRAP 4(a)(1)(A); counted under FRCP 6(a)(1) and 6(a)(6)",
        ),
        Rule(
            code="us-frap-4a1b",
            title="Notice of appeal, United States a party (US federal civil case)",
            kind="appeal",
            trigger=Trigger.JUDGMENT_ENTERED,
            periods=(Period(60, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="US",
            citation="FRAP 4(a)(1)(B); counted under FRCP 6(a)(1) and 6(a)(6)",
        ),
        Rule(
            code="uk-cpr-52-12",
            title="Appellant's notice (England and Wales)",
            kind="appeal",
            trigger=Trigger.DECISION_ANNOUNCED,
            periods=(Period(21, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="GB-ENG",
            citation="CPR 52.12(2)(b), unless the lower court directs otherwise; court office closed: CPR 2.8(5)",
        ),
    ]
}


def get_rule(code):
    """Return the rule with this code or raise UnknownRule listing the known ones."""
    try:
        return RULES[code]
    except KeyError:
        raise UnknownRule(f"Unknown rule {code!r}. Known rules: {', '.join(sorted(RULES))}.") from None
