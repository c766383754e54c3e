"""Every admin URL, every method its view accepts, every role: the permission matrix, generated from the URL conf.

Each URL under /admin/ is requested as anonymous, a lawyer on the case team, a lawyer off it and an editor,
against one record per model (belonging to the team's case; filings, hearings and decisions confidential).
A role the policy below allows must get the page (GET) or make the change (POST, checked in the database);
every other role must be refused (login page, 403, 404 or "does not exist") with the database unchanged.
A new admin URL fails here until its policy is declared in MODELS or SITE.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from alerts.models import Subscriber
from cases.actions.deadlines import save_deadline
from cases.models import (
    CalendarOverride,
    Case,
    Challenge,
    Deadline,
    Deployment,
    DocumentText,
    LegalGround,
    Remedy,
    Revision,
    System,
    Technology,
    UserProfile,
    Vendor,
)
from tests import factories
from tests.conftest import need

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "lawyer", "other_lawyer", "editor"]
STAFF = {"lawyer", "other_lawyer", "editor"}
TEAM = {"lawyer", "editor"}
EDITOR = {"editor"}
OWNER = {"lawyer"}  # the lawyer's own staff profile
NOBODY = set()
READ_ONLY = None  # a POST that writes nothing for anyone

# A policy: view name -> (roles that may read it, roles whose forged POST must change the database).
CASE = {
    "changelist": (STAFF, EDITOR),  # action: publish
    "add": (STAFF, READ_ONLY),
    "change": (STAFF, TEAM),
    "delete": (EDITOR, EDITOR),
    "history": (TEAM, READ_ONLY),
    "simple_history": (TEAM, TEAM),
}
RECORD = {  # a record of a case, public once its case is
    "changelist": (STAFF, TEAM),
    "add": (STAFF, READ_ONLY),
    "change": (STAFF, TEAM),
    "delete": (TEAM, TEAM),
    "history": (TEAM, READ_ONLY),
    "simple_history": (TEAM, TEAM),
}
UNDELETABLE_RECORD = RECORD | {"changelist": (STAFF, EDITOR), "delete": (EDITOR, EDITOR)}
CONFIDENTIAL = RECORD | {"change": (TEAM, TEAM)}
UNDELETABLE_CONFIDENTIAL = CONFIDENTIAL | {"changelist": (STAFF, EDITOR), "delete": (EDITOR, EDITOR)}
DELIVERY_LOG = {
    "changelist": (STAFF, NOBODY),
    "add": (NOBODY, NOBODY),
    "change": (TEAM, NOBODY),
    "delete": (NOBODY, NOBODY),
    "history": (TEAM, READ_ONLY),
}
SHARED = {  # parties and courts: every lawyer edits them, editors delete
    "changelist": (STAFF, EDITOR),
    "add": (STAFF, READ_ONLY),
    "change": (STAFF, STAFF),
    "delete": (EDITOR, EDITOR),
    "history": (STAFF, READ_ONLY),
    "simple_history": (STAFF, STAFF),
}
VOCABULARY = SHARED | {"add": (EDITOR, READ_ONLY), "change": (STAFF, EDITOR), "simple_history": (STAFF, EDITOR)}
EDITORS_ONLY = dict.fromkeys(SHARED, (EDITOR, EDITOR)) | {"add": (EDITOR, READ_ONLY), "history": (EDITOR, None)}
PROFILE = {
    "changelist": (STAFF, OWNER),  # everyone is sent to their own profile; action: rotate the calendar token
    "add": (NOBODY, NOBODY),
    "change": (OWNER, OWNER),
    "delete": (NOBODY, NOBODY),
    "history": (OWNER, READ_ONLY),
    "simple_history": (OWNER, NOBODY),  # no revert: it could bring back a leaked calendar address
}
CLOSED = dict.fromkeys([*SHARED, "password_change"], (NOBODY, NOBODY))
DOCUMENT_TEXT = {  # derived from a document: read it, or ask for a new reading (action: read again)
    "changelist": (STAFF, TEAM),
    "add": (NOBODY, NOBODY),
    "change": (TEAM, READ_ONLY),
    "delete": (NOBODY, NOBODY),
    "history": (TEAM, READ_ONLY),
}
REVISION = {  # a change waiting for review: its team follows it, editors decide it (action: reject)
    "changelist": (STAFF, EDITOR),
    "add": (NOBODY, NOBODY),
    "change": (TEAM, READ_ONLY),
    "delete": (NOBODY, NOBODY),
    "history": (TEAM, READ_ONLY),
    "simple_history": (TEAM, NOBODY),
}
USER_LOOKUP = CLOSED | {"changelist": (STAFF, NOBODY), "change": (STAFF, NOBODY), "history": (STAFF, READ_ONLY)}

MODELS = {
    "cases.case": CASE,
    "cases.participation": RECORD,
    "cases.proceeding": UNDELETABLE_RECORD,
    "cases.filing": CONFIDENTIAL,
    "cases.hearing": CONFIDENTIAL,
    "cases.decision": UNDELETABLE_CONFIDENTIAL,
    "cases.deadline": CONFIDENTIAL | {"change": (TEAM, TEAM)},
    "cases.reminderdelivery": DELIVERY_LOG,
    "cases.documenttext": DOCUMENT_TEXT,
    "cases.revision": REVISION,
    "cases.party": SHARED,
    "cases.court": SHARED,
    "cases.technology": VOCABULARY,
    "cases.legalground": VOCABULARY,
    "cases.calendaroverride": EDITORS_ONLY,
    "cases.vendor": VOCABULARY,
    "cases.system": VOCABULARY,
    "cases.deployment": VOCABULARY,
    "cases.challenge": RECORD,
    "cases.userprofile": PROFILE,
    "auth.user": USER_LOOKUP,
    "auth.group": CLOSED,
    "alerts.subscriber": CLOSED,
    "django_celery_beat.periodictask": CLOSED,
    "django_celery_beat.intervalschedule": CLOSED,
    "django_celery_beat.crontabschedule": CLOSED,
    "django_celery_beat.solarschedule": CLOSED,
    "django_celery_beat.clockedschedule": CLOSED,
    "otp_totp.totpdevice": CLOSED | {"config": (NOBODY, READ_ONLY), "qrcode": (NOBODY, READ_ONLY)},
    "otp_static.staticdevice": CLOSED,
    "axes.accessattempt": CLOSED,
    "axes.accesslog": CLOSED,
    "axes.accessfailurelog": CLOSED,
}
# The bulk action a forged changelist POST tries on the record.
ACTIONS = {
    "cases.case": "publish",
    "cases.deadline": "mark_done",
    "cases.userprofile": "rotate_tokens",
    "cases.documenttext": "read_again",
    "cases.revision": "reject",
}

# Views of the site itself: URL name -> (readers, writers).
SITE = {
    "admin:index": (STAFF, READ_ONLY),
    "admin:app_list": (STAFF, READ_ONLY),
    "admin:login": ({"anonymous", *STAFF}, READ_ONLY),
    "admin:logout": (STAFF, READ_ONLY),
    "admin:password_change": (STAFF, READ_ONLY),
    "admin:password_change_done": (STAFF, READ_ONLY),
    "admin:autocomplete": (STAFF, READ_ONLY),
    "admin:jsi18n": (STAFF, READ_ONLY),
    "admin:view_on_site": (STAFF, READ_ONLY),
    "admin:two_factor": (STAFF, READ_ONLY),
    "admin_case_import": (STAFF, READ_ONLY),  # every import row goes through the actions' checks
    "admin:catch_all": (NOBODY, READ_ONLY),
}
# Views that answer GET with 405 for everyone, and views that send signed-in staff on to the index.
GET_REFUSED = {"admin:logout"}
SENT_TO_INDEX = {"admin:login"}
SITE_PARAMS = {
    "admin:autocomplete": {"app_label": "cases", "model_name": "case", "field_name": "technologies", "term": ""},
}

# Tables a forged request could change (sessions and login-throttling state are expected to move).
WATCHED_APPS = ["cases", "alerts", "auth", "admin", "django_celery_beat", "otp_totp", "otp_static"]


def admin_urls():
    """Return (route, name, callback) for every URL under admin/, walking the whole URL conf."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace)
            else:
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                yield prefix + str(pattern.pattern), name, pattern.callback

    return [row for row in walk(get_resolver().url_patterns, "", None) if row[0].startswith("admin/")]


