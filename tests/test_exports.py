import contextlib
import csv
import io
import json

import pytest

from cases import datadump, exports, records, selectors
from cases.actions.publishing import publish_case, unpublish_case
from cases.actions.records import save_record
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
            body = "".join(exports.stream_csv(records.case_records(selectors.public_cases())))
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


@pytest.fixture
def dump_root(settings, tmp_path):
    settings.DATA_DUMP_ROOT = tmp_path / "data"
    return settings.DATA_DUMP_ROOT


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_current_records_come_from_the_dump_and_changed_ones_are_rebuilt(
    fmt, dump_root, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    popova, bridges, draft = dataset()
    factories.case(published=True, title="Unrelated case")
    datadump.write_dump()
    # Marks only the dump's copies: an export that shows them copied the record instead of building it.
    for name in ("cases.jsonl", "cases.csv"):
        path = dump_root / name
        path.write_bytes(path.read_bytes().replace(b"Unrelated case", b"Unrelated casf"))
    with django_assert_max_num_queries(1):  # the list of cases; every record is copied
        text = body_of(exports.export_response(selectors.public_cases(), fmt))
    assert "Unrelated casf" in text and "SECRET" not in text

    with django_capture_on_commit_callbacks(execute=True):
        popova.title = "Popova and others v. Moscow DIT"
        save_record(popova, actor=None)
        publish_case(draft, actor=None)
    text = body_of(exports.export_response(selectors.public_cases(), fmt))
    assert "Unrelated casf" in text and "Popova and others v. Moscow DIT" in text and draft.title in text
    assert "South Wales Police" in text and "internal" not in text

    with django_capture_on_commit_callbacks(execute=True):
        unpublish_case(Case.objects.get(pk=bridges.pk), actor=None)
    assert "Bridges" not in body_of(exports.export_response(selectors.public_cases(), fmt))


@pytest.mark.parametrize("with_dump", [False, True])
def test_fields_limit_the_export_and_skip_the_prefetches(client, dump_root, with_dump, django_assert_num_queries):
    popova, _, _ = dataset()
    if with_dump:
        datadump.write_dump()
    response = client.get("/cases/export.csv", {"country": "RU", "fields": "title, slug,country"})
    rows = list(csv.DictReader(io.StringIO(body_of(response))))
    assert rows == [{"slug": popova.slug, "title": popova.title, "country": "RU"}]
    response = client.get("/api/v1/cases/", {"format": "jsonl", "fields": "title,technologies"})
    records = [json.loads(line) for line in body_of(response).splitlines()]
    assert {tuple(record) for record in records} == {("title", "technologies")}
    # Built, dump or not: the list, then the case columns with their technologies' slugs, nothing else.
    with django_assert_num_queries(2):
        body_of(exports.export_response(selectors.public_cases(), "json", fields=["slug", "technologies"]))
    # Proceedings are costly to build: copied out of the dump when it has them. Built, they read the cases,
    # proceedings, filings with their filers' participations, hearings and decisions.
    with django_assert_num_queries(1 if with_dump else 7):
        text = body_of(exports.export_response(selectors.public_cases(), "json", fields=["proceedings"]))
    assert [list(record) for record in json.loads(text)] == [["proceedings"], ["proceedings"]]


def test_unknown_fields_are_a_clear_400(client):
    dataset()
    response = client.get("/cases/export.json", {"fields": "title,secret_notes"})
    assert response.status_code == 400 and "secret_notes" in response.content.decode()
    response = client.get("/api/v1/cases/", {"format": "csv", "fields": "internal_notes"})
    assert response.status_code == 400 and "internal_notes" in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_cut_off_download_is_seen_to_be_cut_off(client, fmt):
    for _ in range(5):
        factories.case(published=True, summary='Line one,\n"quoted" line two')
    response = client.get(f"/cases/export.{fmt}" if fmt != "jsonl" else "/api/v1/cases/?format=jsonl")
    body = body_of(response)
    expected = int(response[exports.COUNT_HEADER])
    assert expected == 5

    def complete(text):
        """Check the download as a client would: it parses, ends its last line, and holds every record."""
        if fmt == "json":
            return len(json.loads(text)) == expected
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text, newline="")))
            return len(rows) == expected and all(None not in row.values() for row in rows) and text.endswith("\n")
        return len([json.loads(line) for line in text.splitlines()]) == expected and text.endswith("\n")

    assert complete(body)
    # Cut anywhere, as a killed worker would: the file no longer parses or holds fewer records than announced.
    # JSON's last line end carries nothing; every other cut loses data.
    for cut in range(len(body) - (fmt == "json")):
        with contextlib.suppress(ValueError, csv.Error):
            assert not complete(body[:cut]), cut
