"""Searching inside documents: public text in public search with snippets and pages, confidential text only in
the admin, and the plain-text view of each public document."""

import shutil

import pytest
from django.urls import reverse

from cases.models import Decision, DocumentText
from cases.search import refresh_search_vector

from . import document_samples as samples
from . import factories
from .conftest import need

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("require_postgres")]

PAGES = [
    "The first page sets out the facts of the case at length.",
    "The Ministry carried out no data protection impact assessment before the cameras went live.",
    "On the third page the court turns to proportionality and the margin of appreciation.",
]


@pytest.fixture
def tesseract():
    need(shutil.which("tesseract") and shutil.which("pdftoppm"), "needs tesseract-ocr and poppler-utils (Debian)")


def case_list(client, query, **params):
    return client.get(reverse("cases:case_list"), {"q": query, **params}).content.decode()


def test_public_document_text_is_found_with_a_snippet_that_says_where(client, upload_document):
    filing = upload_document(
        samples.text_pdf(PAGES), "judgment.pdf", case=factories.case(published=True, title="X v Y")
    )

    page = case_list(client, "data protection impact assessment")

    assert "X v Y" in page
    text_url = reverse("cases:document_text", args=["filing", filing.pk])
    assert f'href="{text_url}#page-2"' in page
    assert "Judgment, p. 2" in page
    assert "<mark>data</mark> <mark>protection</mark> <mark>impact</mark> <mark>assessment</mark>" in page
    api = client.get("/api/v1/cases/", {"q": "data protection impact assessment"}).json()
    assert [case["title"] for case in api["results"]] == ["X v Y"]


SPREAD = [
    "The cameras were installed in every metro station.",
    "Nothing of note on this page.",
    "The court found the retention of the footage unlawful.",
]


def test_a_document_matches_when_its_pages_hold_the_words_between_them(client, upload_document):
    case = factories.case(published=True, title="Ours")
    filing = upload_document(samples.text_pdf(SPREAD), "judgment.pdf", case=case)

    page = case_list(client, "cameras retention")

    assert "Ours" in page
    text_url = reverse("cases:document_text", args=["filing", filing.pk])
    assert f'href="{text_url}#page-1"' in page and f'href="{text_url}#page-3"' in page
    assert "<mark>cameras</mark>" in page and "<mark>retention</mark>" in page
    api = client.get("/api/v1/documents/", {"q": "cameras retention"}).json()["results"]
    assert [document["id"] for document in api] == [DocumentText.objects.get(filing=filing).pk]
    assert "0 cases" in case_list(client, "cameras warrant")


def test_a_phrase_finds_a_document_with_its_words_and_quotes_the_page_with_the_phrase_first(client, upload_document):
    pages = ["Impact of the data on the protection of the applicant.", "No data protection impact assessment was made."]
    filing = upload_document(samples.text_pdf(pages), "judgment.pdf", case=factories.case(published=True))

    response = client.get(reverse("cases:case_list"), {"q": '"data protection"'})

    [hits] = [case.document_hits for case in response.context["page"].object_list]
    assert [hit.number for hit in hits] == [2, 1]
    assert hits[0].owner_id == filing.pk


def test_words_are_matched_by_stem_in_english_and_russian(client, upload_document):
    upload_document("Суд признал незаконной обработку биометрических персональных данных.".encode())

    assert "1 case" in case_list(client, "биометрические персональные данные")
    upload_document(b"The cameras processed the faces of every passenger.")
    assert "1 case" in case_list(client, "processing camera")
    assert "0 cases" in case_list(client, "неизвестное слово")


def test_a_title_match_outranks_a_long_document_that_mentions_the_words_on_every_page(client, upload_document):
    upload_document(samples.text_pdf(["Facial recognition is discussed on this page too."] * 300), "long.pdf")
    factories.case(published=True, title="Facial recognition in the metro")
    for case in factories.Case.objects.all():
        refresh_search_vector(case.pk)

    page = case_list(client, "facial recognition")

    assert page.index("Facial recognition in the metro") < page.index("Test case")


def test_confidential_and_draft_documents_are_never_found_in_public(client, upload_document):
    upload_document(b"A confidential strategy about zyxwvut.", is_public=False)
    upload_document(b"A draft case document about zyxwvut.", case=factories.case(title="Draft"))

    page = case_list(client, "zyxwvut")

    assert "strategy" not in page
    assert "draft case document" not in page
    assert "0 cases" in page
    assert client.get("/api/v1/cases/", {"q": "zyxwvut"}).json()["results"] == []
    export = client.get("/cases/export.csv", {"q": "zyxwvut"})
    assert "Draft" not in b"".join(export.streaming_content).decode()


def test_only_the_admin_finds_confidential_text(client, editor, upload_document):
    text = DocumentText.objects.get(filing=upload_document(b"A confidential strategy about zyxwvut.", is_public=False))
    client.force_login(editor)

    page = client.get(reverse("admin:cases_documenttext_changelist"), {"q": "zyxwvut"}).content.decode()

    assert reverse("admin:cases_documenttext_change", args=[text.pk]) in page


