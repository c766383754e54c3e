"""The audit history: many-to-many changes and every staff-edited model, each with who did it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases.actions.deadlines import save_deadline
from cases.actions.profiles import rotate_calendar_token
from cases.models import CalendarOverride, Case, CaseLink, Counsel, Deadline, LegalGround, Technology, UserProfile
from tests import factories
from tests.admin_posts import case_post

pytestmark = pytest.mark.django_db


def latest_delta(obj):
    record = obj.history.order_by("-history_date", "-history_id").first()
    return record, record.diff_against(record.prev_record)


def test_adding_someone_to_a_case_team_is_history_with_its_diff(client, lawyer, other_lawyer):
    case = factories.case(title="Team case")
    case.team.add(lawyer)
    client.force_login(lawyer)
    response = client.post(
        reverse("admin:cases_case_change", args=[case.pk]), case_post(case, team=[lawyer.pk, other_lawyer.pk])
    )
    assert response.status_code == 302
    record, delta = latest_delta(case)
    assert record.history_user == lawyer
    (change,) = [change for change in delta.changes if change.field == "team"]
    assert [row["user"] for row in change.old] == [lawyer.pk]
    assert sorted(row["user"] for row in change.new) == sorted([lawyer.pk, other_lawyer.pk])
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 200


def test_tags_and_related_cases_are_history(editor):
    case, other = factories.case(), factories.case()
    technology = Technology.objects.create(name="Face recognition", slug="face-recognition")
    ground = LegalGround.objects.create(name="Private life", slug="private-life")
    case.technologies.add(technology)
    case.grounds.add(ground)
    case.related_cases.add(other)
    fields = {
        change.field
        for record in case.history.all()
        if record.prev_record
        for change in record.diff_against(record.prev_record).changes
    }
    assert {"technologies", "grounds", "related_cases"} <= fields


def test_deadline_responsible_changes_are_history(lawyer, other_lawyer):
    case = factories.case(lead_lawyer=lawyer)
    deadline = Deadline(case=case, title="Reply", due_on=datetime.date(2031, 1, 6))
    save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    save_deadline(deadline, actor=lawyer, responsible=[other_lawyer])
    record, delta = latest_delta(deadline)
    assert "responsible" in delta.changed_fields and record.history_user == lawyer


def test_token_rotation_is_history_with_who_did_it(client, lawyer):
    profile = UserProfile.objects.create(user=lawyer)
    old = profile.calendar_token
    client.force_login(lawyer)
    changelist = reverse("admin:cases_userprofile_changelist")
    client.post(changelist, {"action": "rotate_tokens", "_selected_action": [profile.pk]})
    profile.refresh_from_db()
    assert profile.calendar_token != old
    record, delta = latest_delta(profile)
    assert record.history_user == lawyer and delta.changed_fields == ["calendar_token"]


def test_only_the_owner_rotates_a_calendar_token(lawyer, other_lawyer):
    profile = UserProfile.objects.create(user=lawyer)
    with pytest.raises(PermissionDenied):
        rotate_calendar_token(profile, actor=other_lawyer)


def test_calendar_override_edits_are_history_with_who_did_it(client, editor):
    client.force_login(editor)
    fields = {"calendar": "RU", "court": "", "day": "2031-01-05", "is_open": "", "reason": "Flood"}
    assert client.post(reverse("admin:cases_calendaroverride_add"), fields).status_code == 302
    override = CalendarOverride.objects.get()
    fields["reason"] = "Flooded courthouse"
    client.post(reverse("admin:cases_calendaroverride_change", args=[override.pk]), fields)
    record, delta = latest_delta(override)
    assert record.history_user == editor and delta.changed_fields == ["reason"]


@pytest.mark.parametrize("model", [Counsel, CaseLink, Technology, LegalGround, UserProfile, CalendarOverride, Case])
def test_staff_edited_models_keep_history(model):
    assert hasattr(model, "history")
