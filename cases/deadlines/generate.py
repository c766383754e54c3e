"""Django glue: choose the rules a decision triggers, compute them with staff overrides, and keep the stored
deadlines in step with the decision, its case's parties and the calendar."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import CalendarOverride, Court, Deadline, Decision, Party
from .calendars import WorkCalendar, holidays_version
from .engine import TriggerInFuture, compute
from .rules import FACT_LABELS, PROCEDURE_COUNTRIES, RUSSIA_LEFT_CONVENTION, Fact, Trigger, choose, get_rule

GOVERNMENT_KINDS = (Party.Kind.GOVERNMENT, Party.Kind.AGENCY)
# Which side a result favours, read from the claimant's (plaintiff's, applicant's) point of view.
CLAIMANT_WINS = {"granted", "violation"}
CLAIMANT_LOSES = {"dismissed", "struck_out", "no_violation"}
# Court levels where the result can be read against the claimant: elsewhere "dismissed" may be an appeal's.
RESULT_READABLE_AT = {Court.Level.FIRST_INSTANCE, Court.Level.INTERNATIONAL}
# Statuses the rules manage; done and cancelled are a lawyer's word and are never touched.
MANAGED = (Deadline.Status.OPEN, Deadline.Status.LAPSED, Deadline.Status.NOT_APPLICABLE)
# The decision's field each trigger counts from: a refused date's error is shown next to it.
TRIGGER_FIELDS = {
    Trigger.DECISION_ANNOUNCED: "announced_on",
    Trigger.DECISION_FINAL_FORM: "final_form_on",
    Trigger.JUDGMENT_ENTERED: "final_form_on",
    Trigger.JUDGMENT_EFFECTIVE: "legal_effect_on",
    Trigger.COPY_SERVED: "served_on",
    Trigger.FINAL_DECISION_KNOWN: "served_on",
}

# Why stored deadlines are recomputed; each cause is a message with parameters, translated where shown.
DECISION_CHANGED = gettext_noop("the decision was recorded or corrected")
CASE_CHANGED = gettext_noop("the case's parties, clients or procedure changed")
OVERRIDE_CHANGED = gettext_noop("the calendar entry for %(day)s changed (%(reason)s)")
CALENDAR_UPDATED = gettext_noop("the holiday calendar was updated (holidays %(old)s to %(new)s)")


def cause_text(cause):
    """Return a cause, a (message, params) pair, in the active language."""
    message, params = cause
    return _(message) % params


def calendar_for(rule, court=None):
    """Return rule's working-day calendar with staff overrides: the court's own win over country-wide ones."""
    overrides = CalendarOverride.objects.filter(calendar=rule.calendar).filter(Q(court=None) | Q(court=court))
    ordered = overrides.order_by(F("court").asc(nulls_first=True))
    return WorkCalendar.for_code(rule.calendar, [override.as_engine_override() for override in ordered])


def compute_with_overrides(rule, trigger, court=None):
    """Compute rule's deadline for trigger using staff overrides; refuse forbidden future triggers."""
    today = timezone.localdate(timezone=court.zone) if court else timezone.localdate()
    return compute(rule, trigger, calendar=calendar_for(rule, court), today=today)


def describe(computation, note, language):
    """Return the computation's explanation in language, with note and any provisional warning, and those notes."""
    with translation.override(language):
        notes = [_(note)] if note else []
        if computation.provisional:
            notes.append(
                _("Provisional: the calendar for %(year)d is not known yet.") % {"year": computation.provisional_from}
            )
        return "\n".join([computation.explanation(translation, language), *notes]), notes


def generated_title(rule, proceeding, language):
    """Return a generated deadline's title in language: the rule's title, then the court and docket number."""
    with translation.override(language):
        number = f" {proceeding.docket_number}" if proceeding.docket_number else ""
        return f"{_(rule.title)}: {proceeding.court.display_name}{number}"


# Whose deadline ----------------------------------------------------------------------------------------------


