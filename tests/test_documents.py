import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.upload_samples import DOCX, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def url(kind, obj):
    return reverse("cases:document_download", args=[kind, obj.pk])


def pdf(name="claim.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def records():
    published, draft = factories.case(published=True), factories.case()
    proceeding, draft_proceeding = factories.proceeding(published), factories.proceeding(draft)
    return {
        "public_filing": factories.filing(proceeding, title="Statement of claim", document=pdf()),
        "confidential_filing": factories.filing(proceeding, is_public=False, document=pdf()),
        "draft_case_filing": factories.filing(draft_proceeding, document=pdf()),
        "public_decision": factories.decision(proceeding, document=pdf()),
        "private_decision": factories.decision(proceeding, is_public=False, document=pdf()),
        "no_document": factories.filing(proceeding),
    }


def kind_of(name):
    return "decision" if "decision" in name else "filing"


def test_public_gets_public_documents_of_published_cases_as_attachments(client, records):
    response = client.get(url("filing", records["public_filing"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="2019-10-08-statement-of-claim.pdf"'
    decision = client.get(url("decision", records["public_decision"]))
    assert decision.status_code == 200
    assert decision["Content-Disposition"] == 'attachment; filename="2019-11-06-decision-dismissed.pdf"'


@pytest.mark.parametrize("name", ["confidential_filing", "draft_case_filing", "private_decision", "no_document"])
def test_public_gets_404_for_anything_not_public(client, records, name):
    assert client.get(url(kind_of(name), records[name])).status_code == 404


def test_missing_and_unknown_kinds_are_404(client, records):
    assert client.get(reverse("cases:document_download", args=["filing", 999999])).status_code == 404
    assert (
        client.get(reverse("cases:document_download", args=["hearing", records["public_filing"].pk])).status_code == 404
    )
    assert client.get("/documents/..%2Fetc/1/").status_code == 404


@pytest.mark.parametrize("who", ["editor", "lawyer"])
def test_staff_get_confidential_documents_never_cached(client, records, request, lawyer, who):
    for name in ["confidential_filing", "draft_case_filing", "private_decision"]:
        records[name].proceeding.case.team.add(lawyer)
    client.force_login(request.getfixturevalue(who))
    for name in ["confidential_filing", "draft_case_filing", "private_decision"]:
        response = client.get(url(kind_of(name), records[name]))
        assert response.status_code == 200, name
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_confidential_documents_are_the_case_teams(client, records, other_lawyer):
    """A lawyer off the case's team gets its public-flagged documents (draft or not), never its confidential ones."""
    client.force_login(other_lawyer)
    assert client.get(url("filing", records["confidential_filing"])).status_code == 404
    assert client.get(url("decision", records["private_decision"])).status_code == 404
    assert client.get(url("filing", records["draft_case_filing"])).status_code == 200


def test_staff_without_view_permission_are_treated_as_public(client, records, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="x" * 20, is_staff=True)
    client.force_login(clerk)
    assert client.get(url("filing", records["confidential_filing"])).status_code == 404
    assert client.get(url("filing", records["public_filing"])).status_code == 200


def test_editor_without_second_factor_gets_only_public_documents(records, editor):
    client = Client()  # a plain client: password only, no second factor, so the admin would refuse it too
    client.force_login(editor)
    assert client.get(url("filing", records["confidential_filing"])).status_code == 404


def test_content_type_follows_the_stored_extension(client):
    filing = factories.filing(
        factories.proceeding(factories.case(published=True)),
        title="Брief с кириллицей / and slashes",
        document=SimpleUploadedFile("x.docx", DOCX),
    )
    response = client.get(url("filing", filing))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="2019-10-08-brief-s-kirillitsei-and-slashes.docx"'


def test_file_missing_from_disk_is_404_not_500(client, records, media):
    (media / records["public_filing"].document.name).unlink()
    assert client.get(url("filing", records["public_filing"])).status_code == 404


def test_only_get_and_head_are_allowed(client, records):
    assert client.post(url("filing", records["public_filing"])).status_code == 405
