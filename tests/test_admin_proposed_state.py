"""Rules across rows are checked against what the save proposes for every row, not against the stored rows."""

import datetime

import pytest

from cases.models import Case, Decision, Proceeding
from tests import factories
from tests.admin_posts import case_post, change_url, errors_of, proceeding_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def proceeding_row(proceeding, **fields):
    row = {"id": proceeding.pk, "case": proceeding.case_id, "court": proceeding.court_id}
    row |= {"docket_number": proceeding.docket_number, "started_on": str(proceeding.started_on or "")}
    return row | {"appeals_from": proceeding.appeals_from_id or ""} | fields


def chain(length):
    """Return a case's proceedings, each but the first appealing from the one before."""
    case = factories.case()
    proceedings = [factories.proceeding(case, docket_number="first")]
    for number in range(1, length):
        proceedings.append(factories.proceeding(case, docket_number=f"appeal {number}", appeals_from=proceedings[-1]))
    return proceedings


def links(case):
    return dict(Proceeding.objects.filter(case=case).values_list("pk", "appeals_from"))


def test_reversing_a_chain_in_one_save_is_not_a_cycle(editor_client):
    lower, upper = chain(2)
    rows = [proceeding_row(lower, appeals_from=upper.pk), proceeding_row(upper, appeals_from="")]
    response = editor_client.post(change_url(lower.case), case_post(lower.case, rows={"proceedings": rows}))
    assert response.status_code == 302, errors_of(response)
    assert links(lower.case) == {lower.pk: upper.pk, upper.pk: None}


def test_reversing_a_chain_of_three_in_one_save(editor_client):
    first, second, third = chain(3)
    rows = [
        proceeding_row(first, appeals_from=second.pk),
        proceeding_row(second, appeals_from=third.pk),
        proceeding_row(third, appeals_from=""),
    ]
    response = editor_client.post(change_url(first.case), case_post(first.case, rows={"proceedings": rows}))
    assert response.status_code == 302, errors_of(response)
    assert links(first.case) == {first.pk: second.pk, second.pk: third.pk, third.pk: None}
    history = Proceeding.history.filter(id=third.pk).first()
    assert history.appeals_from_id is None


def test_a_real_cycle_in_one_save_is_still_refused_naming_the_proceedings(editor_client):
    first, second, third = chain(3)
    rows = [proceeding_row(first, appeals_from=third.pk), proceeding_row(second), proceeding_row(third)]
    data = case_post(first.case, title="Kept", rows={"proceedings": rows})
    response = editor_client.post(change_url(first.case), data)
    assert response.status_code == 200
    message = next(error for error in errors_of(response) if "circle" in error)
    assert all(str(proceeding) in message for proceeding in (first, second, third))
    assert links(first.case) == {first.pk: None, second.pk: first.pk, third.pk: second.pk}
    assert Case.objects.get(pk=first.case_id).title != "Kept"


def test_a_cycle_through_the_row_above_is_refused(editor_client):
    lower, upper = chain(2)
    # The lower row now appeals from the upper one, and the upper one still from the row above it (the lower).
    rows = [proceeding_row(lower, appeals_from=upper.pk), proceeding_row(upper, appeals_from="above")]
    response = editor_client.post(change_url(lower.case), case_post(lower.case, rows={"proceedings": rows}))
    assert response.status_code == 200
    assert any("circle" in error for error in errors_of(response))
    assert links(lower.case) == {lower.pk: None, upper.pk: lower.pk}


@pytest.fixture
def decided():
    proceeding = factories.proceeding(started_on=datetime.date(2019, 10, 7))
    decision = factories.decision(
        proceeding, announced_on=datetime.date(2019, 11, 6), final_form_on=datetime.date(2019, 11, 12)
    )
    return proceeding, decision


def decision_row(decision, **fields):
    row = {"id": decision.pk, "proceeding": decision.proceeding_id, "result": decision.result}
    row |= {"announced_on": str(decision.announced_on), "final_form_on": str(decision.final_form_on or "")}
    row |= {"served_on": "", "legal_effect_on": "", "client_outcome": "", "summary": "", "is_public": "on"}
    return row | fields


def test_moving_a_start_date_and_its_decision_later_in_one_save(editor_client, decided):
    proceeding, decision = decided
    rows = {"decisions": [decision_row(decision, announced_on="2019-12-10", final_form_on="2019-12-12")]}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, rows, started_on="2019-12-01"))
    assert response.status_code == 302, errors_of(response)
    proceeding.refresh_from_db()
    decision.refresh_from_db()
    assert proceeding.started_on == datetime.date(2019, 12, 1)
    assert decision.announced_on == datetime.date(2019, 12, 10)


def test_moving_a_start_date_and_deleting_the_earlier_decision_in_one_save(editor_client, decided):
    proceeding, decision = decided
    rows = {"decisions": [decision_row(decision, DELETE="on")]}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, rows, started_on="2019-12-01"))
    assert response.status_code == 302, errors_of(response)
    assert not Decision.objects.exists()


def test_a_start_date_after_its_decision_is_still_refused(editor_client, decided):
    proceeding, decision = decided
    rows = {"decisions": [decision_row(decision, announced_on="2019-11-20", final_form_on="2019-11-25")]}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, rows, started_on="2019-12-01"))
    assert response.status_code == 200
    assert any("before" in error for error in errors_of(response)), errors_of(response)
    proceeding.refresh_from_db()
    assert proceeding.started_on == datetime.date(2019, 10, 7)
    assert Decision.objects.get().announced_on == datetime.date(2019, 11, 6)


def test_a_start_date_after_a_decision_left_out_of_the_post_is_still_refused(editor_client, decided):
    # A forged post that leaves the decision's row out is checked against the stored decision.
    proceeding, _decision = decided
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, started_on="2019-12-01"))
    assert response.status_code == 200
    assert any("before this start date" in error for error in errors_of(response)), errors_of(response)
    proceeding.refresh_from_db()
    assert proceeding.started_on == datetime.date(2019, 10, 7)