def classify(route, name):
    """Return (model label or None, view) for an admin URL."""
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin/{opts.app_label}/{opts.model_name}/"
        if route.startswith(base) and route != "admin/cases/case/import/":
            view = name.rsplit("_", 1)[-1] if name and name != "admin:" else "redirect"
            if name and name.endswith("_simple_history"):
                view = "simple_history"
            if name and name.endswith("_password_change"):
                view = "password_change"
            return opts.label_lower, view
    if name in (None, "admin:"):
        return None, "admin:catch_all" if "(?P<url>" in route else route
    return None, name


URLS = admin_urls()


def test_every_admin_url_has_a_declared_policy():
    missing = []
    for route, name in {(route, name) for route, name, _callback in URLS}:
        label, view = classify(route, name)
        if label is None:
            if view not in SITE:
                missing.append(f"{route} ({view}): declare it in SITE")
        elif label not in MODELS:
            missing.append(f"{route}: declare the policy of {label} in MODELS")
        elif view != "redirect" and view not in MODELS[label]:
            missing.append(f"{route}: declare the {view} view of {label}")
    assert not missing, "\n".join(sorted(missing))


def methods(callback):
    """Return the HTTP methods a view accepts: a class-based view's handlers, else GET and POST."""
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [method for method in view_class.http_method_names if hasattr(view_class, method) and method != "options"]


