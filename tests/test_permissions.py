"""Who may see, edit and publish what: anonymous, a lawyer on the case, a lawyer off it, an editor."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, Deadline, Filing, Participation, Proceeding
from tests import factories
from tests.admin_posts import add_url, case_post, change_url, post_data, proceeding_post

pytestmark = pytest.mark.django_db

INTERNAL = "Strategy: INTERNAL-MARKER-7731"


@pytest.fixture
def world(lawyer, other_lawyer, editor):
    case = factories.case(title="Popova v. DIT", published=True, internal_notes=INTERNAL)
    case.team.add(lawyer)
    proceeding = factories.proceeding(case)
    factories.filing(proceeding, title="Claim")
    factories.hearing(proceeding)
    factories.decision(proceeding)
    Deadline.objects.create(case=case, proceeding=proceeding, title="Appeal", due_on=datetime.date(2030, 1, 1))
    return {"case": case, "proceeding": proceeding}


@pytest.fixture
def as_user(client, request):
    """Return a client signed in as the named fixture user, or anonymous."""

    def login(who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        return client

    return login


# who: (sees the case in the admin, may edit it, may publish it)
MATRIX = [
    ("anonymous", False, False, False),
    ("lawyer", True, True, False),
    ("other_lawyer", True, False, False),
    ("editor", True, True, True),
]


@pytest.mark.parametrize(("who", "sees", "edits", "publishes"), MATRIX)
def test_permission_matrix(as_user, world, who, sees, edits, publishes):
    client, case = as_user(who), world["case"]

    page = client.get(change_url(case))
    assert (page.status_code == 200) == sees
    if not sees:
        assert page.status_code == 302 and "/login/" in page["Location"]
    else:
        assert page.context["has_change_permission"] == edits
        assert (INTERNAL in page.content.decode()) == edits  # internal notes are the team's

    response = client.post(change_url(case), case_post(case, title="Edited"))
    assert (Case.objects.get(pk=case.pk).title == "Edited") == edits
    if sees and not edits:
        assert response.status_code == 403

    draft = factories.case(title="Draft to publish")
    changelist = reverse("admin:cases_case_changelist")
    if sees:
        action_form = client.get(changelist).context["action_form"]  # None when no action is allowed
        actions = [name for name, _ in action_form.fields["action"].choices] if action_form else []
        assert ("publish" in actions) == publishes
        assert ("unpublish" in actions) == publishes
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert Case.objects.get(pk=draft.pk).is_published == publishes


@pytest.mark.parametrize(("who", "sees", "edits", "publishes"), MATRIX)
def test_child_records_follow_the_case(as_user, world, who, sees, edits, publishes):
    client, proceeding = as_user(who), world["proceeding"]
    row = {"filed_on": "2019-10-10", "kind": "brief", "title": "New brief", "is_public": "on"}
    response = client.post(change_url(proceeding), proceeding_post(proceeding, {"filings": [row]}))
    assert Filing.objects.filter(title="New brief").exists() == edits
    if sees and not edits:
        assert response.status_code == 403
        page = client.get(change_url(proceeding))
        assert page.status_code == 200
        assert not any(inline.has_add_permission for inline in page.context["inline_admin_formsets"])


def test_lead_lawyer_off_the_team_may_still_edit(client, other_lawyer):
    case = factories.case(lead_lawyer=other_lawyer)
    client.force_login(other_lawyer)
    assert client.post(change_url(case), case_post(case, title="Edited")).status_code == 302
    assert Case.objects.get(pk=case.pk).title == "Edited"


def test_public_sees_only_published_cases_and_never_internal_notes(client, world):
    draft = factories.case(title="Secret draft")
    page = client.get(world["case"].get_absolute_url())
    assert page.status_code == 200
    assert INTERNAL not in page.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:cases_case_changelist")).status_code == 302


def test_non_staff_user_cannot_enter_the_admin(client, django_user_model, world):
    member = django_user_model.objects.create_user("member", password="correct-horse-battery")
    client.force_login(member)
    assert client.get(change_url(world["case"])).status_code == 302


def test_lawyer_cannot_attach_records_to_a_case_off_their_team(client, other_lawyer, world):
    client.force_login(other_lawyer)
    case, court = world["case"], world["proceeding"].court
    fields = {"case": case.pk, "court": court.pk, "docket_number": "X-1", "started_on": "", "ended_on": ""}
    response = client.post(add_url(Proceeding), post_data(fields, ["filings", "hearings", "decisions", "deadlines"]))
    assert response.status_code == 200 and "case" in response.context["adminform"].form.errors
    assert not Proceeding.objects.filter(docket_number="X-1").exists()

    party = factories.party()
    response = client.post(
        add_url(Participation), post_data({"case": case.pk, "party": party.pk, "role": "amicus"}, ["counsel"])
    )
    assert response.status_code == 200
    assert not Participation.objects.filter(party=party).exists()


def test_lawyer_may_add_records_to_own_case(client, lawyer, world):
    client.force_login(lawyer)
    party = factories.party()
    fields = {"case": world["case"].pk, "party": party.pk, "role": "amicus"}
    assert client.post(add_url(Participation), post_data(fields, ["counsel"])).status_code == 302
    assert Participation.objects.filter(party=party, case=world["case"]).exists()


def test_lawyer_cannot_delete_cases_even_their_own(client, lawyer, world):
    client.force_login(lawyer)
    url = reverse("admin:cases_case_delete", args=[world["case"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=world["case"].pk).exists()


def test_lawyer_deletes_a_filing_only_on_own_case(client, lawyer, other_lawyer, world):
    proceeding = world["proceeding"]
    filing = proceeding.filings.get()
    row = {"id": filing.pk, "proceeding": proceeding.pk, "filed_on": "2019-10-08", "kind": "complaint"}
    row |= {"title": filing.title, "is_public": "on", "DELETE": "on"}
    data = proceeding_post(proceeding, {"filings": [row]})

    client.force_login(other_lawyer)
    assert client.post(change_url(proceeding), data).status_code == 403
    assert Filing.objects.filter(pk=filing.pk).exists()

    client.force_login(lawyer)
    assert client.post(change_url(proceeding), data).status_code == 302
    assert not Filing.objects.filter(pk=filing.pk).exists()


def test_editor_deletes_any_case_once_unpublished(client, editor, world):
    client.force_login(editor)
    url = reverse("admin:cases_case_delete", args=[world["case"].pk])
    client.post(url, {"post": "yes"})
    assert Case.objects.filter(pk=world["case"].pk).exists()  # published: unpublish first
    client.post(reverse("admin:cases_case_changelist"), {"action": "unpublish", "_selected_action": [world["case"].pk]})
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Case.objects.filter(pk=world["case"].pk).exists()


def test_new_case_form_starts_with_its_author_on_the_team(client, lawyer):
    client.force_login(lawyer)
    form = client.get(add_url(Case)).context["adminform"].form
    assert form.initial["team"] == [lawyer.pk]


@pytest.mark.parametrize("who", ["lawyer", "editor"])
def test_staff_can_look_up_users_for_the_team_picker(as_user, world, who):
    client = as_user(who)
    params = {"app_label": "cases", "model_name": "case", "field_name": "team", "term": "other"}
    response = client.get(reverse("admin:autocomplete"), params)
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["other_lawyer"]
