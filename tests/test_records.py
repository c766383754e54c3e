"""Case records (cases.records) are exactly what the API's serializers describe, at a cost that does not grow."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases import records, selectors
from cases.api.serializers import CaseSerializer
from cases.models import Challenge, DecisionIdentifier, Deployment, ProceedingNumber, Remedy, System, Vendor

from . import factories
from .opendata import dataset

pytestmark = pytest.mark.django_db
BASE = "https://example.org"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo and the documents below store files


def serialized(fields=None):
    """Return the public cases' records as the serializers give them, as JSON text (key order counts)."""
    cases = selectors.with_public_records(selectors.public_cases(), fields=fields)
    data = CaseSerializer(cases, many=True, context={"base_url": BASE}, fields=fields).data
    return [json.dumps(record, ensure_ascii=False) for record in data]


def built(fields=None):
    return [
        json.dumps(record, ensure_ascii=False)
        for record in records.case_records(selectors.public_cases(), base_url=BASE, fields=fields)
    ]


def more_records():
    """Add what the demo and the open-data set lack: documents, numbers, identifiers, challenges, hidden courts."""
    popova, bridges, draft = dataset()
    proceeding = popova.proceedings.order_by("pk").first()
    factories.filing(proceeding, title="With a document", document=ContentFile(b"text", "a.txt"))
    decision = factories.decision(proceeding, summary="Documented", document=ContentFile(b"text", "b.txt"))
    DecisionIdentifier.objects.create(decision=decision, scheme="ecli", value="ECLI:RU:2019:1")
    DecisionIdentifier.objects.create(decision=decision, scheme="neutral", value="[2019] 1")
    ProceedingNumber.objects.create(proceeding=proceeding, value="62322/14")
    factories.hearing(proceeding, starts_at=datetime.datetime(2019, 12, 1, 9, 30, tzinfo=datetime.UTC))
    # A public court appealing to a court only a draft uses: the slug stays unknown in both.
    hidden = factories.court(name="Hidden court")
    factories.proceeding(draft, court=hidden)
    proceeding.court.appeals_to = hidden
    proceeding.court.save()
    popova.related_cases.add(draft)
    system = System.objects.create(name="Sfera", slug="sfera", vendor=Vendor.objects.create(name="NtechLab"))
    operator = factories.party(name="Moscow police", kind="agency")
    deployment = Deployment.objects.create(slug="sfera-moscow", system=system, operator=operator, country="RU")
    challenge = Challenge.objects.create(case=popova, deployment=deployment, claim="Unlawful")
    Challenge.objects.create(case=bridges, system=system, claim="As a whole")
    Remedy.objects.create(
        challenge=challenge, kind="none", date=datetime.date(2020, 3, 1), source_url="https://example.org/r"
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_records_equal_what_the_serializers_give_on_the_demo_data(capsys, language):
    call_command("load_demo")
    with translation.override(language):
        expected = serialized()
        assert len(expected) > 5
        assert built() == expected


@pytest.mark.parametrize(
    "fields", [None, ["slug", "title"], ["url", "country", "published_at"], ["proceedings", "links", "challenges"]]
)
def test_records_equal_the_serializers_with_every_kind_of_record(fields):
    more_records()
    assert built(fields) == serialized(fields)


def test_record_queries_do_not_grow_with_cases(django_assert_num_queries, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(records, "CHUNK_SIZE", 4)
    more_records()

    def read_all():
        return list(records.case_records(selectors.public_cases()))

    # The cases with their slugs and links, then per chunk: parties with counsel, proceedings with their numbers
    # and courts, the public courts they appeal to, filings, hearings, decisions with identifiers, and
    # challenges with remedies.
    with django_assert_num_queries(8):
        assert len(read_all()) == 2
    for n in range(20):
        case = factories.case(published=True, title=f"Case {n}")
        factories.participation(case)
        factories.filing(factories.proceeding(case))
    # 22 cases: six chunks of at most four; a table with nothing to ask for (no counsel, say) costs no query.
    with django_assert_max_num_queries(1 + 6 * 7):
        assert len(read_all()) == 22


def test_fields_read_only_their_tables(django_assert_num_queries):
    more_records()
    with django_assert_num_queries(1):
        list(records.case_records(selectors.public_cases(), fields=["slug", "title", "country"]))
    with django_assert_num_queries(2):  # cases, then parties with their counsel
        list(records.case_records(selectors.public_cases(), fields=["parties"]))


@pytest.mark.parametrize("fields", [None, ["slug", "proceedings"]])
def test_filers_are_named_from_the_parties_read_or_read_for_the_filings(fields, django_assert_num_queries):
    case = factories.case(published=True, title="Filed")
    own = factories.participation(case, role="plaintiff")
    # A filer the case's own parties do not hold (only bad data would have it) is still named.
    stranger = factories.participation(factories.case(title="Draft"), role="defendant")
    proceeding = factories.proceeding(case)
    factories.filing(proceeding, filed_by=own)
    factories.filing(proceeding, filed_by=stranger)
    factories.filing(proceeding)
    assert built(fields) == serialized(fields)
    filings = next(records.case_records(selectors.public_cases(), fields=fields))["proceedings"][0]["filings"]
    assert [filing["filed_by"] for filing in filings] == [
        {"party": own.party.slug, "role": "plaintiff"},
        {"party": stranger.party.slug, "role": "defendant"},
        None,
    ]


def test_courts_appealed_to_are_looked_up_once_a_pass(monkeypatch):
    monkeypatch.setattr(records, "CHUNK_SIZE", 1)
    upper = factories.court(name="Upper court")
    factories.proceeding(factories.case(published=True, title="Upper case"), court=upper)
    lower = factories.court(name="Lower court", appeals_to=upper)
    for n in range(3):
        factories.proceeding(factories.case(published=True, title=f"Lower case {n}"), court=lower)
    with CaptureQueriesContext(connection) as queries:
        found = list(records.case_records(selectors.public_cases(), fields=["slug", "proceedings"]))
    courts = [query for query in queries.captured_queries if query["sql"].startswith('SELECT "cases_court"')]
    assert len(courts) == 1
    appeals = {record["proceedings"][0]["court"]["appeals_to"] for record in found}
    assert appeals == {None, upper.slug}
