import csv
import io
import json

import pytest
from django.core.management import call_command
from django.http import FileResponse

from cases import datadump, exports
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import save_record
from cases.models import Case
from cases.tasks import write_data_dump
from tests import factories
from tests.opendata import dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dump_root(settings, tmp_path):
    settings.DATA_DUMP_ROOT = tmp_path / "data"
    return settings.DATA_DUMP_ROOT


def test_dump_writes_public_jsonl_csv_and_readme(dump_root, settings):
    popova, bridges, _ = dataset()
    assert write_data_dump() == 2

    lines = (dump_root / "cases.jsonl").read_text().splitlines()
    assert [json.loads(line)["slug"] for line in lines] == sorted([popova.slug, bridges.slug])
    rows = list(csv.DictReader((dump_root / "cases.csv").open(newline="")))
    assert [row["slug"] for row in rows] == sorted([popova.slug, bridges.slug])
    for name in ("cases.jsonl", "cases.csv"):
        assert "SECRET" not in (dump_root / name).read_text()
    assert json.loads(lines[1])["url"] == f"{settings.SITE_URL}/cases/{popova.slug}/"

    readme = (dump_root / "README.md").read_text()
    assert "2 cases" in readme and settings.OPEN_DATA_LICENCE in readme
    for name in exports.FIELDS:
        assert f"| `{name}` |" in readme
    assert not [path for path in dump_root.iterdir() if path.name.startswith(".")]


def test_every_exported_field_is_documented():
    assert set(datadump.FIELD_DOCS) == set(exports.FIELDS)


def test_data_page_lists_and_serves_the_files(client, dump_root):
    assert "has not been made yet" in client.get("/data/").content.decode()
    assert client.get("/data/cases.csv").status_code == 404
    dataset()
    datadump.write_dump()

    page = client.get("/data/").content.decode()
    assert "cases.jsonl" in page and "cases.csv" in page and "README.md" in page
    response = client.get("/data/cases.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"Popova" in b"".join(response.streaming_content)
    assert client.get("/data/..%2Fsettings.py").status_code == 404
    assert client.get("/data/other.txt").status_code == 404
    assert client.get("/ru/data/").status_code == 200


def downloaded(client, name):
    response = client.get(f"/data/{name}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def dumped_slugs(client):
    """Return the slugs /data/ serves, from each file parsed whole (so a cut-up row would fail)."""
    jsonl = [json.loads(line)["slug"] for line in downloaded(client, "cases.jsonl").splitlines()]
    rows = list(csv.DictReader(io.StringIO(downloaded(client, "cases.csv"), newline="")))
    assert [row["slug"] for row in rows] == jsonl
    return jsonl


def test_an_unpublished_case_leaves_data_at_once(client, dump_root, django_capture_on_commit_callbacks):
    popova, bridges, _ = dataset()
    datadump.write_dump()
    assert isinstance(client.get("/data/cases.csv"), FileResponse)  # nothing changed: the file as it is

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(Case.objects.get(pk=popova.pk), actor=None)

    assert dumped_slugs(client) == [bridges.slug]
    assert "Popova" not in downloaded(client, "cases.csv") + downloaded(client, "cases.jsonl")


def test_changed_and_newly_published_cases_are_served_current(client, dump_root, django_capture_on_commit_callbacks):
    popova, bridges, draft = dataset()
    datadump.write_dump()
    with django_capture_on_commit_callbacks(execute=True):
        popova.title = "Popova and others v. Moscow DIT"
        save_record(popova, actor=None)
        publish_case(draft, actor=None)

    assert sorted(dumped_slugs(client)) == sorted([popova.slug, bridges.slug, draft.slug])
    csv_text = downloaded(client, "cases.csv")
    assert "Popova and others v. Moscow DIT" in csv_text
    assert "Popova v. Moscow DIT" not in csv_text


def test_a_file_and_a_manifest_of_different_rebuilds_are_never_mixed(client, dump_root):
    dataset()
    datadump.write_dump()
    with (dump_root / "cases.csv").open("a") as out:
        out.write("half,a,row")
    response = client.get("/data/cases.csv")
    assert response.status_code == 503 and response["Retry-After"]


def test_a_court_no_longer_public_leaves_appeals_to_in_data(client, dump_root, django_capture_on_commit_callbacks):
    upper = factories.court(name="Upper court")
    lower_case = factories.case(published=True, title="Lower case")
    factories.proceeding(lower_case, court=factories.court(name="Lower court", appeals_to=upper))
    upper_case = factories.case(published=True, title="Upper case")
    factories.proceeding(upper_case, court=upper)
    datadump.write_dump()
    assert upper.slug in downloaded(client, "cases.jsonl").splitlines()[0]

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(upper_case, actor=None)

    assert upper.slug not in downloaded(client, "cases.jsonl") + downloaded(client, "cases.csv")


def test_a_rebuild_copies_unchanged_records_and_rebuilds_changed_ones(
    dump_root, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    popova, bridges, _ = dataset()
    factories.case(published=True, title="Unrelated case")
    datadump.write_dump()
    # Marks only the dump's copies: a rebuild that keeps them copied the record instead of building it.
    for name in ("cases.jsonl", "cases.csv"):
        path = dump_root / name
        path.write_bytes(path.read_bytes().replace(b"Unrelated case", b"Unrelated casf"))
    with django_capture_on_commit_callbacks(execute=True):
        popova.title = "Popova and others v. Moscow DIT"
        save_record(popova, actor=None)
    datadump.write_dump()
    for name in ("cases.jsonl", "cases.csv"):
        text = (dump_root / name).read_text()
        assert "Unrelated casf" in text and "Popova and others v. Moscow DIT" in text and "SECRET" not in text
    assert [json.loads(line)["slug"] for line in (dump_root / "cases.jsonl").read_text().splitlines()] == sorted(
        Case.objects.public().values_list("slug", flat=True)
    )


def test_the_command_writes_the_dump_where_asked(tmp_path):
    popova, bridges, _ = dataset()
    out = io.StringIO()
    call_command("write_data_dump", directory=tmp_path / "elsewhere", stdout=out)
    assert "2 cases" in out.getvalue()
    lines = (tmp_path / "elsewhere" / "cases.jsonl").read_text().splitlines()
    assert [json.loads(line)["slug"] for line in lines] == sorted([popova.slug, bridges.slug])
    assert len(list(csv.DictReader((tmp_path / "elsewhere" / "cases.csv").open(newline="")))) == 2
