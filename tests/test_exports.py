import csv
import io
import json

import pytest

from cases import exports, selectors
from cases.models import Case
from tests import factories
from tests.opendata import dataset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_pages")]


def body_of(response):
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_exports_hold_public_records_only(fmt):
    dataset()
    response = exports.export_response(selectors.public_cases(), fmt)
    assert response.streaming
    text = body_of(response)
    assert "Popova v. Moscow DIT" in text and "Bridges v. South Wales Police" in text
    assert "Administrative claim" in text and "Courtroom 7" in text and "Claim dismissed." in text
    assert "Kirill Koroteev" in text
    assert "SECRET" not in text
    assert "internal" not in text


def test_csv_flattens_lists_and_nested_records():
    popova, _, _ = dataset()
    rows = list(csv.DictReader(io.StringIO(body_of(exports.export_response(selectors.public_cases(), "csv")))))
    row = next(row for row in rows if row["slug"] == popova.slug)
    assert list(rows[0]) == exports.FIELDS
    assert row["technologies"] == "cctv; face-recognition" or row["technologies"] == "face-recognition; cctv"
    parties = json.loads(row["parties"])
    assert {p["party"]["name"] for p in parties} == {"Alena Popova", "Moscow DIT"}
    proceedings = json.loads(row["proceedings"])
    assert [len(p["filings"]) for p in proceedings] == [1, 0]


def test_json_and_jsonl_parse():
    dataset()
    assert len(json.loads(body_of(exports.export_response(selectors.public_cases(), "json")))) == 2
    lines = body_of(exports.export_response(selectors.public_cases(), "jsonl")).splitlines()
    assert [json.loads(line)["title"] for line in lines] == [c.title for c in selectors.public_cases()]


def test_spreadsheet_formulas_are_neutralised():
    factories.case(published=True, title="=HYPERLINK(evil)")
    text = body_of(exports.export_response(selectors.public_cases(), "csv"))
    assert "'=HYPERLINK(evil)" in text


def test_export_streams_in_chunks_with_bounded_queries(django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    for n in range(35):
        case = factories.case(published=True, title=f"Case {n}")
        factories.participation(case)
    factories.filing(factories.proceeding(Case.objects.first()))
    response = exports.export_response(selectors.public_cases(), "jsonl")
    chunks = iter(response.streaming_content)
    # The first chunk needs only the first ten cases and their prefetches.
    with django_assert_max_num_queries(15):
        next(chunks)
    # 4 chunks of ~11 queries each, however many cases there are.
    with django_assert_max_num_queries(50):
        rest = list(chunks)
    assert len(rest) == 34


def test_list_page_offers_csv_and_json_of_the_filtered_list(client):
    popova, bridges, _ = dataset()
    html = client.get("/cases/?country=RU").content.decode()
    assert 'href="/cases/export.csv?country=RU"' in html and 'href="/cases/export.json?country=RU"' in html
    response = client.get("/cases/export.json?country=RU")
    assert response.streaming and response["Content-Type"] == "application/json"
    assert [case["slug"] for case in json.loads(body_of(response))] == [popova.slug]
    assert "Скачать JSON" in client.get("/ru/cases/").content.decode()
