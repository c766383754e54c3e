"""Django glue: compute rules with staff overrides, and keep the deadlines a decision triggers in step with it."""

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import CalendarOverride, Court, Deadline, Party
from .calendars import WorkCalendar
from .engine import TriggerInFuture, compute
from .rules import RUSSIA_LEFT_CONVENTION, Trigger, get_rule

# Council of Europe members, whose final decisions can go to Strasbourg. Russia stays for facts before it left.
COUNCIL_OF_EUROPE = {
    "AD",
    "AL",
    "AM",
    "AT",
    "AZ",
    "BA",
    "BE",
    "BG",
    "CH",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GB",
    "GE",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MC",
    "MD",
    "ME",
    "MK",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "RS",
    "SE",
    "SI",
    "SK",
    "SM",
    "TR",
    "UA",
    "RU",
}
GOVERNMENT_KINDS = (Party.Kind.GOVERNMENT, Party.Kind.AGENCY)


def calendar_for(rule, court=None):
    """Return rule's working-day calendar with staff overrides: the court's own win over country-wide ones."""
    overrides = CalendarOverride.objects.filter(calendar=rule.calendar).filter(Q(court=None) | Q(court=court))
    ordered = overrides.order_by(F("court").asc(nulls_first=True))
    return WorkCalendar.for_code(rule.calendar, [override.as_engine_override() for override in ordered])


def compute_with_overrides(rule, trigger, court=None):
    """Compute rule's deadline for trigger using staff overrides; refuse forbidden future triggers."""
    today = timezone.localdate(timezone=court.zone) if court else timezone.localdate()
    return compute(rule, trigger, calendar=calendar_for(rule, court), today=today)


def rules_for(decision):
    """Return the codes of the rules a decision triggers, by its court's country and level."""
    court, case = decision.proceeding.court, decision.proceeding.case
    country, first_instance = court.country.code, court.level == Court.Level.FIRST_INSTANCE
    codes = []
    if decision.is_final:
        if country in COUNCIL_OF_EUROPE:
            codes.append("echr-application")
        return codes
    if country == "RU" and first_instance:
        codes.append("ru-appeal")
    elif country == "RU" and court.level == Court.Level.APPEAL:
        codes.append("ru-cassation-kas")
    elif country == "GB" and first_instance:
        codes.append("uk-cpr-52-12")
    elif country == "US" and first_instance:
        government = case.participations.filter(party__kind__in=GOVERNMENT_KINDS, party__country__in=["US", ""])
        codes.append("us-frap-4a1b" if government.exists() else "us-frap-4a1a")
    return codes


def trigger_date(rule, decision):
    """Return the decision date rule counts from."""
    if rule.trigger is Trigger.DECISION_ANNOUNCED:
        return decision.announced_on
    # Final form, entry of judgment, legal effect and service all follow the reasoned decision.
    return decision.clock_starts_on


def check_triggers(decision):
    """Raise ValidationError if a rule this decision triggers refuses its date (e.g. a future date)."""
    for code in rules_for(decision):
        rule = get_rule(code)
        try:
            compute_with_overrides(rule, trigger_date(rule, decision), decision.proceeding.court)
        except TriggerInFuture as exc:
            field = "announced_on" if rule.trigger is Trigger.DECISION_ANNOUNCED else "final_form_on"
            raise ValidationError({field: str(exc)}) from exc


def russia_warning(rule, decision):
    """Return the warning for an ECHR deadline in a Russian case whose facts may postdate 16 September 2022."""
    case = decision.proceeding.case
    earliest = case.filed_on or decision.announced_on
    if rule.code != "echr-application" or case.country.code != "RU" or earliest <= RUSSIA_LEFT_CONVENTION:
        return ""
    return _(
        "Russia ceased to be a party to the Convention on 16 September 2022; the Court only examines facts "
        "before that date. This case dates from %(date)s: check the facts predate 16 September 2022."
    ) % {"date": earliest}


def sync_generated_deadlines(decision, *, actor):
    """Create, recompute or cancel the deadlines decision triggers; return those created or changed.

    Deadlines that have already passed are not created: recording an old decision must not flood the team
    with overdue alerts.
    """
    from ..actions.deadlines import cancel_deadline, save_generated_deadline

    court, case = decision.proceeding.court, decision.proceeding.case
    existing = {deadline.rule_code: deadline for deadline in decision.deadlines.all()}
    changed = []
    for code in rules_for(decision):
        rule = get_rule(code)
        trigger = trigger_date(rule, decision)
        result = compute_with_overrides(rule, trigger, court)
        deadline = existing.pop(code, None)
        if deadline is None:
            if result.deadline < timezone.localdate(timezone=court.zone):
                continue
            deadline = Deadline(case=case, proceeding=decision.proceeding, source_decision=decision, rule_code=code)
            deadline.kind, deadline.title = rule.kind, f"{rule.title}: {decision.proceeding}"
            reason = _("Generated from the decision of %(date)s") % {"date": decision.announced_on}
        elif deadline.status != Deadline.Status.OPEN or (deadline.trigger_date, deadline.due_on) == (
            trigger,
            result.deadline,
        ):
            continue
        else:
            reason = _("Decision date corrected: due %(old)s is now %(new)s") % {
                "old": deadline.due_on,
                "new": result.deadline,
            }
        deadline.trigger_date, deadline.due_on, deadline.citation = trigger, result.deadline, rule.citation
        deadline.explanation, deadline.warning = result.explanation(), russia_warning(rule, decision)
        changed.append(save_generated_deadline(deadline, actor=actor, reason=reason))
    for deadline in existing.values():
        if deadline.status == Deadline.Status.OPEN:
            cancel_deadline(deadline, actor=actor, reason=_("The decision no longer triggers this rule"))
    return changed