@pytest.fixture
def world(lawyer, other_lawyer, editor, admin_user):
    """One record per admin model; the case-scoped ones on a draft case whose team is `lawyer`."""
    case = factories.case(title="Team case", internal_notes="Strategy")
    case.team.add(lawyer)
    proceeding = factories.proceeding(case)
    participation = factories.participation(case)
    deadline = Deadline(case=case, proceeding=proceeding, title="Reply", due_on=datetime.date(2031, 1, 6))
    save_deadline(deadline, actor=None, responsible=[lawyer])
    for user in (lawyer, other_lawyer, editor, admin_user):
        UserProfile.objects.get_or_create(user=user)
    every = IntervalSchedule.objects.create(every=5, period="minutes")
    vendor = Vendor.objects.create(name="NtechLab", aliases="НтехЛаб")
    system = System.objects.create(name="FindFace Security", vendor=vendor)
    deployment = Deployment.objects.create(system=system, operator=factories.party(kind="agency"), country="RU")
    challenge = Challenge.objects.create(case=case, deployment=deployment, claim="Unlawful")
    Remedy.objects.create(
        challenge=challenge, kind="none", date="2031-01-01", source_url="https://example.org", private_note="Plan"
    )
    decision = factories.decision(proceeding, is_public=False)
    objects = {
        "cases.case": case,
        "cases.participation": participation,
        "cases.proceeding": proceeding,
        "cases.filing": factories.filing(proceeding, is_public=False, filed_by=participation),
        "cases.hearing": factories.hearing(proceeding, is_public=False),
        "cases.decision": decision,
        "cases.documenttext": DocumentText.objects.create(decision=decision, file_name="judgment.pdf"),
        "cases.revision": Revision.objects.create(
            case=case,
            content_type=ContentType.objects.get_for_model(Case),
            object_id=case.pk,
            operation="update",
            proposed_by=lawyer,
            changes={"title": "Proposed title"},
        ),
        "cases.deadline": deadline,
        "cases.reminderdelivery": deadline.deliveries.first(),
        "cases.party": factories.party(),  # unused, so that it can be deleted
        "cases.court": factories.court(),
        "cases.technology": Technology.objects.create(name="Face recognition", slug="face-recognition"),
        "cases.legalground": LegalGround.objects.create(name="Private life", slug="private-life"),
        "cases.calendaroverride": CalendarOverride.objects.create(calendar="RU", day="2031-01-05", reason="Closed"),
        "cases.vendor": Vendor.objects.create(name="Unused vendor"),  # unused, so that it can be deleted
        "cases.system": System.objects.create(name="Unused system"),
        "cases.deployment": Deployment.objects.create(system=system, operator=deployment.operator, country="GB"),
        "cases.challenge": challenge,
        "cases.userprofile": lawyer.profile,
        "auth.user": lawyer,
        "auth.group": Group.objects.get(name="Lawyers"),
        "alerts.subscriber": Subscriber.objects.create(email="reader@example.org"),
        "django_celery_beat.intervalschedule": every,
        "django_celery_beat.periodictask": PeriodicTask.objects.create(name="t", task="t", interval=every),
        "django_celery_beat.crontabschedule": CrontabSchedule.objects.create(minute="0"),
        "django_celery_beat.solarschedule": SolarSchedule.objects.create(event="sunset", latitude=1, longitude=1),
        "django_celery_beat.clockedschedule": ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "otp_totp.totpdevice": TOTPDevice.objects.create(user=lawyer, name="phone"),
        "otp_static.staticdevice": StaticDevice.objects.create(user=lawyer, name="codes"),
    }
    assert objects["cases.reminderdelivery"] is not None
    return objects


