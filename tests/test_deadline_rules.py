"""The pure rules engine: every worked example in deadline-rules.md, plus edge cases."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.deadlines.calendars import Override, WorkCalendar, known_until
from cases.deadlines.engine import TriggerInFuture, compute
from cases.deadlines.rules import RULES, Fact, Roll, UnknownRule, choose, get_rule, procedure_fits

D = datetime.date


@pytest.mark.parametrize(
    ("code", "trigger", "deadline"),
    [
        ("ru-appeal", D(2023, 5, 15), D(2023, 6, 15)),  # plain month
        ("ru-appeal", D(2023, 1, 31), D(2023, 2, 28)),  # month end
        ("ru-appeal", D(2022, 12, 9), D(2023, 1, 9)),  # New Year holidays end on 8 January
        ("echr-application", D(2023, 1, 20), D(2023, 5, 20)),  # four months; a Saturday, not moved
        ("echr-application", D(2021, 11, 30), D(2022, 5, 30)),  # six months before 1 Feb 2022
        ("us-frap-4a1a", D(2024, 6, 20), D(2024, 7, 22)),  # day 30 is a Saturday
        ("uk-cpr-52-12", D(2024, 5, 6), D(2024, 5, 28)),  # day 21 is the Spring bank holiday
    ],
)
def test_worked_examples(code, trigger, deadline):
    assert compute(get_rule(code), trigger).deadline == deadline


NEW_RULE_EXAMPLES = [
    # GPK cassation: 3 months from legal effect.
    ("ru-gpk-cassation", D(2023, 5, 31), D(2023, 8, 31)),  # plain: a Thursday
    ("ru-gpk-cassation", D(2023, 11, 30), D(2024, 2, 29)),  # month end in a leap year
    ("ru-gpk-cassation", D(2022, 10, 4), D(2023, 1, 9)),  # New Year holidays
    ("ru-gpk-cassation", D(2022, 11, 24), D(2023, 2, 27)),  # 24 Feb 2023: day off transferred from 1 January
    # APK appeal: 1 month from the decision in full form.
    ("ru-apk-appeal", D(2023, 5, 15), D(2023, 6, 15)),  # plain
    ("ru-apk-appeal", D(2023, 3, 31), D(2023, 5, 2)),  # 30 April a Sunday, 1 May a holiday
    ("ru-apk-appeal", D(2024, 3, 27), D(2024, 4, 27)),  # a Saturday the 2024 decree made a working day
    ("ru-apk-appeal", D(2023, 10, 4), D(2023, 11, 7)),  # Unity Day on a Saturday, its day off on Monday
    # APK cassation: 2 months from legal effect.
    ("ru-apk-cassation", D(2023, 6, 30), D(2023, 8, 30)),  # plain
    ("ru-apk-cassation", D(2023, 12, 31), D(2024, 2, 29)),  # month end
    ("ru-apk-cassation", D(2023, 1, 8), D(2023, 3, 9)),  # 8 March, Women's Day
    ("ru-apk-cassation", D(2023, 7, 16), D(2023, 9, 18)),  # weekend
    # KoAP complaint: 10 days from service of the copy.
    ("ru-koap-complaint", D(2023, 5, 15), D(2023, 5, 25)),  # plain
    ("ru-koap-complaint", D(2023, 5, 10), D(2023, 5, 22)),  # weekend
    ("ru-koap-complaint", D(2022, 12, 29), D(2023, 1, 9)),  # New Year holidays
    ("ru-koap-complaint", D(2023, 2, 14), D(2023, 2, 27)),  # transferred day off
    # UPK appeal: 15 days from pronouncement.
    ("ru-upk-appeal", D(2023, 5, 15), D(2023, 5, 30)),  # plain
    ("ru-upk-appeal", D(2023, 2, 14), D(2023, 3, 1)),  # across a short month's end
    ("ru-upk-appeal", D(2023, 5, 27), D(2023, 6, 13)),  # a Sunday, then Russia Day
    ("ru-upk-appeal", D(2023, 2, 9), D(2023, 2, 27)),  # transferred day off
    # US certiorari: 90 days from entry of judgment, Rule 30.1.
    ("us-scotus-cert", D(2024, 1, 2), D(2024, 4, 1)),  # across 29 February
    ("us-scotus-cert", D(2024, 3, 24), D(2024, 6, 24)),  # day 90 a Saturday
    ("us-scotus-cert", D(2024, 3, 21), D(2024, 6, 20)),  # day 90 is Juneteenth
    ("us-scotus-cert", D(2024, 10, 11), D(2025, 1, 9)),  # a presidential closure is no 5 U.S.C. 6103 holiday
    # UK Supreme Court permission: 28 days, never moved.
    ("uk-uksc-permission", D(2024, 5, 1), D(2024, 5, 29)),  # plain
    ("uk-uksc-permission", D(2024, 2, 1), D(2024, 2, 29)),  # leap day
    ("uk-uksc-permission", D(2024, 5, 4), D(2024, 6, 1)),  # a Saturday, not moved
    ("uk-uksc-permission", D(2024, 4, 29), D(2024, 5, 27)),  # Spring bank holiday, not moved
    # ECHR Grand Chamber referral: 3 months from the Chamber judgment, never moved.
    ("echr-gc-referral", D(2018, 9, 13), D(2018, 12, 13)),  # Big Brother Watch v. UK, Chamber judgment
    ("echr-gc-referral", D(2023, 11, 30), D(2024, 2, 29)),  # month end
    ("echr-gc-referral", D(2023, 3, 18), D(2023, 6, 18)),  # a Sunday, not moved
    ("echr-gc-referral", D(2022, 9, 25), D(2022, 12, 25)),  # Christmas Day, not moved
]


@pytest.mark.parametrize(("code", "trigger", "deadline"), NEW_RULE_EXAMPLES)
def test_new_rule_worked_examples(code, trigger, deadline):
    assert compute(get_rule(code), trigger).deadline == deadline


def test_every_rule_has_three_worked_examples():
    examples = [code for code, _trigger, _deadline in NEW_RULE_EXAMPLES]
    older = {"ru-appeal", "ru-cassation-kas", "echr-application", "us-frap-4a1a", "us-frap-4a1b", "uk-cpr-52-12"}
    assert all(examples.count(code) >= 3 for code in set(RULES) - older)


def test_no_roll_rule_explains_the_holiday_it_leaves_alone():
    text = compute(get_rule("uk-uksc-permission"), D(2024, 4, 29)).explanation()
    assert "2024-05-27 is Spring Bank Holiday; this rule does not move the deadline." in text


def test_every_rule_has_citation_calendar_and_period():
    assert {"ru-appeal", "ru-cassation-kas", "echr-application", "us-frap-4a1a", "us-frap-4a1b", "uk-cpr-52-12"} <= set(
        RULES
    )
    for rule in RULES.values():
        assert rule.citation and rule.short_citation and rule.periods and rule.trigger
        WorkCalendar.for_code(rule.calendar)


def test_a_year_without_a_transfer_decree_is_provisional():
    last = known_until("RU")
    result = compute(get_rule("ru-appeal"), D(last, 12, 27))
    assert result.provisional_from == last + 1
    assert "Provisional" in result.explanation()
    assert not compute(get_rule("ru-appeal"), D(last, 5, 4)).provisional
    assert not compute(get_rule("echr-application"), D(last, 12, 27)).provisional  # no calendar involved


@pytest.mark.parametrize(
    ("procedure", "country", "level", "final", "facts", "chosen"),
    [
        ("koap", "RU", "first_instance", False, {}, ["ru-koap-complaint"]),
        ("gpk", "RU", "appeal", False, {}, ["ru-gpk-cassation"]),
        ("kas", "RU", "appeal", False, {}, ["ru-cassation-kas"]),
        ("apk", "RU", "first_instance", False, {}, ["ru-apk-appeal"]),
        ("upk", "RU", "first_instance", False, {}, ["ru-upk-appeal"]),
        ("gpk", "RU", "first_instance", True, {}, []),  # final, and nobody on the applicant side
        ("gpk", "RU", "first_instance", True, {Fact.APPLICANT_CLIENT: True}, ["echr-application"]),
        ("federal-civil", "US", "first_instance", False, {}, ["us-frap-4a1a"]),
        ("federal-civil", "US", "first_instance", False, {Fact.US_GOVERNMENT_PARTY: True}, ["us-frap-4a1b"]),
        ("federal-civil", "US", "appeal", False, {}, ["us-scotus-cert"]),
        ("state", "US", "supreme", False, {}, ["us-scotus-cert"]),
        ("state", "US", "first_instance", False, {}, []),
        ("cpr", "GB", "first_instance", False, {}, ["uk-cpr-52-12"]),
        ("cpr", "GB", "appeal", False, {}, ["uk-uksc-permission"]),
        ("echr", "", "international", False, {}, ["echr-gc-referral"]),
    ],
)
def test_the_table_chooses_by_procedure_level_finality_and_parties(procedure, country, level, final, facts, chosen):
    verdicts = choose(country=country, procedure=procedure, level=level, final=final, facts=facts)
    assert [verdict.code for verdict in verdicts if verdict.chosen] == chosen
    assert all(verdict.reason for verdict in verdicts)


def test_procedures_fit_their_countries():
    assert procedure_fits("kas", "RU") and procedure_fits("other", "DE") and procedure_fits("echr", "")
    assert not procedure_fits("kas", "US") and not procedure_fits("cpr", "RU") and not procedure_fits("nope", "RU")


def test_leap_year_month_end():
    assert compute(get_rule("ru-appeal"), D(2024, 1, 31)).deadline == D(2024, 2, 29)


def test_russian_appeal_rolls_over_new_year_holidays_with_reasons():
    result = compute(get_rule("ru-appeal"), D(2022, 12, 3))  # raw end Tuesday 3 January 2023
    assert result.raw_end == D(2023, 1, 3)
    assert result.deadline == D(2023, 1, 9)
    assert [closure.day for closure in result.rolled_over] == [D(2023, 1, day) for day in range(3, 9)]
    assert "Christmas" in result.rolled_over[4].describe()


def test_russian_transferred_working_saturday_is_a_working_day():
    # 27 April 2024 was a working Saturday under the 2024 transfer decree.
    result = compute(get_rule("ru-appeal"), D(2024, 3, 27))
    assert result.raw_end == D(2024, 4, 27)
    assert result.deadline == D(2024, 4, 27)
    assert result.rolled_over == ()


def test_russian_transferred_day_off_is_rolled_over():
    # 24 February 2023 (Friday) was a day off transferred from 1 January.
    result = compute(get_rule("ru-appeal"), D(2023, 1, 24))
    assert result.deadline == D(2023, 2, 27)
    assert "substituted" in result.rolled_over[0].describe().lower()


def test_us_presidential_closure_is_a_legal_holiday():
    # 9 January 2025: national day of mourning for President Carter; 30 days after 10 December 2024.
    result = compute(get_rule("us-frap-4a1a"), D(2024, 12, 10))
    assert result.raw_end == D(2025, 1, 9)
    assert result.deadline == D(2025, 1, 10)
    assert "Mourning" in result.rolled_over[0].describe()


def test_us_government_party_gets_sixty_days():
    assert compute(get_rule("us-frap-4a1b"), D(2024, 6, 20)).deadline == D(2024, 8, 19)


def test_russian_cassation_six_months():
    assert compute(get_rule("ru-cassation-kas"), D(2023, 3, 1)).deadline == D(2023, 9, 1)


def test_staff_closure_override_moves_the_deadline():
    calendar = WorkCalendar.for_code("RU", [Override(D(2023, 6, 15), open=False, reason="flooded courthouse")])
    result = compute(get_rule("ru-appeal"), D(2023, 5, 15), calendar=calendar)
    assert result.deadline == D(2023, 6, 16)
    assert "flooded courthouse" in result.explanation()


def test_staff_extra_working_day_override_stops_the_roll():
    calendar = WorkCalendar.for_code("GB-ENG", [Override(D(2024, 5, 27), open=True, reason="court sits")])
    assert compute(get_rule("uk-cpr-52-12"), D(2024, 5, 6), calendar=calendar).deadline == D(2024, 5, 27)


def test_explanation_lists_start_raw_end_rollovers_and_citation():
    text = compute(get_rule("us-frap-4a1a"), D(2024, 6, 20)).explanation()
    assert "counting starts the next day, 2024-06-21" in text
    assert "Raw end: 2024-07-20." in text
    assert "Rolled over 2024-07-20: a Saturday." in text
    assert "Rolled over 2024-07-21: a Sunday." in text
    assert "FRAP 4(a)(1)(A)" in text


def test_echr_saturday_is_explained_but_not_moved():
    text = compute(get_rule("echr-application"), D(2023, 1, 20)).explanation()
    assert "2023-05-20 is a Saturday; this rule does not move the deadline." in text
    assert "Sabri Güneş" in text


def test_future_trigger_is_refused_where_the_rule_forbids_it():
    with pytest.raises(TriggerInFuture, match="in the future"):
        compute(get_rule("ru-appeal"), D(2030, 1, 1), today=D(2026, 1, 1))
    assert compute(get_rule("ru-cassation-kas"), D(2030, 1, 1), today=D(2026, 1, 1)).deadline


def test_unknown_rule_names_the_known_ones():
    with pytest.raises(UnknownRule, match="ru-appeal"):
        get_rule("ru-apeal")


def test_unknown_calendar_is_refused():
    with pytest.raises(ValueError, match="Unknown calendar"):
        WorkCalendar.for_code("XX")


@settings(max_examples=300, deadline=None)
@given(
    code=st.sampled_from(sorted(RULES)),
    trigger=st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 12, 31)),
)
def test_any_deadline_is_a_working_day_on_or_after_its_raw_end(code, trigger):
    rule = get_rule(code)
    result = compute(rule, trigger)
    calendar = WorkCalendar.for_code(rule.calendar)
    assert result.raw_end > trigger
    if rule.roll is Roll.NONE:
        assert result.deadline == result.raw_end
    else:
        assert calendar.closed_because(result.deadline) is None
        assert [closure.day for closure in result.rolled_over] == [
            result.raw_end + datetime.timedelta(days=n) for n in range((result.deadline - result.raw_end).days)
        ]