def test_facet_counts_follow_the_text_search(client, upload_document):
    upload_document(b"Judgment on live facial recognition.", case=factories.case(published=True, country="GB"))
    upload_document(b"Judgment on number plates.", case=factories.case(published=True, country="DE"))

    response = client.get(reverse("cases:case_list"), {"q": "facial"})

    countries = next(group for group in response.context["facets"] if group["name"] == "country")["options"]
    assert [(option["value"], option["count"]) for option in countries] == [("GB", 1)]


def test_case_list_with_text_search_has_bounded_queries(client, upload_document, django_assert_max_num_queries):
    for _ in range(3):
        upload_document(samples.text_pdf(PAGES), "judgment.pdf")
    client.get(reverse("cases:case_list"), {"q": "impact assessment"})  # warm up once-only lookups
    for _ in range(3):
        upload_document(samples.text_pdf(PAGES), "judgment.pdf")

    with django_assert_max_num_queries(30):
        page = case_list(client, "impact assessment")
    assert page.count("<mark>impact</mark>") == 6


def test_text_view_has_page_anchors_and_links_to_the_original(client, upload_document):
    filing = upload_document(samples.text_pdf(PAGES), "judgment.pdf")

    page = client.get(reverse("cases:document_text", args=["filing", filing.pk])).content.decode()

    for number in (1, 2, 3):
        assert f'id="page-{number}"' in page
    assert "no data protection impact assessment" in page
    assert reverse("cases:document_download", args=["filing", filing.pk]) in page
    assert 'lang="en"' in page


def test_text_of_hidden_documents_is_404(client, upload_document):
    confidential = upload_document(b"Secret words.", is_public=False)
    draft = upload_document(b"Draft words.", case=factories.case(title="Draft"))

    for filing in (confidential, draft):
        assert client.get(reverse("cases:document_text", args=["filing", filing.pk])).status_code == 404
    assert client.get(reverse("cases:document_text", args=["hearing", confidential.pk])).status_code == 404


def test_case_page_lists_pages_language_text_view_and_download(client, upload_document):
    filing = upload_document(samples.text_pdf(PAGES), "judgment.pdf")

    page = client.get(filing.proceeding.case.get_absolute_url()).content.decode()

    assert "3 pages, English" in page
    assert reverse("cases:document_text", args=["filing", filing.pk]) in page
    assert reverse("cases:document_download", args=["filing", filing.pk]) in page


def test_decision_documents_are_read_and_found_too(
    client, editor, settings, tmp_path, tasks_run_here, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.actions.decisions import save_decision

    settings.MEDIA_ROOT = tmp_path
    proceeding = factories.proceeding(factories.case(published=True))
    decision = Decision(proceeding=proceeding, announced_on="2020-02-01", result="dismissed", is_public=True)
    decision.document = SimpleUploadedFile("decision.txt", b"The claim about gait analysis is dismissed.")
    with django_capture_on_commit_callbacks(execute=True):
        save_decision(decision, actor=editor)

    page = case_list(client, "gait analysis")
    assert "Decision, part 1" in page
    assert reverse("cases:document_text", args=["decision", decision.pk]) in page


@pytest.mark.parametrize(
    ("lines", "query"),
    [
        (["Judgment of the district court", "Live facial recognition was unlawful"], "facial recognition unlawful"),
        (["Решение районного суда", "Биометрические персональные данные"], "биометрические персональные данные"),
    ],
    ids=["english", "russian"],
)
def test_scanned_judgment_is_found_in_public_search_only_if_public(
    client, editor, upload_document, tesseract, lines, query
):
    public = upload_document(samples.scanned_pdf(lines), "scan.pdf", case=factories.case(published=True, title="Open"))
    hidden = upload_document(samples.scanned_pdf(lines), "scan.pdf", is_public=False)

    assert DocumentText.objects.get(filing=public).method == DocumentText.Method.OCR
    page = case_list(client, query)
    assert "1 case" in page
    assert reverse("cases:document_text", args=["filing", public.pk]) in page
    client.force_login(editor)
    admin_page = client.get(reverse("admin:cases_documenttext_changelist"), {"q": query}).content.decode()
    hidden_text = DocumentText.objects.get(filing=hidden)
    assert reverse("admin:cases_documenttext_change", args=[hidden_text.pk]) in admin_page


def test_ranked_pages_count_only_for_cases_in_the_filtered_list(upload_document):
    from cases.search import best_matches
    from cases.selectors import public_cases, public_document_pages

    british = upload_document(b"Judgment on zyxwvut.", case=factories.case(published=True, country="GB"))
    upload_document(b"Judgment on zyxwvut.", case=factories.case(published=True, country="DE"))

    ranked = best_matches(public_cases().filter(country="GB"), "zyxwvut", pages=public_document_pages())

    assert ranked == [british.proceeding.case_id]
