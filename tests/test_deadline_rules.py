"""The pure rules engine: every worked example in deadline-rules.md, plus edge cases."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.deadlines.calendars import Override, WorkCalendar
from cases.deadlines.engine import TriggerInFuture, compute
from cases.deadlines.rules import RULES, Roll, UnknownRule, get_rule

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


def test_every_rule_has_citation_calendar_and_period():
    assert {"ru-appeal", "ru-cassation-kas", "echr-application", "us-frap-4a1a", "us-frap-4a1b", "uk-cpr-52-12"} <= set(
        RULES
    )
    for rule in RULES.values():
        assert rule.citation and rule.periods
        WorkCalendar.for_code(rule.calendar)


def test_leap_year_month_end():
    assert compute(get_rule("ru-appeal"), D(2024, 1, 31)).deadline == D(2024, 2, 29)


def test_russian_appeal_rolls_over_new_year_holidays_with_reasons():
    result = compute(get_rule("ru-appeal"), D(2022, 12, 3))  # raw end Tuesday 3 January 2023
    assert result.raw_end == D(2023, 1, 3)
    assert result.deadline == D(2023, 1, 9)
    assert [day for day, _ in result.rolled_over] == [D(2023, 1, day) for day in range(3, 9)]
    assert "Christmas" in dict(result.rolled_over)[D(2023, 1, 7)]


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
    assert "substituted" in result.rolled_over[0][1].lower()


def test_us_presidential_closure_is_a_legal_holiday():
    # 9 January 2025: national day of mourning for President Carter; 30 days after 10 December 2024.
    result = compute(get_rule("us-frap-4a1a"), D(2024, 12, 10))
    assert result.raw_end == D(2025, 1, 9)
    assert result.deadline == D(2025, 1, 10)
    assert "Mourning" in result.rolled_over[0][1]


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
        assert [day for day, _ in result.rolled_over] == [
            result.raw_end + datetime.timedelta(days=n) for n in range((result.deadline - result.raw_end).days)
        ]
