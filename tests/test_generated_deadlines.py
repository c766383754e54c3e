"""Deadlines that recording a decision creates, recomputes and cancels."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.actions.decisions import save_decision
from cases.models import CalendarOverride, Deadline, Decision, Participation, Party, Proceeding
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def record(proceeding, actor, **fields):
    decision = Decision(proceeding=proceeding, result="dismissed", **fields)
    return save_decision(decision, actor=actor)


@pytest.fixture
def russian_case(lawyer):
    case = factories.case(country="RU", filed_on=D(2022, 3, 1), facts_date=D(2022, 2, 1))
    case.team.add(lawyer)
    return case


def make_proceeding(case, procedure="kas", **fields):
    return factories.proceeding(case, procedure=procedure, **fields)


def client(case, role="plaintiff", **party_fields):
    return factories.participation(case, role=role, is_client=True, party=factories.party(**party_fields))


def test_russian_first_instance_decision_creates_appeal_from_final_form_date(russian_case, lawyer):
    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.trigger_date, deadline.due_on) == ("ru-appeal", D(2023, 5, 15), D(2023, 6, 15))
    assert deadline.status == Deadline.Status.OPEN and deadline.kind == "appeal"
    assert "GPK RF art. 321(2)" in deadline.citation
    assert "Raw end: 2023-06-15." in deadline.explanation
    assert deadline.warning == ""
    assert list(deadline.responsible.all()) == []  # blank: the case team
    assert set(deadline.deliveries.values_list("recipient", flat=True)) == {lawyer.pk}
    assert deadline.history.first().history_user == lawyer


def test_date_correction_recomputes_open_deadline_and_records_history(russian_case, lawyer, editor):
    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    decision.final_form_on = D(2023, 5, 16)
    save_decision(decision, actor=editor)
    deadline = decision.deadlines.get()
    assert (deadline.trigger_date, deadline.due_on) == (D(2023, 5, 16), D(2023, 6, 16))
    latest = deadline.history.first()
    assert latest.history_user == editor
    assert "Moved from 2023-06-15 to 2023-06-16 because" in latest.history_change_reason
    assert deadline.calendar_sequence == 1
    assert deadline.deliveries.filter(status="pending").count() == 5


def test_correction_leaves_completed_deadline_alone(russian_case, lawyer):
    from cases.actions.deadlines import complete_deadline

    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    complete_deadline(decision.deadlines.get(), actor=lawyer)
    decision.final_form_on = D(2023, 5, 17)
    save_decision(decision, actor=lawyer)
    assert decision.deadlines.get().due_on == D(2023, 6, 15)


def test_final_decision_creates_echr_deadline_with_russia_warning_from_the_facts_date(lawyer):
    case = factories.case(country="RU", filed_on=D(2022, 3, 1), facts_date=D(2022, 10, 1))
    case.team.add(lawyer)
    client(case)
    court = factories.court(level="appeal")
    decision = record(
        make_proceeding(case, court=court, started_on=D(2022, 3, 1)), lawyer, announced_on=D(2023, 1, 20), is_final=True
    )
    deadline = decision.deadlines.get(rule_code="echr-application")
    assert deadline.due_on == D(2023, 5, 20)
    assert "16 September 2022" in deadline.warning and "2022-10-01" in deadline.warning


def test_echr_deadline_for_facts_before_russia_left_has_no_warning(russian_case, lawyer):
    client(russian_case)
    proceeding = make_proceeding(russian_case, court=factories.court(level="appeal"), started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 1, 20), served_on=D(2023, 1, 25), is_final=True)
    deadline = decision.deadlines.get(rule_code="echr-application")
    assert (deadline.trigger_date, deadline.due_on, deadline.warning) == (D(2023, 1, 25), D(2023, 5, 25), "")


def test_echr_rule_runs_only_for_an_applicant_side_client(russian_case, lawyer):
    court = factories.court(level="appeal")
    decision = record(make_proceeding(russian_case, court=court), lawyer, announced_on=D(2023, 1, 20), is_final=True)
    assert not decision.deadlines.filter(rule_code="echr-application").exists()  # no client marked
    client(russian_case, role="defendant", kind="government", government_level="regional")
    assert not decision.deadlines.filter(rule_code="echr-application").exists()  # the state is no applicant
    participation = client(russian_case, role="plaintiff")
    assert not decision.deadlines.filter(rule_code="echr-application").exists()  # factory bypasses the actions
    from cases.actions.records import save_record

    save_record(participation, actor=lawyer)
    assert decision.deadlines.get(rule_code="echr-application").status == "open"


def test_us_district_court_picks_sixty_days_only_for_a_federal_party(lawyer):
    case = factories.case(country="US")
    case.team.add(lawyer)
    court = factories.court(country="US", timezone="America/New_York")
    decision = record(make_proceeding(case, "federal-civil", court=court), lawyer, announced_on=D(2023, 5, 1))
    assert decision.deadlines.get().rule_code == "us-frap-4a1a"

    other = factories.case(country="US")
    other.team.add(lawyer)
    agency = factories.party(kind="agency", country="US", government_level="national")
    factories.participation(other, role="defendant", party=agency)
    decision = record(make_proceeding(other, "federal-civil", court=court), lawyer, announced_on=D(2023, 5, 1))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("us-frap-4a1b", D(2023, 6, 30))


def test_city_of_chicago_gets_thirty_days(lawyer):
    case = factories.case(country="US")
    case.team.add(lawyer)
    chicago = factories.party(name="City of Chicago", kind="government", country="US", government_level="local")
    factories.participation(case, role="defendant", party=chicago)
    court = factories.court(country="US", timezone="America/Chicago")
    decision = record(make_proceeding(case, "federal-civil", court=court), lawyer, announced_on=D(2023, 5, 1))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("us-frap-4a1a", D(2023, 5, 31))
    assert "FRAP 4(a)(1)(A)" in deadline.citation


def test_koap_first_instance_gets_ten_days_from_service(russian_case, lawyer):
    proceeding = make_proceeding(russian_case, "koap")
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), served_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.trigger_date, deadline.due_on) == (
        "ru-koap-complaint",
        D(2023, 5, 15),
        D(2023, 5, 25),
    )
    assert "KoAP RF art. 30.3(1)" in deadline.citation


def test_koap_without_a_service_date_counts_from_the_announcement_and_says_so(russian_case, lawyer):
    decision = record(make_proceeding(russian_case, "koap"), lawyer, announced_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert (deadline.trigger_date, deadline.due_on) == (D(2023, 5, 15), D(2023, 5, 25))
    assert "No service date is entered" in deadline.warning


def test_gpk_appeal_court_gets_three_months_from_pronouncement(russian_case, lawyer):
    court = factories.court(level="appeal")
    proceeding = make_proceeding(russian_case, "gpk", court=court)
    decision = record(proceeding, lawyer, announced_on=D(2023, 3, 1), final_form_on=D(2023, 3, 10))
    deadline = decision.deadlines.get()
    # Counting from the final form would give 13 June: ten days late.
    assert (deadline.rule_code, deadline.trigger_date, deadline.due_on) == (
        "ru-gpk-cassation",
        D(2023, 3, 1),
        D(2023, 6, 1),
    )
    assert deadline.kind == "cassation"


def test_legal_effect_override_moves_the_cassation_deadline(russian_case, lawyer):
    proceeding = make_proceeding(russian_case, "gpk", court=factories.court(level="appeal"))
    decision = record(proceeding, lawyer, announced_on=D(2023, 3, 1), legal_effect_on=D(2023, 3, 2))
    assert decision.deadlines.get().due_on == D(2023, 6, 2)


def test_first_instance_legal_effect_is_the_day_after_the_appeal_period(russian_case, lawyer):
    from cases.deadlines.generate import legal_effect

    decision = record(make_proceeding(russian_case), lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    assert legal_effect(decision)[0] == D(2023, 6, 16)
    decision.legal_effect_on = D(2023, 6, 20)
    assert legal_effect(decision) == (D(2023, 6, 20), "")


def test_no_appeal_deadline_when_our_client_won(russian_case, lawyer, editor_client):
    from tests.admin_posts import change_url

    client(russian_case, role="plaintiff")
    proceeding = make_proceeding(russian_case)
    decision = Decision(
        proceeding=proceeding, result="granted", announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15)
    )
    save_decision(decision, actor=lawyer)
    assert not decision.deadlines.exists()
    page = editor_client.get(change_url(russian_case)).content.decode()
    assert "The other side may appeal until 15 Jun 2023 (GPK art. 321(2), KAS art. 298)" in page


@pytest.mark.parametrize(
    ("role", "result", "outcome", "expected"),
    [
        ("plaintiff", "dismissed", "", ["ru-appeal"]),  # lost
        ("defendant", "granted", "", ["ru-appeal"]),  # lost
        ("defendant", "dismissed", "", []),  # won
        ("plaintiff", "partly_granted", "", ["ru-appeal"]),  # mixed
        ("plaintiff", "granted", "lost", ["ru-appeal"]),  # the lawyer knows better
        ("intervener", "granted", "", ["ru-appeal"]),  # unknown
    ],
)
def test_appeal_deadlines_follow_our_clients_side(russian_case, lawyer, role, result, outcome, expected):
    client(russian_case, role=role)
    decision = Decision(
        proceeding=make_proceeding(russian_case),
        result=result,
        client_outcome=outcome,
        announced_on=D(2023, 5, 10),
        final_form_on=D(2023, 5, 15),
    )
    save_decision(decision, actor=lawyer)
    assert list(decision.deadlines.filter(status="open").values_list("rule_code", flat=True)) == expected


def test_uk_decision_uses_cpr_and_staff_closure(lawyer):
    case = factories.case(country="GB")
    case.team.add(lawyer)
    court = factories.court(country="GB", timezone="Europe/London")
    CalendarOverride.objects.create(calendar="GB-ENG", court=court, day=D(2023, 5, 31), reason="Building works")
    decision = record(make_proceeding(case, "cpr", court=court), lawyer, announced_on=D(2023, 5, 10))
    deadline = decision.deadlines.get()
    assert (deadline.rule_code, deadline.due_on) == ("uk-cpr-52-12", D(2023, 6, 1))
    assert "Building works" in deadline.explanation


def test_decision_no_longer_triggering_a_rule_retires_its_open_deadline(russian_case, lawyer):
    client(russian_case)
    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    decision.is_final = True
    save_decision(decision, actor=lawyer)
    statuses = dict(decision.deadlines.values_list("rule_code", "status"))
    assert statuses == {"ru-appeal": "not_applicable", "echr-application": "open"}
    assert not decision.deadlines.get(rule_code="ru-appeal").deliveries.filter(status="pending").exists()
    decision.is_final = False
    save_decision(decision, actor=lawyer)  # and back: the rules manage their own deadlines both ways
    assert dict(decision.deadlines.values_list("rule_code", "status")) == {
        "ru-appeal": "open",
        "echr-application": "not_applicable",
    }


@pytest.fixture
def english_high_court(lawyer):
    case = factories.case(country="GB")
    case.team.add(lawyer)
    court = factories.court(country="GB", timezone="Europe/London", name="High Court of Justice")
    return make_proceeding(case, "cpr", court=court, started_on=D(2019, 1, 1))


def lapsed_state(decision):
    deadline = decision.deadlines.get()
    pending = deadline.deliveries.filter(status="pending").exists()
    return deadline.rule_code, deadline.due_on, deadline.status, pending


def test_old_english_decision_stores_a_lapsed_deadline_and_says_so(english_high_court, lawyer):
    decision = record(english_high_court, lawyer, announced_on=D(2019, 9, 4))
    assert lapsed_state(decision) == ("uk-cpr-52-12", D(2019, 9, 25), "lapsed", False)
    assert decision.deadline_messages == ["Appeal deadline 25 Sep 2019 (CPR 52.12) has passed"]
    assert "Raw end: 2019-09-25." in decision.deadlines.get().explanation


def test_correcting_a_decision_to_an_old_date_gives_the_same_lapsed_deadline(english_high_court, lawyer):
    decision = record(english_high_court, lawyer, announced_on=D(2023, 5, 10))
    assert decision.deadlines.get().status == "open"
    decision.announced_on = D(2019, 9, 4)
    save_decision(decision, actor=lawyer)
    assert lapsed_state(decision) == ("uk-cpr-52-12", D(2019, 9, 25), "lapsed", False)
    assert decision.deadline_messages == ["Appeal deadline 25 Sep 2019 (CPR 52.12) has passed"]


def open_deadlines(case):
    return sorted(Deadline.objects.filter(case=case, status="open").values_list("rule_code", "due_on"))


def test_parties_before_or_after_the_decision_give_the_same_deadlines(lawyer):
    from cases.actions.records import save_record

    court = factories.court(country="US", timezone="America/New_York")
    cases = []
    for parties_first in (True, False):
        case = factories.case(country="US")
        case.team.add(lawyer)
        agency = Participation(
            case=case, role="defendant", party=factories.party(kind="agency", government_level="national")
        )
        if parties_first:
            save_record(agency, actor=lawyer)
        record(make_proceeding(case, "federal-civil", court=court), lawyer, announced_on=D(2023, 5, 1))
        if not parties_first:
            save_record(agency, actor=lawyer)
        cases.append(case)
    assert open_deadlines(cases[0]) == open_deadlines(cases[1]) == [("us-frap-4a1b", D(2023, 6, 30))]


def test_unknown_procedure_generates_nothing_and_says_why(russian_case, lawyer, editor_client):
    from tests.admin_posts import change_url

    proceeding = make_proceeding(russian_case, "")
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    assert not decision.deadlines.exists()
    assert decision.deadline_messages == ["No rule: set the procedure of this proceeding to get its deadlines."]
    assert "No rule: set the procedure" in editor_client.get(change_url(russian_case)).content.decode()
    proceeding.procedure = "kas"
    from cases.actions.records import save_record

    save_record(proceeding, actor=lawyer)  # setting it later generates what recording it with one would
    assert open_deadlines(russian_case) == [("ru-appeal", D(2023, 6, 15))]


def test_admin_shows_why_each_rule_was_or_was_not_chosen(russian_case, lawyer, editor_client):
    from tests.admin_posts import change_url

    decision = record(make_proceeding(russian_case), lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    page = editor_client.get(change_url(decision)).content.decode()
    assert "ru-appeal: chosen, procedure, court level and parties match" in page
    assert "ru-cassation-kas: not chosen, it applies to other court levels" in page
    assert "No party is marked as our client" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"final_form_on": D(2023, 5, 9)}, "cannot be in final form before it was announced"),
        ({"served_on": D(2023, 5, 9)}, "cannot be served before the decision was announced"),
        ({"legal_effect_on": D(2023, 5, 9)}, "cannot take legal effect before it was announced"),
    ],
)
def test_contradictory_decision_dates_are_refused_and_nothing_is_saved(russian_case, lawyer, fields, message):
    with pytest.raises(ValidationError, match=message):
        record(make_proceeding(russian_case), lawyer, announced_on=D(2023, 5, 10), **fields)
    assert not Decision.objects.exists() and not Deadline.objects.exists()


def test_procedure_that_does_not_fit_the_courts_country_is_refused(lawyer):
    proceeding = Proceeding(case=factories.case(country="US"), court=factories.court(country="US"), procedure="kas")
    with pytest.raises(ValidationError, match="does not fit a court in United States"):
        proceeding.full_clean()


def test_government_level_only_for_government_parties():
    with pytest.raises(ValidationError, match="Only a government body or agency"):
        Party(name="Ivanov", kind="person", government_level="local").full_clean()


def test_old_decision_without_procedure_leaves_existing_deadlines_alone(russian_case, lawyer):
    proceeding = make_proceeding(russian_case)
    decision = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    Proceeding.objects.filter(pk=proceeding.pk).update(procedure="")  # as data recorded before procedures
    decision.refresh_from_db()
    save_decision(decision, actor=lawyer)
    assert open_deadlines(russian_case) == [("ru-appeal", D(2023, 6, 15))]


def test_future_decision_date_is_a_clear_error_and_saves_nothing(russian_case, lawyer):
    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    with pytest.raises(ValidationError, match="in the future"):
        record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 7, 1))
    assert not Decision.objects.exists() and not Deadline.objects.exists()


def test_case_without_team_gets_deadline_with_warning(lawyer):
    proceeding = make_proceeding(factories.case(country="RU"), started_on=D(2022, 3, 1))
    decision = record(proceeding, None, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    deadline = decision.deadlines.get()
    assert "Nobody would be reminded" in deadline.warning
    assert not deadline.deliveries.exists()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_recording_a_decision_in_the_admin_creates_its_deadline(editor_client, russian_case, lawyer):
    from tests.admin_posts import change_url, proceeding_post

    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    row = {"announced_on": "2023-05-10", "final_form_on": "2023-05-15", "result": "dismissed", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    assert response.status_code == 302
    deadline = Deadline.objects.get()
    assert (deadline.rule_code, deadline.due_on, deadline.status) == ("ru-appeal", D(2023, 6, 15), "open")
    page = editor_client.get(change_url(deadline)).content.decode()
    assert "GPK RF art. 321(2)" in page and "Raw end: 2023-06-15." in page


def test_admin_refuses_a_deadline_nobody_would_be_reminded_of(editor_client):
    from tests.admin_posts import add_url

    case = factories.case()
    data = {"case": case.pk, "title": "Reply", "kind": "other", "due_on": "2023-06-01", "reminder_offsets": "[]"}
    data |= {"deliveries-TOTAL_FORMS": 0, "deliveries-INITIAL_FORMS": 0}
    response = editor_client.post(add_url(Deadline), data)
    assert response.status_code == 200
    assert "Nobody would be reminded" in response.content.decode()
    assert not Deadline.objects.exists()


def test_admin_actions_close_deadlines_and_the_delivery_log_is_read_only(editor_client, russian_case, lawyer):
    from tests.admin_posts import change_url

    proceeding = make_proceeding(russian_case, started_on=D(2022, 3, 1))
    deadline = record(proceeding, lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15)).deadlines.get()
    changelist = reverse("admin:cases_deadline_changelist")
    response = editor_client.post(changelist, {"action": "mark_done", "_selected_action": [deadline.pk]})
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.status == "done"
    assert set(deadline.deliveries.values_list("status", flat=True)) == {"cancelled"}
    log = editor_client.get(reverse("admin:cases_reminderdelivery_changelist"))
    assert log.status_code == 200 and "Cancelled" in log.content.decode()
    row = deadline.deliveries.first()
    assert editor_client.post(change_url(row), {}).status_code == 403


def test_final_public_decision_sets_case_outcome(editor):
    case_obj = factories.case(published=True)
    proceeding = factories.proceeding(case_obj)
    decision = Decision(
        proceeding=proceeding, announced_on=datetime.date(2019, 11, 6), result="dismissed", is_final=True
    )
    save_decision(decision, actor=editor)
    case_obj.refresh_from_db()
    assert case_obj.outcome == "dismissed"
    assert case_obj.history.first().history_user == editor


def test_confidential_decision_does_not_set_public_outcome(editor):
    case_obj = factories.case(published=True)
    decision = Decision(
        proceeding=factories.proceeding(case_obj),
        announced_on=datetime.date(2019, 11, 6),
        result="granted",
        is_final=True,
        is_public=False,
    )
    save_decision(decision, actor=editor)
    case_obj.refresh_from_db()
    assert case_obj.outcome == ""


def test_admin_says_an_old_decisions_deadline_has_passed(editor_client, english_high_court):
    from tests.admin_posts import change_url, proceeding_post

    row = {"announced_on": "2019-09-04", "result": "dismissed", "is_public": "on"}
    url = change_url(english_high_court)
    response = editor_client.post(url, proceeding_post(english_high_court, {"decisions": [row]}), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert "Appeal deadline 25 Sep 2019 (CPR 52.12) has passed" in messages
    assert Deadline.objects.get().status == "lapsed"


def test_a_lawyer_may_edit_a_party_that_is_in_other_teams_cases(lawyer, other_lawyer):
    from cases.actions.records import save_record

    party = factories.party(name="Ministry of Digital Development", kind="government")
    theirs = factories.case(country="RU", lead_lawyer=other_lawyer)
    factories.participation(theirs, party=party, role="defendant")
    proceeding = make_proceeding(theirs, started_on=D(2022, 3, 1))
    record(proceeding, other_lawyer, announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15))
    party.government_level = "national"
    save_record(party, actor=lawyer)
    assert theirs.deadlines.exists()
