"""The secret iCalendar feed of a user's open deadlines."""

import datetime

import pytest
from icalendar import Calendar

from cases.actions.deadlines import complete_deadline, save_deadline
from cases.models import Deadline, UserProfile
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(lawyer):
    return UserProfile.objects.create(user=lawyer)


def make_deadline(case, actor, responsible, **fields):
    deadline = Deadline(case=case, title="File the appeal", kind="appeal", due_on=datetime.date(2030, 3, 1), **fields)
    return save_deadline(deadline, actor=actor, responsible=responsible)


def events(client, profile):
    response = client.get(f"/calendar/{profile.calendar_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_feed_lists_open_deadlines_with_stable_uid_sequence_and_alarm(client, profile, lawyer, other_lawyer):
    case = factories.case(title="Popova v. Moscow DIT")
    case.team.add(lawyer)
    mine = make_deadline(case, lawyer, [lawyer])
    team = make_deadline(factories.case(lead_lawyer=lawyer), lawyer, [])
    make_deadline(case, lawyer, [other_lawyer])  # someone else's
    found = events(client, profile)
    assert len(found) == 2
    event = next(e for uid, e in found.items() if uid.startswith(f"deadline-{mine.pk}@"))
    assert str(event["summary"]) == "File the appeal (Popova v. Moscow DIT)"
    assert event.decoded("dtstart") == datetime.date(2030, 3, 1)
    assert event["sequence"] == 0
    assert event.walk("VALARM")
    assert any(uid.startswith(f"deadline-{team.pk}@") for uid in found)

    mine.due_on = datetime.date(2030, 3, 2)
    save_deadline(mine, actor=lawyer)
    again = events(client, profile)
    event = next(e for uid, e in again.items() if uid.startswith(f"deadline-{mine.pk}@"))
    assert event["sequence"] == 1 and set(again) == set(found)


def test_timed_deadline_is_a_timed_event_in_the_court_zone(client, profile, lawyer):
    proceeding = factories.proceeding(
        factories.case(lead_lawyer=lawyer), court=factories.court(timezone="Asia/Vladivostok")
    )
    make_deadline(proceeding.case, lawyer, [lawyer], proceeding=proceeding, due_time=datetime.time(17, 0))
    (event,) = events(client, profile).values()
    start = event.decoded("dtstart")
    assert start.astimezone(datetime.UTC) == datetime.datetime(2030, 3, 1, 7, 0, tzinfo=datetime.UTC)


def test_hidden_case_names_and_completed_deadlines_disappear(client, profile, lawyer):
    case = factories.case(title="Secret strategy case", lead_lawyer=lawyer)
    done = make_deadline(case, lawyer, [lawyer])
    make_deadline(case, lawyer, [lawyer])
    complete_deadline(done, actor=lawyer)
    profile.calendar_hides_case_names = True
    profile.save()
    response = client.get(f"/calendar/{profile.calendar_token}.ics")
    assert b"Secret strategy case" not in response.content
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1


def test_unknown_and_rotated_tokens_are_404(client, profile, django_assert_max_num_queries):
    old = profile.calendar_token
    profile.rotate_calendar_token()
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    with django_assert_max_num_queries(3):
        assert client.get(f"/calendar/{profile.calendar_token}.ics").status_code == 200


def test_admin_shows_the_feed_address_and_rotates_the_token(client, editor):
    from django.urls import reverse

    profile = UserProfile.objects.create(user=editor)
    client.force_login(editor)
    page = client.get(reverse("admin:cases_userprofile_change", args=[profile.pk])).content.decode()
    assert f"/calendar/{profile.calendar_token}.ics" in page
    old = profile.calendar_token
    changelist = reverse("admin:cases_userprofile_changelist")
    assert client.post(changelist, {"action": "rotate_tokens", "_selected_action": [profile.pk]}).status_code == 302
    profile.refresh_from_db()
    assert profile.calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_lawyer_opens_their_own_profile_and_opts_in_to_the_digest(client, lawyer):
    from django.urls import reverse

    client.force_login(lawyer)
    response = client.get(reverse("admin:cases_userprofile_changelist"))
    profile = UserProfile.objects.get(user=lawyer)
    assert response.status_code == 302 and response.url.endswith(f"/userprofile/{profile.pk}/change/")
    data = {"language": "ru", "weekly_digest": "on"}
    assert client.post(reverse("admin:cases_userprofile_change", args=[profile.pk]), data).status_code == 302
    profile.refresh_from_db()
    assert (profile.language, profile.weekly_digest, profile.user) == ("ru", True, lawyer)