def facts_for(case):
    """Return what the rule table asks about the case's parties, and the participations marked as our clients."""
    participations = list(case.participations.select_related("party"))
    facts = {
        Fact.US_GOVERNMENT_PARTY: any(
            p.party.kind in GOVERNMENT_KINDS
            and p.party.country.code in ("US", "")
            and p.party.government_level == Party.GovernmentLevel.NATIONAL
            for p in participations
        ),
        Fact.APPLICANT_CLIENT: any(p.is_client and p.party.kind not in GOVERNMENT_KINDS for p in participations),
    }
    return facts, [p for p in participations if p.is_client]


def client_outcome(decision, clients):
    """Return won, lost, mixed or "" (unknown) for our clients: as entered, else read from a first-instance result."""
    Outcome = Decision.ClientOutcome
    if decision.client_outcome or not clients:
        return decision.client_outcome
    if decision.proceeding.court.level not in RESULT_READABLE_AT:
        return Outcome.UNKNOWN
    if decision.result in CLAIMANT_WINS:
        claimant, defendant = Outcome.WON, Outcome.LOST
    elif decision.result in CLAIMANT_LOSES:
        claimant, defendant = Outcome.LOST, Outcome.WON
    else:
        return Outcome.MIXED
    sides = set()
    for participation in clients:
        if participation.role == "plaintiff":
            sides.add(claimant)
        elif participation.role == "defendant":
            sides.add(defendant)
        else:
            return Outcome.UNKNOWN  # an intervener or third party: the result alone does not say
    return sides.pop() if len(sides) == 1 else Outcome.MIXED


# The plan: which rules a decision triggers, for whom, and why -------------------------------------------------


@dataclass
class Plan:
    """The rules a decision triggers: for us, for the other side only, and the reasons the admin shows."""

    ours: list = field(default_factory=list)  # rule codes to generate for our clients
    theirs: list = field(default_factory=list)  # rule codes only the other side can use (our client won)
    reasons: list = field(default_factory=list)  # (code or "", chosen, message, params) for the admin
    notice: str = ""  # why nothing can be generated, e.g. no procedure


def plan_for(decision):
    """Return which rules decision triggers and why; an unknown procedure triggers none."""
    proceeding = decision.proceeding
    plan = Plan()
    if not proceeding.procedure:
        plan.notice = gettext_noop("No rule: set the procedure of this proceeding to get its deadlines.")
        return plan
    if proceeding.procedure == proceeding.Procedure.OTHER:
        plan.notice = gettext_noop("No rule for this procedure: enter its deadlines by hand.")
        return plan
    court = proceeding.court
    facts, clients = facts_for(proceeding.case)
    verdicts = choose(
        country=court.country.code,
        procedure=proceeding.procedure,
        level=court.level,
        final=decision.is_final,
        facts=facts,
    )
    outcome = client_outcome(decision, clients)
    for verdict in verdicts:
        if verdict.chosen and outcome == Decision.ClientOutcome.WON:
            plan.theirs.append(verdict.code)
            plan.reasons.append(
                (verdict.code, False, gettext_noop("our client won: only the other side may use it"), {})
            )
        elif verdict.chosen:
            plan.ours.append(verdict.code)
            plan.reasons.append((verdict.code, True, verdict.reason, verdict.params))
        else:
            plan.reasons.append((verdict.code, False, verdict.reason, verdict.params))
    if not clients:
        plan.reasons.append(
            ("", False, gettext_noop("No party is marked as our client: deadlines are for both sides."), {})
        )
    if not verdicts:
        plan.notice = gettext_noop("No rule for this procedure at this court level: enter its deadlines by hand.")
    return plan


def plan_lines(decision):
    """Return the plan in the active language: one line per rule, chosen or not and why."""
    plan = plan_for(decision)
    lines = [_(plan.notice)] if plan.notice else []
    for code, chosen, message, params in plan.reasons:
        if "fact" in params:
            params = params | {"fact": _(FACT_LABELS[params["fact"]])}
        text = _(message) % params
        if code:
            text = (_("%(code)s: chosen, %(why)s") if chosen else _("%(code)s: not chosen, %(why)s")) % {
                "code": code,
                "why": text,
            }
        lines.append(text)
    return lines


