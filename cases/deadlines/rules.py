"""The procedural rules and the table that chooses them, as data: no Django here.

Strings a lawyer reads are marked with `gettext_noop`; the Django side translates them when it renders.
"""

import datetime
import enum
from dataclasses import dataclass


def gettext_noop(message):
    """Mark message for translation; it is translated where it is shown."""
    return message


class UnknownRule(ValueError):
    """Raised for a rule code the engine does not know."""


class Unit(enum.StrEnum):
    DAYS = "days"
    MONTHS = "months"


class MonthEnd(enum.StrEnum):
    # Every rule we know (GPK 108(1), KAS 93(1), APK 114(4), ECHR practice) ends a month period on the month's
    # last day when the final month has no such date; the field records it so a rule that differs can say so.
    LAST_DAY = "last_day"


class Roll(enum.StrEnum):
    NEXT_WORKING_DAY = "next_working_day"
    NONE = "none"


class Trigger(enum.StrEnum):
    DECISION_FINAL_FORM = "decision_final_form"
    DECISION_ANNOUNCED = "decision_announced"
    JUDGMENT_ENTERED = "judgment_entered"
    JUDGMENT_EFFECTIVE = "judgment_effective"
    COPY_SERVED = "copy_served"
    FINAL_DECISION_KNOWN = "final_decision_known"


TRIGGER_LABELS = {
    Trigger.DECISION_FINAL_FORM: gettext_noop("decision in final form"),
    Trigger.DECISION_ANNOUNCED: gettext_noop("date of the decision"),
    Trigger.JUDGMENT_ENTERED: gettext_noop("entry of the judgment"),
    Trigger.JUDGMENT_EFFECTIVE: gettext_noop("judgment takes legal effect"),
    Trigger.COPY_SERVED: gettext_noop("copy served on or received by our client"),
    Trigger.FINAL_DECISION_KNOWN: gettext_noop("final domestic decision served or made known"),
}


@dataclass(frozen=True)
class Period:
    """A time limit, applying to triggers on or after `since` (None: always)."""

    amount: int
    unit: Unit
    since: datetime.date | None = None


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
    short_citation: str  # what a one-line message names, e.g. "CPR 52.12"
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
ONE_MONTH = (Period(1, Unit.MONTHS),)

