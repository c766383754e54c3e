"""Small builders for test data; each returns a saved, valid object."""

import datetime
import itertools

from django.utils import timezone

from cases.models import Case, Court, Decision, Filing, Hearing, Participation, Party, Proceeding

_counter = itertools.count(1)


def court(**fields):
    n = next(_counter)
    defaults = {
        "name": f"Test District Court {n}",
        "country": "RU",
        "level": "first_instance",
        "timezone": "Europe/Moscow",
    }
    return Court.objects.create(**(defaults | fields))


def party(**fields):
    n = next(_counter)
    return Party.objects.create(**({"name": f"Test Party {n}", "kind": "person"} | fields))


def case(published=False, **fields):
    n = next(_counter)
    defaults = {"title": f"Test case {n}", "country": "RU", "summary": "A test case."}
    obj = Case.objects.create(**(defaults | fields))
    if published:
        obj.visibility = Case.Visibility.PUBLISHED
        obj.published_at = timezone.now()
        obj.save()
    return obj


def proceeding(case_obj=None, **fields):
    defaults = {
        "case": case_obj or case(),
        "court": fields.pop("court", None) or court(),
        "docket_number": f"2a-{next(_counter)}/2019",
        "started_on": datetime.date(2019, 10, 7),
    }
    return Proceeding.objects.create(**(defaults | fields))


def participation(case_obj, role="plaintiff", **fields):
    return Participation.objects.create(case=case_obj, party=fields.pop("party", None) or party(), role=role, **fields)


def filing(proceeding_obj, **fields):
    defaults = {
        "proceeding": proceeding_obj,
        "filed_on": datetime.date(2019, 10, 8),
        "kind": "complaint",
        "title": f"Filing {next(_counter)}",
        "is_public": True,
    }
    return Filing.objects.create(**(defaults | fields))


def hearing(proceeding_obj, **fields):
    defaults = {
        "proceeding": proceeding_obj,
        "timezone": "Europe/Moscow",
        "is_public": True,
        "starts_at": datetime.datetime(2019, 11, 6, 7, 0, tzinfo=datetime.UTC),
    }
    return Hearing.objects.create(**(defaults | fields))


def decision(proceeding_obj, **fields):
    defaults = {
        "proceeding": proceeding_obj,
        "announced_on": datetime.date(2019, 11, 6),
        "final_form_on": datetime.date(2019, 11, 12),
        "result": "dismissed",
        "is_public": True,
    }
    return Decision.objects.create(**(defaults | fields))
