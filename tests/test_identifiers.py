"""Citations of decisions and further numbers of proceedings: validation, search, public surfaces, admin, import."""

import json

import pytest
from django.core.exceptions import ValidationError

from cases.actions.records import save_record
from cases.demo import load_demo
from cases.imports import import_file
from cases.models import Case, Decision, DecisionIdentifier, ProceedingNumber
from cases.records import case_records
from cases.search import refresh_all_search_vectors, refresh_search_vector, search_cases
from cases.selectors import public_cases
from tests import factories
from tests.admin_posts import change_url, post_data, proceeding_post

pytestmark = pytest.mark.django_db

Scheme = DecisionIdentifier.Scheme


def identifier(decision, scheme, value):
    return save_record(DecisionIdentifier(decision=decision, scheme=scheme, value=value), actor=None)


@pytest.fixture
def cited():
    """A published case whose public decision has a neutral citation and whose proceeding has a further number."""
    case = factories.case(published=True, title="Bridges v. South Wales Police")
    proceeding = factories.proceeding(case, docket_number="58170/13")
    save_record(ProceedingNumber(proceeding=proceeding, scheme="application", value="62322/14"), actor=None)
    decision = factories.decision(proceeding)
    identifier(decision, Scheme.NEUTRAL, "[2020]  EWCA Civ 1058")
    secret = factories.decision(proceeding, is_public=False)
    identifier(secret, Scheme.NEUTRAL, "[2031] EWCA Civ 9999")
    refresh_search_vector(case.pk)
    return case


@pytest.mark.parametrize(
    ("scheme", "value", "message"),
    [
        (Scheme.ECLI, "EU:C:2020:559", "ECLI:EU:C:2020:559"),
        (Scheme.ECLI, "ECLI:EU:C:2020", "ECLI:EU:C:2020:559"),
        (Scheme.APPLICATION, "58170/13, 62322/14", "one per row"),
        (Scheme.URL, "hudoc.echr.coe.int/eng?i=001-210077", "https://"),
        (Scheme.URL, "javascript:alert(1)", "https://"),
        (Scheme.NEUTRAL, "   ", "Enter the citation"),
    ],
)
def test_identifiers_are_checked_per_scheme(scheme, value, message):
    decision = factories.decision(factories.proceeding())
    with pytest.raises(ValidationError) as error:
        identifier(decision, scheme, value)
    assert message in " ".join(error.value.messages)
    assert not DecisionIdentifier.objects.exists()


def test_identifiers_are_tidied_and_unique_per_decision():
    decision = factories.decision(factories.proceeding())
    assert identifier(decision, Scheme.ECLI, " ecli:eu:c:2020:559 ").value == "ECLI:EU:C:2020:559"
    assert identifier(decision, Scheme.NEUTRAL, "[2020]   EWCA Civ 1058").value == "[2020] EWCA Civ 1058"
    with pytest.raises(ValidationError, match="already has this citation"):
        identifier(decision, Scheme.NEUTRAL, "[2020] EWCA Civ 1058")


def test_a_further_number_is_not_the_proceedings_own_number():
    proceeding = factories.proceeding(docket_number="58170/13")
    with pytest.raises(ValidationError, match="already the proceeding's own number"):
        save_record(ProceedingNumber(proceeding=proceeding, scheme="application", value="58170/13"), actor=None)
    with pytest.raises(ValidationError, match="58170/13"):
        save_record(ProceedingNumber(proceeding=proceeding, scheme="application", value="no. 62322/14"), actor=None)


@pytest.mark.parametrize("text", ["[2020] EWCA Civ 1058", "EWCA Civ 1058", "62322/14", "58170/13"])
def test_public_search_finds_citations_and_numbers(cited, text):
    assert list(search_cases(Case.objects.public(), text)) == [cited]


def test_a_confidential_decisions_citation_finds_nothing(cited):
    assert not search_cases(Case.objects.public(), "[2031] EWCA Civ 9999").exists()


def test_case_page_api_and_export_show_public_citations_only(client, cited):
    page = client.get(cited.get_absolute_url()).content.decode()
    assert "[2020] EWCA Civ 1058" in page and "58170/13, 62322/14" in page
    assert "9999" not in page
    api = client.get(f"/api/v1/cases/{cited.slug}/").json()
    (proceeding,) = api["proceedings"]
    assert proceeding["other_numbers"] == [{"scheme": "application", "value": "62322/14"}]
    assert [d["identifiers"] for d in proceeding["decisions"]] == [
        [{"scheme": "neutral", "value": "[2020] EWCA Civ 1058"}]
    ]
    (record,) = case_records(public_cases())
    assert "9999" not in json.dumps(record) and "EWCA Civ 1058" in json.dumps(record)


def test_case_page_citation_queries_do_not_grow_with_decisions(client, cited, django_assert_max_num_queries):
    proceeding = cited.proceedings.get()
    with django_assert_max_num_queries(40) as before:
        client.get(cited.get_absolute_url())
    for number in range(5):
        identifier(factories.decision(proceeding), Scheme.NEUTRAL, f"[2021] EWCA Civ {number}")
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(cited.get_absolute_url())


