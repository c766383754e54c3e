"""Each staff member's secret iCalendar feed of their open deadlines."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from .models import Deadline, UserProfile


def feed_url(profile):
    return settings.SITE_URL + reverse("calendar_feed", args=[profile.calendar_token])


def event_for(deadline, hide_case_names):
    """Return deadline as an event: whole-day, or timed when it has a due time, with a reminder alarm."""
    event = Event()
    event.add("uid", f"deadline-{deadline.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("sequence", deadline.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", deadline.title if hide_case_names else f"{deadline.title} ({deadline.case.title})")
    if deadline.due_time:
        event.add("dtstart", datetime.datetime.combine(deadline.due_on, deadline.due_time, tzinfo=deadline.zone))
        event.add("duration", datetime.timedelta(minutes=30))
    else:
        event.add("dtstart", deadline.due_on)
        event.add("dtend", deadline.due_on + datetime.timedelta(days=1))
    description = [deadline.citation] if deadline.citation else []
    event.add(
        "description",
        "\n".join([*description, settings.SITE_URL + reverse("admin:cases_deadline_change", args=[deadline.pk])]),
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", deadline.title)
    alarm.add("trigger", datetime.timedelta(days=-1))
    event.add_component(alarm)
    return event


def build_feed(profile):
    """Return the iCalendar bytes of profile's user's open deadlines."""
    calendar = Calendar()
    calendar.add("prodid", "-//Surveillance Litigation Tracker//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Deadlines")
    deadlines = Deadline.objects.open().for_user(profile.user).select_related("case", "proceeding__court")
    for deadline in deadlines:
        calendar.add_component(event_for(deadline, profile.calendar_hides_case_names))
    return calendar.to_ical()


def calendar_feed(request, token):
    """Serve the feed for a calendar token; an unknown or rotated token is a 404."""
    profile = get_object_or_404(UserProfile.objects.select_related("user"), calendar_token=token)
    if not profile.user.is_active:
        raise Http404
    response = HttpResponse(build_feed(profile), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
