import csv
import json

import pytest

from cases import datadump, exports
from cases.tasks import write_data_dump
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
