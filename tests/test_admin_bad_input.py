"""Bad input in the admin: a clear message on the form, a 200 not a 500, and nothing half-saved."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Case, Counsel, Court, Deadline, Decision, Filing, Hearing, Participation, Party, Proceeding
from tests import factories
from tests.admin_posts import add_url, case_post, change_url, errors_of, post_data, proceeding_post
from tests.upload_samples import PDF, PNG

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def counts():
    models = [Case, Participation, Counsel, Proceeding, Filing, Hearing, Decision, Party, Court]
    return {model.__name__: model.objects.count() for model in models}


def refused(response, message):
    assert response.status_code == 200, "the form is shown again"
    errors = errors_of(response)
    assert any(message in error for error in errors), errors


def test_duplicate_slug(editor_client):
    factories.case(slug="popova")
    party = factories.party()
    before = counts()
    rows = {"participations": [{"party": party.pk, "role": "plaintiff"}]}
    refused(
        editor_client.post(add_url(Case), case_post(slug="popova", rows=rows)), "Another case already uses this slug"
    )
    assert counts() == before


def test_invalid_inline_keeps_the_case_unchanged(editor_client):
    case = factories.case(title="Original")
    rows = {"participations": [{"party": factories.party().pk, "role": ""}]}
    refused(editor_client.post(change_url(case), case_post(case, title="Changed", rows=rows)), "required")
    assert Case.objects.get(pk=case.pk).title == "Original"
    assert not Participation.objects.exists()


def test_decision_dated_before_its_proceeding_started(editor_client):
    proceeding = factories.proceeding(started_on=datetime.date(2020, 1, 10))
    before = counts()
    row = {"announced_on": "2020-01-01", "result": "dismissed", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    refused(response, "cannot be dated before its proceeding started (2020-01-10)")
    assert counts() == before


def test_final_form_before_announcement(editor_client):
    proceeding = factories.proceeding()
    row = {"announced_on": "2020-03-03", "final_form_on": "2020-03-01", "result": "dismissed"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    assert response.status_code == 200
    assert errors_of(response)
    assert not Decision.objects.exists()


def test_proceeding_appealing_from_another_case(editor_client):
    other = factories.proceeding()
    proceeding = factories.proceeding()
    before = counts()
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, appeals_from=other.pk))
    refused(response, "Select a valid choice")  # only this case's proceedings are offered
    assert Proceeding.objects.get(pk=proceeding.pk).appeals_from is None
    assert counts() == before


def test_case_page_offers_only_its_own_proceedings_to_appeal_from(editor_client):
    case, other = factories.case(), factories.proceeding()
    court = factories.court()
    row = {"court": court.pk, "docket_number": "33-1", "appeals_from": other.pk}
    response = editor_client.post(change_url(case), case_post(case, rows={"proceedings": [row]}))
    refused(response, "Select a valid choice")
    assert not Proceeding.objects.filter(docket_number="33-1").exists()


@pytest.mark.parametrize(("zone", "message"), [("", "Choose the time zone"), ("Mars/Olympus", "valid choice")])
def test_hearing_without_a_valid_time_zone(editor_client, zone, message):
    proceeding = factories.proceeding()
    row = {"starts_at_0": "2019-11-06", "starts_at_1": "10:00", "timezone": zone, "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"hearings": [row]}))
    refused(response, message)
    assert not Hearing.objects.exists()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_filing(client, proceeding, name, content):
    row = {
        "filed_on": "2019-10-08",
        "kind": "evidence",
        "title": "Evidence",
        "document": SimpleUploadedFile(name, content),
    }
    return client.post(change_url(proceeding), proceeding_post(proceeding, {"filings": [row]}))


def test_file_content_not_matching_its_extension(editor_client, media):
    proceeding = factories.proceeding()
    refused(post_filing(editor_client, proceeding, "claim.pdf", PNG), "does not match its .pdf extension")
    assert not Filing.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_file_over_the_limit(editor_client, media, settings):
    settings.UPLOAD_MAX_BYTES = 64
    proceeding = factories.proceeding()
    refused(post_filing(editor_client, proceeding, "claim.pdf", PDF + b" " * 64), "the limit is 64")
    assert not Filing.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_good_file_is_stored_under_a_server_name(editor_client, media):
    proceeding = factories.proceeding()
    assert post_filing(editor_client, proceeding, "../../claim.pdf", PDF).status_code == 302
    stored = Filing.objects.get().document.name
    assert stored.startswith("documents/") and "claim" not in stored
    assert (media / stored).read_bytes() == PDF


def test_deleting_a_party_still_in_a_case_is_refused(editor_client):
    participation = factories.participation(factories.case(title="Popova v. DIT"))
    party = participation.party
    url = reverse("admin:cases_party_delete", args=[party.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.content.decode()
    response = editor_client.post(url, {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Party.objects.filter(pk=party.pk).exists()


def test_bulk_deleting_a_party_still_in_a_case_is_refused(editor_client):
    party = factories.participation(factories.case()).party
    changelist = reverse("admin:cases_party_changelist")
    response = editor_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [party.pk], "post": "yes"}
    )
    assert response.status_code == 200
    assert "protected" in response.content.decode()
    assert Party.objects.filter(pk=party.pk).exists()


def test_deleting_a_court_with_proceedings_is_refused(editor_client):
    court = factories.proceeding().court
    response = editor_client.post(reverse("admin:cases_court_delete", args=[court.pk]), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Court.objects.filter(pk=court.pk).exists()


def test_removing_a_proceeding_that_is_appealed_from_is_refused(editor_client):
    lower = factories.proceeding()
    factories.proceeding(lower.case, appeals_from=lower)
    row = {"id": lower.pk, "case": lower.case_id, "court": lower.court_id, "DELETE": "on"}
    response = editor_client.post(change_url(lower.case), case_post(lower.case, rows={"proceedings": [row]}))
    assert response.status_code == 200
    assert any("protected" in error for error in errors_of(response))
    assert Proceeding.objects.filter(pk=lower.pk).exists()


def test_publishing_an_invalid_case_reports_it_and_publishes_none(editor_client):
    good, broken = factories.case(title="Good"), factories.case(title="Broken")
    Case.objects.filter(pk=broken.pk).update(country="")  # legacy data that no longer validates
    changelist = reverse("admin:cases_case_changelist")
    response = editor_client.post(
        changelist, {"action": "publish", "_selected_action": [good.pk, broken.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "needs fixing first" in response.content.decode()
    assert not Case.objects.public().exists()


# One test per rule the models or the database enforce: the admin's form shows it, saves nothing, loses nothing.


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


def test_case_page_never_offers_a_proceeding_as_its_own_appeal(editor_client):
    first, second = chain(2)
    page = editor_client.get(change_url(first.case))
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "proceedings")
    for form in formset.forms:
        offered = [value for value, _label in form.fields["appeals_from"].choices]
        assert form.instance.pk not in offered
    rows = [proceeding_row(first, appeals_from=first.pk), proceeding_row(second)]
    response = editor_client.post(change_url(first.case), case_post(first.case, rows={"proceedings": rows}))
    refused(response, "Select a valid choice")
    assert Proceeding.objects.get(pk=first.pk).appeals_from is None


def test_proceeding_page_never_offers_itself_to_appeal_from(editor_client):
    first, second = chain(2)
    page = editor_client.get(change_url(second))
    offered = [value for value, _label in page.context["adminform"].form.fields["appeals_from"].choices if value]
    assert [value.value for value in offered] == [first.pk]
    response = editor_client.post(change_url(second), proceeding_post(second, appeals_from=second.pk))
    refused(response, "Select a valid choice")
    assert Proceeding.objects.get(pk=second.pk).appeals_from == first


def test_appeal_cycle_in_one_save_on_the_case_page(editor_client):
    first, second = chain(2)
    rows = [proceeding_row(first, appeals_from=second.pk, docket_number="typed"), proceeding_row(second)]
    data = case_post(first.case, title="Kept", rows={"proceedings": rows})
    response = editor_client.post(change_url(first.case), data)
    refused(response, "cannot go round in a circle")
    message = next(error for error in errors_of(response) if "circle" in error)
    assert str(first.court) in message and str(second.court) in message
    content = response.content.decode()
    assert 'value="typed"' in content and 'value="Kept"' in content  # nothing typed is lost
    assert Proceeding.objects.get(pk=first.pk).appeals_from is None
    assert Case.objects.get(pk=first.case_id).title != "Kept"


def test_appeal_cycle_of_three_on_the_proceeding_page(editor_client):
    first, second, third = chain(3)
    response = editor_client.post(change_url(first), proceeding_post(first, appeals_from=third.pk))
    refused(response, "cannot go round in a circle")
    assert Proceeding.objects.get(pk=first.pk).appeals_from is None


def test_appeal_chain_set_in_the_save_that_creates_it(editor_client):
    high, appeal = factories.court(name="High Court"), factories.court(name="Court of Appeal")
    rows = [
        {"court": high.pk, "docket_number": "CO/4085/2018", "started_on": "2018-10-01"},
        {"court": appeal.pk, "docket_number": "C1/2019/2670", "started_on": "2019-10-01", "appeals_from": "above"},
    ]
    response = editor_client.post(add_url(Case), case_post(rows={"proceedings": rows}))
    assert response.status_code == 302, errors_of(response)
    lower, upper = Proceeding.objects.order_by("started_on")
    assert (lower.appeals_from, upper.appeals_from) == (None, lower)


def test_first_row_cannot_appeal_from_the_row_above(editor_client):
    rows = [{"court": factories.court().pk, "appeals_from": "above"}]
    response = editor_client.post(add_url(Case), case_post(title="Nothing saved", rows={"proceedings": rows}))
    refused(response, "no proceeding in the row above")
    assert not Case.objects.exists()


def test_proceeding_ending_before_it_started(editor_client):
    (proceeding,) = chain(1)
    row = proceeding_row(proceeding, started_on="2020-05-01", ended_on="2020-04-01")
    response = editor_client.post(change_url(proceeding.case), case_post(proceeding.case, rows={"proceedings": [row]}))
    refused(response, "cannot end before it started")
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, ended_on="2019-01-01"))
    refused(response, "cannot end before it started")
    assert Proceeding.objects.get(pk=proceeding.pk).ended_on is None


def test_final_form_before_announcement_has_a_readable_message(editor_client):
    proceeding = factories.proceeding()
    row = {"announced_on": "2020-03-03", "final_form_on": "2020-03-01", "result": "dismissed"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    refused(response, "The decision cannot be in final form before it was announced")
    assert not any("Constraint" in error for error in errors_of(response))


@pytest.mark.parametrize("page", ["case", "proceeding"])
def test_proceeding_start_moved_after_its_decision(editor_client, page):
    (proceeding,) = chain(1)
    factories.decision(proceeding, announced_on=datetime.date(2019, 11, 6))
    if page == "case":
        row = proceeding_row(proceeding, started_on="2020-01-01")
        response = editor_client.post(
            change_url(proceeding.case), case_post(proceeding.case, rows={"proceedings": [row]})
        )
    else:
        response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, started_on="2020-01-01"))
    refused(response, "A decision of this proceeding is dated 2019-11-06")
    assert Proceeding.objects.get(pk=proceeding.pk).started_on == datetime.date(2019, 10, 7)


def test_proceeding_moved_away_from_the_case_its_appeals_are_in(editor_client):
    first, second = chain(2)
    response = editor_client.post(change_url(first), proceeding_post(first, case=factories.case().pk))
    refused(response, "cannot move to another case")
    assert Proceeding.objects.get(pk=first.pk).case_id == second.case_id


def test_same_party_in_the_same_role_twice(editor_client):
    party = factories.party()
    rows = {"participations": [{"party": party.pk, "role": "plaintiff"}, {"party": party.pk, "role": "plaintiff"}]}
    response = editor_client.post(add_url(Case), case_post(rows=rows))
    refused(response, "duplicate")
    assert not Case.objects.exists()


def test_same_link_twice(editor_client):
    row = {"kind": "press", "title": "Article", "url": "https://example.org/a"}
    response = editor_client.post(add_url(Case), case_post(rows={"links": [row, row | {"title": "Again"}]}))
    refused(response, "duplicate")
    assert not Case.objects.exists()


def test_counsel_without_name_or_firm(editor_client):
    participation = factories.participation(factories.case())
    counsel = Counsel.objects.create(participation=participation, name="Kirill Koroteev")
    data = {"case": participation.case_id, "party": participation.party_id, "role": participation.role, "note": ""}
    data |= {"counsel-TOTAL_FORMS": 1, "counsel-INITIAL_FORMS": 1, "counsel-MIN_NUM_FORMS": 0}
    data |= {"counsel-MAX_NUM_FORMS": 1000, "counsel-0-id": counsel.pk, "counsel-0-participation": participation.pk}
    data |= {"counsel-0-name": "", "counsel-0-organisation": ""}
    response = editor_client.post(change_url(participation), data)
    refused(response, "Give the lawyer's name, the firm or NGO, or both")
    assert Counsel.objects.get().name == "Kirill Koroteev"


def test_court_appealing_to_itself(editor_client):
    court = factories.court()
    data = {"name": court.name, "slug": court.slug, "country": "RU", "level": "appeal", "timezone": "Europe/Moscow"}
    response = editor_client.post(change_url(court), data | {"appeals_to": court.pk})
    refused(response, "cannot hear appeals from itself")
    assert Court.objects.get(pk=court.pk).appeals_to is None


def test_court_time_zone_is_a_choice(editor_client):
    page = editor_client.get(add_url(Court))
    assert "Europe/Moscow" in dict(page.context["adminform"].form.fields["timezone"].choices)
    data = {"name": "New court", "country": "RU", "level": "appeal", "timezone": "Mars/Olympus"}
    refused(editor_client.post(add_url(Court), data), "valid choice")
    assert not Court.objects.filter(name="New court").exists()


@pytest.mark.parametrize(
    ("offsets", "message"),
    [("14, seven", "Type whole days"), ("400", "whole days from 0 to 365"), ("7, 7", "only once")],
)
def test_reminder_offsets_typed_wrong(editor_client, editor, offsets, message):
    case = factories.case(lead_lawyer=editor)
    data = {"case": case.pk, "title": "Reply", "kind": "other", "due_on": "2030-01-01", "reminder_offsets": offsets}
    refused(editor_client.post(add_url(Deadline), post_data(data, ["deliveries"])), message)
    assert not Deadline.objects.exists()


def test_a_forged_non_numeric_id_in_an_autocomplete_field_is_a_message_not_a_500(admin_client):
    proceeding = factories.proceeding(factories.case())
    response = admin_client.post(change_url(proceeding), proceeding_post(proceeding, case="x", court="x"))
    assert response.status_code == 200
    assert "Select a valid choice" in " ".join(errors_of(response))
    proceeding.refresh_from_db()
    assert proceeding.court_id is not None


def test_a_save_the_action_refuses_is_a_message_and_saves_nothing(editor_client):
    case = factories.case()
    existing = factories.participation(case, role="plaintiff")
    data = case_post(case, {"participations": [{"party": existing.party_id, "role": "plaintiff"}]})
    response = editor_client.post(change_url(case), data)
    assert response.status_code < 500
    assert case.participations.count() == 1