# Trigger dates -------------------------------------------------------------------------------------------------


def legal_effect(decision):
    """Return (date, note) of the day decision took legal effect, or (None, "") when the law here does not fix it.

    Computed only for Russian procedures, whose codes fix it; elsewhere staff enter it.
    """
    if decision.legal_effect_on:
        return decision.legal_effect_on, ""
    if PROCEDURE_COUNTRIES.get(decision.proceeding.procedure) != {"RU"}:
        return None, ""
    if decision.proceeding.court.level == Court.Level.APPEAL:
        # GPK art. 329(5), KAS art. 311, APK art. 271(5): an appellate ruling takes effect when pronounced.
        return decision.announced_on, gettext_noop("An appellate ruling takes legal effect when pronounced.")
    plan = plan_for(decision)
    appeals = [code for code in plan.ours + plan.theirs if get_rule(code).kind == "appeal"]
    if decision.proceeding.court.level != Court.Level.FIRST_INSTANCE or not appeals:
        return None, ""
    rule = get_rule(appeals[0])
    deadline = compute(rule, trigger_date(rule, decision)[0], calendar=calendar_for(rule, decision.proceeding.court))
    return deadline.deadline + datetime.timedelta(days=1), gettext_noop(
        "Unless appealed, the decision takes legal effect the day after the appeal period ends."
    )


def trigger_date(rule, decision):
    """Return (date, note): the decision date rule counts from, and a note when a blank date was stood in for."""
    if rule.trigger is Trigger.DECISION_ANNOUNCED:
        return decision.announced_on, ""
    if rule.trigger in (Trigger.DECISION_FINAL_FORM, Trigger.JUDGMENT_ENTERED):
        if decision.final_form_on:
            return decision.final_form_on, ""
        return decision.announced_on, gettext_noop(
            "The final-form (entry) date is not entered: counted from the announcement, the earliest it can run."
        )
    if rule.trigger is Trigger.JUDGMENT_EFFECTIVE:
        day, note = legal_effect(decision)
        return day or decision.announced_on, note
    if decision.served_on:
        return decision.served_on, ""
    if rule.trigger is Trigger.COPY_SERVED:
        return decision.announced_on, gettext_noop(
            "No service date is entered: counted from the announcement, the earliest it can run. Enter the date "
            "our client received the copy."
        )
    return decision.final_form_on or decision.announced_on, gettext_noop(
        "No service date is entered: counted from the decision in final form. Enter the date our client received it."
    )


def check_triggers(decision):
    """Raise ValidationError if a rule this decision triggers refuses its date (e.g. a future date)."""
    for code in plan_for(decision).ours:
        rule = get_rule(code)
        try:
            compute_with_overrides(rule, trigger_date(rule, decision)[0], decision.proceeding.court)
        except TriggerInFuture as exc:
            field_name = TRIGGER_FIELDS[rule.trigger]
            if not getattr(decision, field_name):
                field_name = "announced_on"
            raise ValidationError({field_name: str(exc)}) from exc


def russia_warning(rule, decision):
    """Return the warning for an ECHR deadline in a Russian case whose facts may postdate 16 September 2022."""
    case = decision.proceeding.case
    if rule.code != "echr-application" or case.country.code != "RU":
        return ""
    if case.facts_date is None:
        return _(
            "Russia ceased to be a party to the Convention on 16 September 2022: enter the case's date of the facts "
            "to check the Court can examine them."
        )
    if case.facts_date <= RUSSIA_LEFT_CONVENTION:
        return ""
    return _(
        "Russia ceased to be a party to the Convention on 16 September 2022; the Court only examines facts "
        "before that date. The facts of this case date from %(date)s."
    ) % {"date": case.facts_date}


def other_side_deadlines(decision):
    """Return (rule, computation) for each rule only the other side can use because our client won."""
    court = decision.proceeding.court
    result = []
    for code in plan_for(decision).theirs:
        rule = get_rule(code)
        result.append((rule, compute(rule, trigger_date(rule, decision)[0], calendar=calendar_for(rule, court))))
    return result


