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


def test_export_queries_do_not_grow_with_cases(django_assert_max_num_queries):
    def queries():
        with django_assert_max_num_queries(30) as captured:
            body = "".join(exports.stream_csv(exports.case_records(selectors.public_cases())))
        return len(captured.captured_queries), body.count("\n")

    def add_cases(n):
        for _ in range(n):
            case = factories.case(published=True)
            factories.participation(case)
            factories.decision(factories.proceeding(case))

    add_cases(2)
    few, rows = queries()
    add_cases(40)
    assert queries() == (few, rows + 40)


def test_a_list_too_large_for_one_download_is_refused_before_streaming(client, settings):
    settings.EXPORT_MAX_CASES = 2
    for country in ["RU", "RU", "RU", "GB"]:
        factories.case(published=True, country=country)
    # A stream cut off by a worker timeout would still say 200 OK; so a large one never starts.
    response = client.get("/cases/export.csv?country=RU")
    assert response.status_code == 400 and not response.streaming
    assert "3 cases" in response.content.decode()
    response = client.get("/api/v1/cases/", {"format": "jsonl", "country": "RU"})
    assert response.status_code == 400 and "3 cases" in response.content.decode()
    assert client.get("/cases/export.csv?country=GB").streaming


def test_the_unfiltered_csv_is_the_dump(client, settings, tmp_path):
    settings.DATA_DUMP_ROOT = tmp_path
    settings.EXPORT_MAX_CASES = 1
    factories.case(published=True)
    factories.case(published=True)
    assert client.get("/cases/export.csv").status_code == 400  # no dump yet, and too many to stream
    (tmp_path / "cases.csv").write_text("slug\n")
    response = client.get("/cases/export.csv?sort=title")
    assert response.status_code == 302 and response["Location"] == "/data/cases.csv"
