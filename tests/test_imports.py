import csv
import datetime
import io
import json
import re

import pytest
import time_machine
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import exports, selectors
from cases.api.serializers import CaseSerializer
from cases.demo import load_demo
from cases.imports import import_file
from cases.models import Case, Court, Deadline, Decision, Filing, Hearing, Participation, Party, Proceeding
from tests.opendata import dataset, taxonomy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_pages")]

HEADER = "slug,title,country,technologies,filed_on,parties\n"


def export_bytes(fmt):
    response = exports.export_response(selectors.public_cases(), fmt)
    return b"".join(response.streaming_content)


def public_records():
    """Return every public case record, without the ids and timestamps that a new database renumbers."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("id", "appeals_from", "published_at")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    cases = selectors.with_public_records(selectors.public_cases()).order_by("slug")
    return [strip(dict(CaseSerializer(case).data)) for case in cases]


def empty_database():
    """Delete every case, party and court, keeping the vocabularies (technologies, grounds) as reference data.

    Vendors, systems and deployments are reference data too (a file names them by slug), so the parties that
    operate deployments stay.
    """
    Proceeding.objects.update(appeals_from=None)
    Case.objects.all().delete()
    Participation.objects.all().delete()
    Proceeding.objects.all().delete()
    Party.objects.filter(deployments__isnull=True).delete()
    Court.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_round_trips_through_import_into_an_empty_database(fmt, editor):
    dataset()
    before = public_records()
    content = export_bytes(fmt)
    empty_database()

    result = import_file(content, f"cases.{fmt}", actor=editor, dry_run=False)

    assert result.ok, result.errors
    assert result.written and [row.action for row in result.rows] == ["create", "create"]
    assert public_records() == before
    assert not Filing.objects.filter(is_public=False).exists()


def test_importing_the_same_file_twice_changes_nothing(editor):
    dataset()
    content = export_bytes("csv")
    counts = [model.objects.count() for model in (Case, Party, Court, Proceeding, Filing, Hearing, Decision)]
    before = public_records()

    result = import_file(content, "cases.csv", actor=editor, dry_run=False)

    assert result.ok, result.errors
    assert [row.action for row in result.rows] == ["update", "update"]
    assert [model.objects.count() for model in (Case, Party, Court, Proceeding, Filing, Hearing, Decision)] == counts
    assert public_records() == before


def test_dry_run_previews_without_writing(editor):
    taxonomy()
    content = (HEADER + 'new-case,New case,RU,cctv,2020-02-03,"[]"\n').encode()
    result = import_file(content, "cases.csv", actor=editor, dry_run=True)
    assert result.ok and not result.written
    assert [(row.slug, row.action) for row in result.rows] == [("new-case", "create")]
    assert not Case.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_written(editor):
    taxonomy()
    content = (
        HEADER
        + 'good,Good case,RU,cctv,2020-02-03,"[]"\n'
        + 'bad-country,Bad country,XX,cctv,,"[]"\n'
        + 'bad-tech,Bad technology,RU,cctv; teleportation,,"[]"\n'
        + 'bad-date,Bad date,RU,,2020-13-45,"[]"\n'
        + 'good,Good case again,RU,,,"[]"\n'
        + 'bad-party,Bad party,RU,,,"[{""role"": ""plaintiff"", ""party"": {""name"": ""X"", ""kind"": ""alien""}}]"\n'
        + "bad-json,Bad JSON,RU,,,[{\n"
    ).encode()

    result = import_file(content, "cases.csv", actor=editor, dry_run=False)

    assert not result.ok and not result.written
    errors = {row.slug: " ".join(row.errors) for row in result.rows}
    assert errors["good"].startswith("Duplicate of row 2")
    assert "unknown country code 'XX'" in errors["bad-country"]
    assert "unknown technology: teleportation" in errors["bad-tech"]
    assert "filed_on: '2020-13-45' is not a date" in errors["bad-date"]
    assert "parties[1].kind" in errors["bad-party"]
    assert "parties: not valid JSON" in errors["bad-json"]
    assert [number for number, _ in result.errors] == [3, 4, 5, 6, 7, 8]
    assert not Case.objects.exists() and not Party.objects.exists()


def kas_case(client=None, level=None, procedure="kas"):
    """Return a Russian KAS case record whose first-instance decision went against the applicant."""
    applicant = {"role": "plaintiff", "party": {"name": "Anna Popova", "kind": "person"}}
    authority = {"role": "defendant", "party": {"name": "Moscow DIT", "kind": "government"}}
    if client is not None:
        applicant["is_client"] = client
    if level is not None:
        authority["party"]["government_level"] = level
    court = {"name": "Tverskoy District Court", "country": "RU", "level": "first_instance", "timezone": "Europe/Moscow"}
    decision = {"announced_on": "2023-05-10", "final_form_on": "2023-05-15", "result": "dismissed"}
    proceeding = {"court": court, "docket_number": "2a-577/2023", "procedure": procedure, "decisions": [decision]}
    return {
        "title": "Popova v. DIT",
        "country": "RU",
        "parties": [applicant, authority],
        "proceedings": [proceeding],
    }


def as_file(records, fmt):
    if fmt == "json":
        return json.dumps(records).encode()
    out = io.StringIO()
    writer = csv.DictWriter(out, ["title", "country", "parties", "proceedings"])
    writer.writeheader()
    for record in records:
        writer.writerow(
            {name: json.dumps(value) if isinstance(value, list) else value for name, value in record.items()}
        )
    return out.getvalue().encode()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_imported_russian_kas_case_with_a_decision_gets_its_deadline(fmt, editor):
    content = as_file([kas_case(client=True, level="regional")], fmt)
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        result = import_file(content, f"cases.{fmt}", actor=editor, dry_run=False)
    assert result.ok, result.errors
    assert Proceeding.objects.get().procedure == "kas"
    assert Participation.objects.get(role="plaintiff").is_client
    assert Party.objects.get(name="Moscow DIT").government_level == "regional"
    deadline = Deadline.objects.get()
    assert (deadline.rule_code, deadline.due_on, deadline.status) == ("ru-appeal", datetime.date(2023, 6, 15), "open")
    assert deadline.title == "Appeal (Russia, GPK/KAS): Tverskoy District Court 2a-577/2023"


def test_deadline_keys_with_bad_values_are_row_errors(editor):
    records = [kas_case(procedure="civil"), kas_case(client="yes"), kas_case(level="city"), kas_case(procedure="cpr")]
    for number, record in enumerate(records):
        record["title"] = f"Bad case {number}"
    result = import_file(as_file(records, "csv"), "cases.csv", actor=editor, dry_run=False)
    assert not result.ok and not result.written
    assert [" ".join(row.errors) for row in result.rows] == [
        "proceedings[1].procedure: 'civil' is not one of gpk, kas, apk, koap, upk, federal-civil, state, cpr, echr, "
        "other.",
        "parties[1].is_client: write true or false.",
        "parties[2].government_level: 'city' is not one of national, regional, local.",
        "proceedings[1].procedure: England and Wales: Civil Procedure Rules does not fit a court in Russia.",
    ]
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_wrong_columns_and_wrong_encoding_are_file_errors(editor):
    result = import_file(b"slug,title,colour\nx,X,red\n", "cases.csv", actor=editor, dry_run=False)
    assert not result.ok
    assert "Unknown columns: colour" in result.file_errors[0] and "Missing columns: country" in result.file_errors[0]

    latin1 = (HEADER + 'zurich,Zürich case,CH,,,"[]"\n').encode("latin-1")
    result = import_file(latin1, "cases.csv", actor=editor, dry_run=False)
    assert "not UTF-8" in result.file_errors[0]

    result = import_file(b'{"title": 1}', "cases.json", actor=editor, dry_run=False)
    assert "list of case objects" in result.file_errors[0]
    assert not Case.objects.exists()


def test_import_creates_drafts_unless_the_record_is_published(editor):
    taxonomy()
    records = [
        {"title": "Draft import", "country": "RU"},
        {"title": "Published import", "country": "GB", "published_at": "2024-01-01T00:00:00Z"},
    ]
    result = import_file(json.dumps(records).encode(), "cases.json", actor=editor, dry_run=False)
    assert result.ok, result.errors
    assert [c.slug for c in selectors.public_cases()] == ["published-import"]
    assert Case.objects.get(slug="draft-import").visibility == "draft"


def test_lawyer_without_publish_permission_cannot_import_published_cases(lawyer):
    records = [{"title": "Published import", "country": "GB", "published_at": "2024-01-01T00:00:00Z"}]
    result = import_file(json.dumps(records).encode(), "cases.json", actor=lawyer, dry_run=False)
    assert not result.ok and "Only editors" in result.errors[0][1]
    assert not Case.objects.exists()


def test_admin_previews_then_imports_the_same_upload(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    taxonomy()
    client.force_login(editor)
    assert "Import cases" in client.get("/admin/cases/case/").content.decode()
    content = (HEADER + 'new-case,New case,RU,cctv,2020-02-03,"[]"\n').encode()

    preview = client.post("/admin/cases/case/import/", {"file": SimpleUploadedFile("cases.csv", content)})
    assert preview.status_code == 200
    assert "Will be created" in preview.content.decode()
    assert not Case.objects.exists()

    done = client.post("/admin/cases/case/import/", {"token": preview.context["token"]})
    assert done.status_code == 302
    assert Case.objects.get().slug == "new-case"


def test_admin_preview_lists_row_errors_and_offers_no_import(client, editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    content = (HEADER + 'x,X,XX,,,"[]"\ny,Y,RU,,2020-02-30,"[]"\n').encode()
    response = client.post("/admin/cases/case/import/", {"file": SimpleUploadedFile("cases.csv", content)})
    html = response.content.decode()
    assert "unknown country code" in html and "is not a date" in html
    assert response.context["token"] is None and "Import now" not in html
    assert client.post("/admin/cases/case/import/", {"token": "forged"}).status_code == 302
    assert not Case.objects.exists()


def test_import_page_needs_the_add_case_permission(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x" * 20, is_staff=True)
    client.force_login(user)
    assert client.get("/admin/cases/case/import/").status_code == 403


def public_pages(client):
    """Return the HTML of every public page of the data, with database ids and CSRF tokens masked."""
    cache.clear()
    paths = ["/", "/cases/", "/ru/cases/", "/cases/?country=RU", "/stats/"]
    for case in selectors.public_cases():
        paths += [case.get_absolute_url(), "/ru" + case.get_absolute_url()]
    paths += [party.get_absolute_url() for party in selectors.public_parties()]
    paths += [court.get_absolute_url() for court in selectors.public_courts()]
    pages = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", response.content.decode())
        pages[path] = re.sub(r"\b(filing|hearing|decision|proceeding|documents/\w+)[-/]\d+", r"\1-ID", html)
    return pages


def test_demo_data_exported_as_csv_and_imported_into_an_empty_database_gives_the_same_public_pages(
    client, editor, monkeypatch
):
    # Uploaded files do not travel in an export (only their download links do), so leave the demo's out.
    monkeypatch.setattr("cases.demo.attach_demo_documents", lambda case, **savers: None)
    load_demo()
    before = public_pages(client)
    assert len(before) > 10
    # Oldest first, as the API's `?format=csv&ordering=published_at` gives: records then get new ids in the same
    # order as the originals, so lists that fall back to id order for ties read the same.
    response = exports.export_response(selectors.public_cases().order_by("published_at"), "csv")
    content = b"".join(response.streaming_content)
    empty_database()
    assert client.get("/cases/").status_code == 200 and not selectors.public_cases().exists()

    result = import_file(content, "cases.csv", actor=editor, dry_run=False)

    assert result.ok, result.errors
    after = public_pages(client)
    assert sorted(after) == sorted(before)
    for path in before:
        assert after[path] == before[path], path


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(st.sampled_from(exports.FIELDS), json_values, max_size=8), max_size=3))
def test_any_json_shape_gives_row_errors_never_a_crash(editor, records):
    before = Case.objects.count()
    result = import_file(json.dumps(records).encode(), "cases.json", actor=editor, dry_run=False)
    assert result.written == result.ok
    if not result.ok:
        assert result.errors and Case.objects.count() == before


@pytest.mark.parametrize(
    "field, value", [("technologies", ["cctv\x00"]), ("title", "A\x00"), ("parties", [{"n\x00": 1}])]
)
def test_a_nul_character_anywhere_in_a_row_is_a_row_error(editor, field, value):
    record = {"slug": "nul-case", "title": "A case", "country": "RU", "filed_on": "2020-01-01", field: value}
    result = import_file(json.dumps([record]).encode(), "cases.json", actor=editor, dry_run=False)
    assert not result.ok and "NUL character" in " ".join(message for _row, message in result.errors)
    assert not Case.objects.filter(slug="nul-case").exists()


@pytest.fixture
def surveillance():
    from cases.models import Deployment, System

    findface = System.objects.create(name="FindFace Security", slug="findface")
    System.objects.create(name="Clearview AI", slug="clearview")
    operator = Party.objects.create(name="Moscow DIT", slug="moscow-dit", kind="agency")
    Deployment.objects.create(slug="moscow", system=findface, operator=operator, country="RU", city="Moscow")


CHALLENGES = [
    {
        "system": "findface",
        "deployment": "moscow",
        "claim": "No basis in law",
        "remedies": [
            {"kind": "none", "date": "2020-03-03", "source_url": "https://example.org/r", "public_note": "Dismissed"}
        ],
    },
    {"system": "clearview", "deployment": None, "claim": "Faceprints without consent", "remedies": []},
]


def challenged(case):
    return [
        (challenge.system_id and challenge.system.slug, challenge.deployment_id and challenge.deployment.slug)
        for challenge in case.challenges.select_related("system", "deployment").order_by("pk")
    ]


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_challenges_are_imported_by_slug_with_their_remedies_and_again_change_nothing(fmt, editor, surveillance):
    from cases.models import Challenge, Remedy

    if fmt == "json":
        content = json.dumps([{"title": "Popova", "country": "RU", "challenges": CHALLENGES}]).encode()
    else:
        content = ("title,country,challenges\n" + f"Popova,RU,{_csv_cell(json.dumps(CHALLENGES))}\n").encode()
    for _ in range(2):
        result = import_file(content, f"cases.{fmt}", actor=editor, dry_run=False)
        assert result.ok, result.errors
    case = Case.objects.get(slug="popova")
    assert challenged(case) == [(None, "moscow"), ("clearview", None)]
    assert list(Challenge.objects.values_list("claim", flat=True).order_by("pk")) == [
        "No basis in law",
        "Faceprints without consent",
    ]
    remedy = Remedy.objects.get()
    assert (remedy.kind, remedy.date, remedy.public_note) == ("none", datetime.date(2020, 3, 3), "Dismissed")


def _csv_cell(text):
    out = io.StringIO()
    csv.writer(out).writerow([text])
    return out.getvalue().strip()


def test_unknown_or_mismatched_challenge_slugs_are_row_errors_and_nothing_is_saved(editor, surveillance):
    from cases.models import Challenge, Remedy

    records = [
        {"title": "Good", "country": "RU", "challenges": CHALLENGES},
        {"title": "Unknown deployment", "country": "RU", "challenges": [{"deployment": "atlantis"}]},
        {"title": "Unknown system", "country": "RU", "challenges": [{"system": "skynet", "claim": "x"}]},
        {"title": "Mixed up", "country": "RU", "challenges": [{"system": "clearview", "deployment": "moscow"}]},
        {"title": "Nothing named", "country": "RU", "challenges": [{"claim": "x"}]},
        {"title": "Bad remedy", "country": "RU", "challenges": [{"system": "clearview", "remedies": [{"kind": "x"}]}]},
    ]
    result = import_file(json.dumps(records).encode(), "cases.json", actor=editor, dry_run=False)
    assert not result.ok and not result.written
    assert result.errors == [
        (2, "challenges[1].deployment: unknown deployment atlantis."),
        (3, "challenges[1].system: unknown system skynet."),
        (4, "challenges[1].system: the deployment moscow is of the system findface, not clearview."),
        (5, "challenges[1].a challenge needs a system or a deployment."),
        (
            6,
            "challenges[1].remedies[1].kind: 'x' is not one of switched_off, data_deleted, law_amended, damages, none.",
        ),
    ]
    assert not Case.objects.exists() and not Challenge.objects.exists() and not Remedy.objects.exists()


def test_lawyers_import_challenges_into_their_own_cases_only(lawyer, editor, surveillance):
    from cases.models import Challenge

    content = json.dumps([{"title": "Popova", "country": "RU", "challenges": CHALLENGES}]).encode()
    result = import_file(content, "cases.json", actor=lawyer, dry_run=False)
    assert result.ok, result.errors
    assert challenged(Case.objects.get(slug="popova")) == [(None, "moscow"), ("clearview", None)]
    Case.objects.create(title="Another team's case", slug="other", country="RU")
    content = json.dumps([{"slug": "other", "title": "Other", "country": "RU", "challenges": CHALLENGES}]).encode()
    result = import_file(content, "cases.json", actor=lawyer, dry_run=False)
    assert not result.ok and "may not change" in result.errors[0][1]
    assert not Challenge.objects.filter(case__slug="other").exists()
