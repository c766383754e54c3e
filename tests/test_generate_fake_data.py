"""generate_fake_data: realistic, valid records in bulk, and safe to run twice."""

import pytest
from django.core.management import CommandError, call_command

from cases.actions.events import refresh_last_activity
from cases.models import Case, Deadline, Decision, Filing, Participation, Proceeding

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate_fake_data", cases=40, seed=7)
    return Case.objects.all()


def test_every_case_has_parties_proceedings_and_filings(generated):
    assert generated.count() == 40
    for case in generated.prefetch_related("participations", "proceedings__filings"):
        roles = {p.role for p in case.participations.all()}
        assert {"plaintiff", "defendant"} <= roles
        assert case.proceedings.all()
        assert sum(len(p.filings.all()) for p in case.proceedings.all()) >= 2
        assert case.technologies.exists()


def test_distributions_look_like_litigation(generated):
    filings_per_case = Filing.objects.count() / 40
    assert 4 <= filings_per_case <= 20
    assert 0.6 <= Case.objects.public().count() / 40 <= 1
    assert Decision.objects.exists()
    assert Deadline.objects.exists()
    assert Proceeding.objects.filter(appeals_from__isnull=False).exists()
    # Defendants repeat: the same agency is sued in several cases.
    assert Participation.objects.filter(role="defendant").values("party").distinct().count() < 40


def test_records_pass_model_validation(generated):
    for model in (Case, Proceeding, Filing, Decision, Deadline):
        for obj in model.objects.all()[:25]:
            obj.full_clean()


def test_appeal_chains_stay_within_a_case(generated):
    for proceeding in Proceeding.objects.filter(appeals_from__isnull=False).select_related("appeals_from"):
        assert proceeding.appeals_from.case_id == proceeding.case_id
        assert proceeding.started_on >= proceeding.appeals_from.started_on


def test_latest_activity_matches_the_domain_rule(generated):
    for case in generated[:15]:
        stored = case.last_activity_on
        refresh_last_activity(case.pk)
        case.refresh_from_db()
        assert case.last_activity_on == stored


def test_running_again_adds_more(generated):
    call_command("generate_fake_data", cases=5, seed=7)

    assert Case.objects.count() == 45
    assert Case.objects.values("slug").distinct().count() == 45


def test_public_list_shows_generated_cases(generated, client):
    case = Case.objects.public().order_by("?").first()

    assert client.get("/cases/").status_code == 200
    assert client.get(case.get_absolute_url()).status_code == 200


def test_rejects_zero():
    with pytest.raises(CommandError):
        call_command("generate_fake_data", cases=0)


def test_generated_cases_are_searchable_on_postgres(require_postgres, generated):
    from cases.search import search_cases

    assert not Case.objects.filter(search_vector__isnull=True).exists()
    party = Participation.objects.filter(role="plaintiff").select_related("party").first().party
    assert search_cases(Case.objects.all(), party.name.split()[-1]).filter(participations__party=party).exists()


def test_exporting_generated_cases_takes_a_fixed_number_of_queries(generated, django_assert_max_num_queries):
    import io

    from cases.exports import write_export

    assert Proceeding.objects.count() > 40  # enough courts and appeal chains for an N+1 to show
    with django_assert_max_num_queries(25):
        write_export(Case.objects.public().order_by("pk"), "csv", io.StringIO())


def test_document_pages_are_stored_as_the_extractor_stores_them():
    from django.db import connection

    from cases.models import DocumentPage, DocumentText

    call_command("generate_fake_data", cases=10, seed=3, document_pages=4)

    assert DocumentPage.objects.count() == 40
    for text in DocumentText.objects.prefetch_related("pages"):
        text.full_clean()
        assert text.status == DocumentText.Status.DONE and text.language in ("en", "ru")
        assert [page.number for page in text.pages.all()] == list(range(1, text.page_count + 1))
    if connection.vendor == "postgresql":
        # Indexed as extraction indexes them: the same stemmed search finds the pages.
        assert not DocumentPage.objects.filter(search_vector__isnull=True).exists()
        assert (
            DocumentPage.objects.filter(search_vector="judgments").exists()
            or DocumentPage.objects.filter(search_vector="судом").exists()
        )


def test_generate_fake_documents_gives_cases_without_documents_pages_and_keeps_the_index():
    from django.db import connection

    from cases.models import DocumentPage, DocumentText

    call_command("generate_fake_data", cases=6, seed=3)
    call_command("generate_fake_documents", pages_per_case=3)

    assert DocumentPage.objects.count() == 18
    before = set(DocumentText.objects.values_list("pk", flat=True))
    had = _cases_with_documents(DocumentText.objects.all())
    call_command("generate_fake_documents", pages_per_case=3)  # only cases still without documents get some
    assert not _cases_with_documents(DocumentText.objects.exclude(pk__in=before)) & had
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_indexes"
                " WHERE indexname IN ('document_page_search_gin', 'document_text_search_gin')"
            )
            assert cursor.fetchone() == (2,)  # dropped for the load, built again after it
        assert not DocumentPage.objects.filter(search_vector__isnull=True).exists()
        assert not DocumentText.objects.filter(search_vector__isnull=True).exists()


def test_generate_fake_documents_refuses_no_pages():
    with pytest.raises(CommandError):
        call_command("generate_fake_documents", pages_per_case=0)


def _cases_with_documents(texts):
    return {owner.proceeding.case_id for owner in (text.owner for text in texts)}