@pytest.fixture
def demo(require_postgres):
    load_demo()
    refresh_all_search_vectors()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("585 U.S. 296", "carpenter-v-united-states"),
        ("138 S. Ct. 2206", "carpenter-v-united-states"),
        ("58170/13", "big-brother-watch-v-united-kingdom"),
        ("24960/15", "big-brother-watch-v-united-kingdom"),
        ("[2020] EWCA Civ 1058", "bridges-v-south-wales-police"),
        ("ECLI:EU:C:2020:559", "schrems-ii"),
        ("11519/20", "glukhin-v-russia"),
    ],
)
def test_demo_citations_find_their_case_in_public_and_admin_search(client, editor, demo, text, slug):
    response = client.get("/cases/", {"q": text})
    assert [case.slug for case in response.context["page"]] == [slug]
    client.force_login(editor)
    response = client.get("/admin/cases/case/", {"q": text})
    assert [case.slug for case in response.context["cl"].result_list] == [slug]


def test_every_demo_decision_outside_russia_has_a_citation_or_a_numbered_proceeding(demo):
    for decision in Decision.objects.select_related("proceeding__court").prefetch_related("identifiers"):
        if decision.proceeding.court.country != "RU":
            assert list(decision.identifiers.all()) or decision.proceeding.docket_number, decision


def test_admin_edits_numbers_and_citations_inline(client, editor):
    client.force_login(editor)
    proceeding = factories.proceeding(docket_number="58170/13")
    rows = {"numbers": [{"scheme": "application", "value": "62322/14"}, {"scheme": "application", "value": "bad"}]}
    response = client.post(change_url(proceeding), proceeding_post(proceeding, rows))
    assert response.status_code == 200 and "58170/13" in response.content.decode()
    assert not ProceedingNumber.objects.exists()
    rows["numbers"].pop()
    assert client.post(change_url(proceeding), proceeding_post(proceeding, rows)).status_code == 302
    assert list(proceeding.numbers.values_list("value", flat=True)) == ["62322/14"]

    decision = factories.decision(proceeding)
    fields = {
        "proceeding": proceeding.pk,
        "announced_on": "2019-11-06",
        "final_form_on": "2019-11-12",
        "result": "dismissed",
        "is_public": "on",
    }
    data = post_data(fields, ["identifiers"], {"identifiers": [{"scheme": "ecli", "value": "ECLI:CE:ECHR:2021"}]})
    response = client.post(change_url(decision), data)
    assert response.status_code == 200 and "ECLI:EU:C:2020:559" in response.content.decode()
    data["identifiers-0-value"] = "ECLI:EU:C:2020:559"
    assert client.post(change_url(decision), data).status_code == 302
    saved = decision.identifiers.get()
    assert saved.history.get().history_user == editor


def test_admin_search_finds_a_proceeding_by_a_further_number_and_a_decision_by_citation(client, editor, cited):
    client.force_login(editor)
    assert client.get("/admin/cases/proceeding/", {"q": "62322/14"}).context["cl"].result_count == 1
    assert client.get("/admin/cases/decision/", {"q": "EWCA Civ 1058"}).context["cl"].result_count == 1


def exported(case):
    (record,) = case_records(Case.objects.filter(pk=case.pk))
    return record


def test_import_matches_a_case_by_citation_and_a_proceeding_by_further_number(editor, cited):
    record = exported(cited) | {"slug": "renamed-elsewhere", "title": "Bridges (renamed)"}
    decision = record["proceedings"][0]["decisions"][0]
    decision["result"] = "granted"  # a corrected result must update the decision, not add one
    record["proceedings"][0]["docket_number"] = "62322/14"  # now listed under the other number
    record["proceedings"][0]["other_numbers"] = [{"scheme": "application", "value": "24960/15"}]
    result = import_file(json.dumps([record]).encode(), "cases.json", actor=editor, dry_run=False)
    assert result.ok, result.errors
    assert Case.objects.count() == 1 and result.rows[0].action == "update"
    proceeding = cited.proceedings.get()
    assert sorted(proceeding.numbers.values_list("value", flat=True)) == ["24960/15", "62322/14"]
    public = proceeding.decisions.filter(is_public=True).get()
    assert public.result == "granted"
    assert list(public.identifiers.values_list("value", flat=True)) == ["[2020] EWCA Civ 1058"]


def test_importing_an_export_twice_adds_no_citations(editor, cited):
    content = json.dumps([exported(cited)]).encode()
    for _ in range(2):
        assert import_file(content, "cases.json", actor=editor, dry_run=False).ok
    assert DecisionIdentifier.objects.count() == 2 and ProceedingNumber.objects.count() == 1


def test_import_reports_a_bad_citation_on_its_row(editor):
    court = {"name": "Court of Appeal", "country": "GB", "level": "appeal", "timezone": "Europe/London"}
    decision = {"announced_on": "2020-08-11", "result": "granted", "identifiers": [{"scheme": "ecli", "value": "x"}]}
    record = {"title": "New case", "country": "GB", "proceedings": [{"court": court, "decisions": [decision]}]}
    result = import_file(json.dumps([record]).encode(), "cases.json", actor=editor, dry_run=False)
    assert not result.ok and not Case.objects.exists()
    assert any("proceedings[1].decisions[1].identifiers[1].value" in message for _row, message in result.errors)