RULES = {
    rule.code: rule
    for rule in [
        Rule(
            code="ru-appeal",
            title=gettext_noop("Appeal (Russia, GPK/KAS)"),
            kind="appeal",
            trigger=Trigger.DECISION_FINAL_FORM,
            periods=ONE_MONTH,
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="GPK RF art. 321(2), KAS RF art. 298; counted under GPK arts. 107(3), 108 and KAS arts. 92, 93",
            short_citation="GPK art. 321(2), KAS art. 298",
        ),
        Rule(
            code="ru-cassation-kas",
            title=gettext_noop("Cassation appeal (Russia, KAS)"),
            kind="cassation",
            trigger=Trigger.JUDGMENT_EFFECTIVE,
            periods=(Period(6, Unit.MONTHS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="KAS RF art. 318(2); counted under KAS arts. 92, 93",
            short_citation="KAS art. 318(2)",
            # The date a judgment will take effect is often known in advance.
            future_trigger_allowed=True,
        ),
        Rule(
            code="ru-gpk-cassation",
            title=gettext_noop("Cassation appeal (Russia, GPK)"),
            kind="cassation",
            trigger=Trigger.JUDGMENT_EFFECTIVE,
            periods=(Period(3, Unit.MONTHS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="GPK RF art. 376(1); an appellate ruling takes effect when pronounced (art. 329(5)); "
            "counted under GPK arts. 107(3), 108",
            short_citation="GPK art. 376(1)",
            future_trigger_allowed=True,
        ),
        Rule(
            code="ru-apk-appeal",
            title=gettext_noop("Appeal (Russia, APK)"),
            kind="appeal",
            trigger=Trigger.DECISION_FINAL_FORM,
            periods=ONE_MONTH,
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="APK RF art. 259(1); counted under APK arts. 113, 114",
            short_citation="APK art. 259(1)",
        ),
        Rule(
            code="ru-apk-cassation",
            title=gettext_noop("Cassation appeal (Russia, APK)"),
            kind="cassation",
            trigger=Trigger.JUDGMENT_EFFECTIVE,
            periods=(Period(2, Unit.MONTHS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="APK RF art. 276(1); an appellate ruling takes effect when adopted (art. 271(5)); "
            "counted under APK arts. 113, 114",
            short_citation="APK art. 276(1)",
            future_trigger_allowed=True,
        ),
        Rule(
            code="ru-koap-complaint",
            title=gettext_noop("Complaint against an administrative offence ruling (Russia, KoAP)"),
            kind="appeal",
            trigger=Trigger.COPY_SERVED,
            periods=(Period(10, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="KoAP RF art. 30.3(1); counted under KoAP art. 4.8",
            short_citation="KoAP art. 30.3(1)",
        ),
        Rule(
            code="ru-upk-appeal",
            title=gettext_noop("Appeal against a sentence (Russia, UPK)"),
            kind="appeal",
            trigger=Trigger.DECISION_ANNOUNCED,
            periods=(Period(15, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="RU",
            citation="UPK RF art. 389.4(1) (for a convict in custody: from delivery of the copy); "
            "counted under UPK art. 128",
            short_citation="UPK art. 389.4(1)",
        ),
        Rule(
            code="echr-application",
            title=gettext_noop("Application to the European Court of Human Rights"),
            kind="application",
            trigger=Trigger.FINAL_DECISION_KNOWN,
            periods=(Period(4, Unit.MONTHS, since=PROTOCOL_15_IN_FORCE), Period(6, Unit.MONTHS)),
            roll=Roll.NONE,
            calendar=None,
            citation=(
                "ECHR art. 35(1) as amended by Protocol No. 15 (4 months for final decisions from 1 February 2022, "
                "6 months before); no extension for weekends or holidays: Sabri Güneş v. Turkey [GC], 29 June 2012"
            ),
            short_citation="ECHR art. 35(1)",
        ),
        Rule(
            code="echr-gc-referral",
            title=gettext_noop("Request for referral to the Grand Chamber (ECHR)"),
            kind="application",
            trigger=Trigger.DECISION_ANNOUNCED,
            periods=(Period(3, Unit.MONTHS),),
            roll=Roll.NONE,
            calendar=None,
            citation="ECHR art. 43(1), 3 months from the date of the Chamber judgment; like art. 35(1), "
            "not extended for weekends or holidays",
            short_citation="ECHR art. 43(1)",
        ),
        Rule(
            code="us-frap-4a1a",
            title=gettext_noop("Notice of appeal (US federal civil case)"),
            kind="appeal",
            trigger=Trigger.JUDGMENT_ENTERED,
            periods=(Period(30, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="US",
            citation="FRAP 4(a)(1)(A); counted under FRCP 6(a)(1) and 6(a)(6)",
            short_citation="FRAP 4(a)(1)(A)",
        ),
        Rule(
            code="us-frap-4a1b",
            title=gettext_noop("Notice of appeal, United States a party (US federal civil case)"),
            kind="appeal",
            trigger=Trigger.JUDGMENT_ENTERED,
            periods=(Period(60, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="US",
            citation="FRAP 4(a)(1)(B); counted under FRCP 6(a)(1) and 6(a)(6)",
            short_citation="FRAP 4(a)(1)(B)",
        ),
        Rule(
            code="us-scotus-cert",
            title=gettext_noop("Petition for a writ of certiorari (US Supreme Court)"),
            kind="appeal",
            trigger=Trigger.JUDGMENT_ENTERED,
            periods=(Period(90, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            # R. 30.1 names only the holidays of 5 U.S.C. 6103 and days the Court closes (enter those as overrides).
            calendar="US-6103",
            citation="US Supreme Court Rule 13.1; counted under Rule 30.1",
            short_citation="Sup. Ct. R. 13.1",
        ),
        Rule(
            code="uk-cpr-52-12",
            title=gettext_noop("Appellant's notice (England and Wales)"),
            kind="appeal",
            trigger=Trigger.DECISION_ANNOUNCED,
            periods=(Period(21, Unit.DAYS),),
            roll=Roll.NEXT_WORKING_DAY,
            calendar="GB-ENG",
            citation="CPR 52.12(2)(b), unless the lower court directs otherwise; court office closed: CPR 2.8(5)",
            short_citation="CPR 52.12",
        ),
        Rule(
            code="uk-uksc-permission",
            title=gettext_noop("Application for permission to appeal (UK Supreme Court)"),
            kind="appeal",
            trigger=Trigger.DECISION_ANNOUNCED,
            periods=(Period(28, Unit.DAYS),),
            # We found no rule extending this period when the Registry is closed, so it is never moved:
            # filing by the earlier date is always safe.
            roll=Roll.NONE,
            calendar="GB-ENG",
            citation="UKSC Rules 2009 r. 11(1), 28 days from the date of the order or decision of the court below "
            "(kept by the Supreme Court Rules 2024 from 2 December 2024: check the current text)",
            short_citation="UKSC Rules r. 11",
        ),
    ]
}


def get_rule(code):
    """Return the rule with this code or raise UnknownRule listing the known ones."""
    try:
        return RULES[code]
    except KeyError:
        raise UnknownRule(f"Unknown rule {code!r}. Known rules: {', '.join(sorted(RULES))}.") from None


# Choosing the rules a decision triggers -----------------------------------------------------------------------

# Which court countries each procedure belongs to; "" is an international forum, None means any country.
PROCEDURE_COUNTRIES = {
    "gpk": {"RU"},
    "kas": {"RU"},
    "apk": {"RU"},
    "koap": {"RU"},
    "upk": {"RU"},
    "federal-civil": {"US"},
    "state": {"US"},
    "cpr": {"GB"},
    "echr": {""},
    "other": None,
}
DOMESTIC = frozenset(PROCEDURE_COUNTRIES) - {"echr", "other"}

# Council of Europe members, whose final decisions can go to Strasbourg. Russia stays for facts before it left.
COUNCIL_OF_EUROPE = frozenset(
    {
        "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
        "GE", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO",
        "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "TR", "UA", "RU",
    }
)  # fmt: skip


class Fact(enum.StrEnum):
    """Something about the parties a rule's choice depends on."""

    US_GOVERNMENT_PARTY = "us_government_party"
    APPLICANT_CLIENT = "applicant_client"


FACT_LABELS = {
    Fact.US_GOVERNMENT_PARTY: gettext_noop("the United States, a federal agency or officer is a party"),
    Fact.APPLICANT_CLIENT: gettext_noop("a client of ours is on the applicant's side"),
}


@dataclass(frozen=True)
class Choice:
    """One row of the table: a rule applies to decisions of these procedures and court levels."""

    code: str
    procedures: frozenset
    levels: frozenset
    final: bool | None = None  # True: only final decisions; False: only non-final ones; None: either
    countries: frozenset | None = None  # None: any country the procedure fits
    needs: Fact | None = None
    unless: Fact | None = None


def _set(*values):
    return frozenset(values)


CHOICES = (
    Choice("ru-appeal", _set("gpk", "kas"), _set("first_instance"), final=False),
    Choice("ru-apk-appeal", _set("apk"), _set("first_instance"), final=False),
    Choice("ru-koap-complaint", _set("koap"), _set("first_instance"), final=False),
    Choice("ru-upk-appeal", _set("upk"), _set("first_instance"), final=False),
    Choice("ru-gpk-cassation", _set("gpk"), _set("appeal")),
    Choice("ru-cassation-kas", _set("kas"), _set("appeal")),
    Choice("ru-apk-cassation", _set("apk"), _set("appeal")),
    Choice("us-frap-4a1a", _set("federal-civil"), _set("first_instance"), final=False, unless=Fact.US_GOVERNMENT_PARTY),
    Choice("us-frap-4a1b", _set("federal-civil"), _set("first_instance"), final=False, needs=Fact.US_GOVERNMENT_PARTY),
    Choice("us-scotus-cert", _set("federal-civil"), _set("appeal")),
    Choice("us-scotus-cert", _set("state"), _set("supreme")),
    Choice("uk-cpr-52-12", _set("cpr"), _set("first_instance"), final=False),
    Choice("uk-uksc-permission", _set("cpr"), _set("appeal")),
    Choice("echr-gc-referral", _set("echr"), _set("international"), final=False),
    Choice(
        "echr-application",
        DOMESTIC,
        _set("first_instance", "appeal", "cassation", "supreme"),
        final=True,
        countries=COUNCIL_OF_EUROPE,
        needs=Fact.APPLICANT_CLIENT,
    ),
)


@dataclass(frozen=True)
class Verdict:
    """Whether one rule applies, and why (a message to translate and its parameters)."""

    code: str
    chosen: bool
    reason: str
    params: dict


def procedure_fits(procedure, country):
    """Return whether a procedure can be used in a court of this country ("" for international)."""
    countries = PROCEDURE_COUNTRIES.get(procedure)
    return procedure in PROCEDURE_COUNTRIES and (countries is None or country in countries)


def choose(*, country, procedure, level, final, facts):
    """Return a Verdict for every rule of the procedure: chosen or not, and why."""
    verdicts = []
    for choice in CHOICES:
        if procedure not in choice.procedures:
            continue
        if choice.countries is not None and country not in choice.countries:
            verdicts.append(Verdict(choice.code, False, gettext_noop("the court's country cannot take it"), {}))
        elif level not in choice.levels:
            verdicts.append(
                Verdict(choice.code, False, gettext_noop("it applies to other court levels"), {"level": level})
            )
        elif choice.final is not None and choice.final != final:
            reason = (
                gettext_noop("it applies only to final decisions")
                if choice.final
                else gettext_noop("the decision is final, so no appeal lies")
            )
            verdicts.append(Verdict(choice.code, False, reason, {}))
        elif choice.needs and not facts.get(choice.needs):
            verdicts.append(Verdict(choice.code, False, gettext_noop("it needs: %(fact)s"), {"fact": choice.needs}))
        elif choice.unless and facts.get(choice.unless):
            verdicts.append(
                Verdict(choice.code, False, gettext_noop("it does not apply when %(fact)s"), {"fact": choice.unless})
            )
        else:
            verdicts.append(Verdict(choice.code, True, gettext_noop("procedure, court level and parties match"), {}))
    return verdicts