def fingerprint():
    """Return a hash of every watched table's rows, in one query."""
    tables = sorted({model._meta.db_table for app in WATCHED_APPS for model in apps.get_app_config(app).get_models()})
    rows = " UNION ALL ".join(f"SELECT '{table}:' || t::text AS r FROM \"{table}\" t" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(string_agg(r, ',' ORDER BY r)) FROM ({rows}) s")
        return cursor.fetchone()[0]


def url_for(route, name, label, view, obj):
    if label is None:
        if view == "admin:app_list":
            return reverse(view, kwargs={"app_label": "cases"})
        if view == "admin:view_on_site":
            case = obj["cases.case"]
            return reverse(view, args=[ContentType.objects.get_for_model(case).pk, case.pk])
        if view == "admin:catch_all":
            return "/admin/no-such-page/"
        return reverse(view)
    target = obj.get(label)
    pk = target.pk if target is not None else 1
    if view == "simple_history":
        return reverse(name, args=[pk, target.history.earliest().history_id])
    if view == "password_change":
        return reverse(name, args=[pk])
    if view in ("changelist", "add"):
        return reverse(name)
    if view == "redirect":
        return "/" + route.replace("<path:object_id>", str(pk))
    return reverse(name, args=[pk])


class FormFields(HTMLParser):
    """Collect what a browser would submit from the page's forms: inputs, checked boxes, selections, text."""

    def __init__(self):
        super().__init__()
        self.data, self.select, self.textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button", "image"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.setdefault(self.select, []).append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data.removeprefix("\n") if not self.data[self.textarea][-1] else data


def form_data(response):
    """Return the POST data a browser would send from the page's form, unchanged."""
    parser = FormFields()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


def post_data(label, view, superuser_client, url, obj):
    """Return the forged POST body for a view: the form as a superuser sees it, or the action or confirmation."""
    if view == "delete":
        return {"post": "yes"}
    if view == "changelist":
        action = ACTIONS.get(label, "delete_selected")
        return {"action": action, "_selected_action": [obj[label].pk] if label in obj else [], "post": "yes"}
    if view in ("change", "simple_history") and label in obj:
        page = superuser_client.get(url)
        assert page.status_code == 200, url
        return form_data(page)
    return {}


def refused(response):
    """Return whether response turns the request away: an error, the login page, or "does not exist"."""
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and (
        "/login/" in response["Location"] or response["Location"] == reverse("admin:index")
    )


def groups():
    """Group the admin URLs by model (site views on their own), so each group shares one world."""
    grouped = {}
    for route, name, callback in URLS:
        label, _view = classify(route, name)
        grouped.setdefault(label or "site", []).append((route, name, callback))
    return grouped


GROUPS = groups()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_admin_urls_enforce_their_policy(group, world, request, client, admin_user):
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL=postgres://...")
    for route, name, callback in GROUPS[group]:
        check_url(route, name, callback, world, request, client, admin_user)


def check_url(route, name, callback, world, request, client, admin_user):
    """Request one admin URL with each method as each role, and check the outcome against the policy."""
    label, view = classify(route, name)
    policy = SITE.get(view) if label is None else MODELS[label].get(view, (STAFF, READ_ONLY))
    readers, writers = policy
    if view == "redirect":  # <pk>/ only redirects to the change page, which has its own policy
        readers, writers = STAFF, READ_ONLY
    url = url_for(route, name, label, view, world)
    client.force_login(admin_user)
    body = post_data(label, view, client, url, world)
    params = SITE_PARAMS.get(view, {})

    for role in ROLES:
        for method in methods(callback):
            with transaction.atomic():
                client.logout()
                if role != "anonymous":
                    client.force_login(request.getfixturevalue(role))
                before = fingerprint()
                if method == "post":
                    response = client.post(url, body)
                else:
                    response = getattr(client, method)(url, params if method == "get" else None)
                changed = fingerprint() != before
                transaction.set_rollback(True)
            where = f"{role} {method.upper()} {url}: {response.status_code}"
            assert response.status_code < 500, where
            if method == "post" and writers is not READ_ONLY and role in writers:
                assert changed, f"{where} should have written"
                continue
            assert not changed, f"{where} must change nothing"
            if role not in readers:
                assert refused(response), f"{where} should be refused"
            elif method == "post" and writers is not READ_ONLY and view in ("change", "delete", "simple_history"):
                assert response.status_code == 403, f"{where} should be forbidden"
            elif method == "get" and view not in GET_REFUSED:
                assert response.status_code in (200, 302), f"{where} should be served"
                assert not refused(response) or view in SENT_TO_INDEX, f"{where} should be served"
