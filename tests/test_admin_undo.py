"""Mistakes in the admin can be undone: duplicate parties found and merged, drafts and orphans deleted."""

import datetime
import json

import pytest
from django.urls import reverse

from cases.models import Case, Counsel, Deadline, Filing, Participation, Party, Proceeding, ReminderDelivery
from tests import factories
from tests.admin_posts import add_url, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def party_post(**fields):
    return {"name": "Jane Doe", "name_ru": "", "slug": "", "kind": "person", "country": "", "website": ""} | fields


@pytest.mark.parametrize("typed", ["Jane Doe", "jane  doe", "Джейн Доу"])
def test_new_party_like_an_existing_one_is_offered_first(editor_client, typed):
    existing = factories.party(name="Jane Doe" if typed != "Джейн Доу" else "Dzhein Dou")
    factories.participation(factories.case(), party=existing)
    response = editor_client.post(add_url(Party), party_post(name=typed))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"{existing.name} (Person), in 1 case</a> — use this one?" in content
    assert change_url(existing) in content
    assert Party.objects.count() == 1
    response = editor_client.post(add_url(Party), party_post(name=typed, different_party="on"))
    assert response.status_code == 302 and Party.objects.count() == 2


def test_editor_merges_two_parties_keeping_history(editor_client, editor):
    keep, duplicate = (
        factories.party(name="Jane Doe"),
        factories.party(name="Jane Doe (dup)", website="https://j.example"),
    )
    case = factories.case()
    kept_role = factories.participation(case, party=keep)
    same_role = factories.participation(case, party=duplicate)
    Counsel.objects.create(participation=same_role, name="Kirill Koroteev")
    other_role = factories.participation(factories.case(), party=duplicate, role="defendant")
    changelist = reverse("admin:cases_party_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, duplicate.pk]}
    confirm = editor_client.post(changelist, selected)
    assert confirm.status_code == 200 and "Choose the party to keep" in confirm.content.decode()
    response = editor_client.post(changelist, selected | {"keep": keep.pk})
    assert response.status_code == 302
    assert not Party.objects.filter(pk=duplicate.pk).exists()
    assert set(Participation.objects.values_list("pk", "party")) == {(kept_role.pk, keep.pk), (other_role.pk, keep.pk)}
    assert Counsel.objects.get().participation == kept_role
    keep.refresh_from_db()
    assert keep.website == "https://j.example"
    assert Party.history.filter(id=duplicate.pk, history_type="-").get().history_user == editor


def test_lawyers_cannot_merge(client, lawyer):
    first, second = factories.party(), factories.party()
    client.force_login(lawyer)
    client.post(
        reverse("admin:cases_party_changelist"),
        {"action": "merge", "_selected_action": [first.pk, second.pk], "keep": first.pk},
    )
    assert Party.objects.count() == 2


def test_lawyer_deletes_a_party_they_created_that_is_in_no_case(client, lawyer, other_lawyer):
    client.force_login(lawyer)
    assert client.post(add_url(Party), party_post(name="Orphan")).status_code == 302
    mine = Party.objects.get(name="Orphan")
    theirs = factories.party(name="Someone else's")
    assert client.post(reverse("admin:cases_party_delete", args=[theirs.pk]), {"post": "yes"}).status_code == 403
    in_case = Party.objects.create(name="In a case", kind="person")
    in_case.history.update(history_user=lawyer)
    factories.participation(factories.case(), party=in_case)
    client.post(reverse("admin:cases_party_delete", args=[in_case.pk]), {"post": "yes"})
    assert Party.objects.filter(pk=in_case.pk).exists()
    assert client.post(reverse("admin:cases_party_delete", args=[mine.pk]), {"post": "yes"}).status_code == 302
    assert not Party.objects.filter(pk=mine.pk).exists()


def draft_with_everything(lawyer):
    case = factories.case(title="Mistake", lead_lawyer=lawyer)
    first = factories.proceeding(case)
    second = factories.proceeding(case, appeals_from=first)
    deadline = Deadline.objects.create(case=case, proceeding=second, title="Appeal", due_on=datetime.date(2030, 1, 1))
    ReminderDelivery.objects.create(
        deadline=deadline, recipient=lawyer, offset_days=7, send_at=datetime.datetime(2029, 12, 25, tzinfo=datetime.UTC)
    )
    return case


def test_editor_deletes_a_draft_case_with_everything_under_it(editor_client, lawyer):
    case = draft_with_everything(lawyer)
    url = reverse("admin:cases_case_delete", args=[case.pk])
    confirm = editor_client.get(url)
    content = confirm.content.decode()
    assert confirm.status_code == 200 and not confirm.context["perms_lacking"] and not confirm.context["protected"]
    for listed in ["Proceeding", "Deadline", "Reminder delivery"]:
        assert listed in content
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Case.objects.exists() and not Proceeding.objects.exists() and not ReminderDelivery.objects.exists()


def test_a_published_case_must_be_unpublished_first(editor_client, lawyer):
    case = draft_with_everything(lawyer)
    Case.objects.filter(pk=case.pk).update(visibility="published", published_at=datetime.datetime.now(datetime.UTC))
    url = reverse("admin:cases_case_delete", args=[case.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "Unpublish this case before deleting it." in response.content.decode()
    assert Case.objects.filter(pk=case.pk).exists()
    bulk = {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"}
    editor_client.post(reverse("admin:cases_case_changelist"), bulk)
    assert Case.objects.filter(pk=case.pk).exists()


def test_removing_one_link_of_an_appeal_chain_stays_refused(editor_client):
    lower = factories.proceeding()
    factories.proceeding(lower.case, appeals_from=lower)
    response = editor_client.post(reverse("admin:cases_proceeding_delete", args=[lower.pk]), {"post": "yes"})
    assert response.status_code in (200, 403)
    assert Proceeding.objects.filter(pk=lower.pk).exists()


def test_only_editors_merge_parties_whatever_the_path(lawyer):
    from django.core.exceptions import PermissionDenied

    from cases.actions.parties import merge_parties

    keep, duplicate = factories.party(name="Jane Doe"), factories.party(name="Jane  Doe")
    with pytest.raises(PermissionDenied):
        merge_parties(keep, duplicate, actor=lawyer)
    assert Party.objects.filter(pk=duplicate.pk).exists()


def test_every_row_a_merge_moves_gets_a_history_record(editor_client, editor):
    keep, duplicate = factories.party(name="Jane Doe"), factories.party(name="Jane Doe (dup)")
    case = factories.case()
    kept_role = factories.participation(case, party=keep)
    same_role = factories.participation(case, party=duplicate)
    counsel = Counsel.objects.create(participation=same_role, name="Kirill Koroteev")
    filing = factories.filing(factories.proceeding(case), filed_by=same_role)
    changelist = reverse("admin:cases_party_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, duplicate.pk], "keep": keep.pk}
    assert editor_client.post(changelist, selected).status_code == 302
    filing.refresh_from_db()
    assert filing.filed_by == kept_role
    for record in (counsel, filing):
        latest = type(record).history.filter(id=record.pk).first()
        assert latest.history_type == "~" and latest.history_user == editor
    assert Counsel.history.filter(id=counsel.pk).first().participation_id == kept_role.pk
    assert Filing.history.filter(id=filing.pk).first().filed_by_id == kept_role.pk


def test_in_the_add_popup_the_likely_match_is_picked_in_the_openers_field(editor_client):
    existing = factories.party(name="Jane Doe")
    factories.participation(factories.case(), party=existing)
    popup = {"_popup": "1", "_to_field": "id"}
    response = editor_client.post(f"{add_url(Party)}?_popup=1&_to_field=id", party_post() | popup)
    assert response.status_code == 200 and Party.objects.count() == 1
    content = response.content.decode()
    link = f"{add_url(Party)}?_popup=1&amp;_to_field=id&amp;_use={existing.pk}"
    assert f'<a href="{link}">Jane Doe (Person), in 1 case</a> — use this one?' in content
    assert 'target="_blank"' not in content  # no new tab out of the popup
    answer = editor_client.get(link.replace("&amp;", "&"))
    assert answer.status_code == 200
    assert [template.name for template in answer.templates] == ["admin/popup_response.html"]
    assert json.loads(answer.context["popup_response_data"]) == {"value": str(existing.pk), "obj": "Jane Doe"}
    assert Party.objects.count() == 1


def test_the_popup_answer_checks_its_field_and_party(editor_client):
    existing = factories.party(name="Jane Doe")
    assert editor_client.get(f"{add_url(Party)}?_popup=1&_to_field=description&_use={existing.pk}").status_code == 400
    assert editor_client.get(f"{add_url(Party)}?_popup=1&_use=999999").status_code == 404
    assert editor_client.get(f"{add_url(Party)}?_popup=1&_use=x").status_code == 404