# Keeping stored deadlines in step ----------------------------------------------------------------------------


def passed_message(deadline):
    """Return the admin's message for a deadline that had passed when recorded."""
    rule = get_rule(deadline.rule_code)
    return _("%(kind)s deadline %(date)s (%(citation)s) has passed") % {
        "kind": deadline.get_kind_display(),
        "date": formats.date_format(deadline.due_on, "j M Y"),
        "citation": rule.short_citation,
    }


def sync_generated_deadlines(decision, *, actor, cause=(DECISION_CHANGED, {})):
    """Create, recompute, lapse or retire the deadlines decision triggers; return the lapsed ones' messages.

    A deadline whose date has already passed is still stored, as lapsed, with no reminders: an old decision
    must leave a visible record, not a silent gap.
    """
    from ..actions.deadlines import save_generated_deadline

    court, case = decision.proceeding.court, decision.proceeding.case
    if not decision.proceeding.procedure:
        # Unknown procedure: generate nothing, and leave deadlines made before procedures were recorded alone.
        return []
    existing = {deadline.rule_code: deadline for deadline in decision.deadlines.all()}
    today = timezone.localdate(timezone=court.zone)
    messages = []
    for code in plan_for(decision).ours:
        rule = get_rule(code)
        trigger, note = trigger_date(rule, decision)
        result = compute(rule, trigger, calendar=calendar_for(rule, court))
        deadline = existing.pop(code, None)
        if deadline is None:
            deadline = Deadline(case=case, proceeding=decision.proceeding, source_decision=decision, rule_code=code)
            deadline.kind = rule.kind
            deadline.title = generated_title(rule, decision.proceeding, "en")
            deadline.title_ru = generated_title(rule, decision.proceeding, "ru")
        elif deadline.status not in MANAGED:
            continue
        status = Deadline.Status.LAPSED if result.deadline < today else Deadline.Status.OPEN
        explanation, notes = describe(result, note, "en")
        changes = {
            "trigger_date": trigger,
            "due_on": result.deadline,
            "status": status,
            "citation": rule.citation,
            "explanation": explanation,
            "explanation_ru": describe(result, note, "ru")[0],
            "warning": " ".join(filter(None, [russia_warning(rule, decision), *notes])),
            "is_provisional": result.provisional,
            "calendar_version": holidays_version(),
        }
        if deadline.pk and all(getattr(deadline, name) == value for name, value in changes.items()):
            continue
        save_generated_deadline(deadline, changes, actor=actor, cause=cause)
        if status == Deadline.Status.LAPSED:
            messages.append(passed_message(deadline))
    for deadline in existing.values():
        if deadline.status in (Deadline.Status.OPEN, Deadline.Status.LAPSED):
            changes = {"status": Deadline.Status.NOT_APPLICABLE}
            save_generated_deadline(deadline, changes, actor=actor, cause=cause)
    return messages


def sync_case_deadlines(case, *, actor, cause=(CASE_CHANGED, {})):
    """Recompute the deadlines of every decision of case (after its parties or procedures changed)."""
    messages = []
    for decision in Decision.objects.filter(proceeding__case=case).select_related(
        "proceeding__court", "proceeding__case"
    ):
        messages += sync_generated_deadlines(decision, actor=actor, cause=cause)
    return messages


def case_notices(case):
    """Return what the case page must tell the team about its deadlines: missing procedures, the other side's."""
    lines = []
    decisions = Decision.objects.filter(proceeding__case=case).select_related("proceeding__court", "proceeding__case")
    for decision in decisions:
        notice = plan_for(decision).notice
        if notice:
            lines.append(_("%(proceeding)s: %(notice)s") % {"proceeding": decision.proceeding, "notice": _(notice)})
        for rule, computation in other_side_deadlines(decision):
            lines.append(
                _("The other side may appeal until %(date)s (%(citation)s): %(title)s.")
                % {
                    "date": formats.date_format(computation.deadline, "j M Y"),
                    "citation": rule.short_citation,
                    "title": _(rule.title),
                }
            )
    return list(dict.fromkeys(lines))
