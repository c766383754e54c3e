"""Staff preview a draft case, or a published case's confidential records, on its public page."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def draft_with_secrets(**fields):
    case = factories.case(title="Draft v. Ministry", **fields)
    proceeding = factories.proceeding(case)
    factories.filing(proceeding, title="Open letter", is_public=True)
    factories.filing(proceeding, title="Strategy memo", is_public=False)
    return case


def test_staff_preview_a_draft_marked_not_public(client, editor):
    case = draft_with_secrets()
    url = reverse("cases:case_detail", args=[case.slug])
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Draft: not public." in content
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Strategy memo" in content and content.count('class="not-public"') == 1


def test_preview_of_a_published_case_shows_its_confidential_records(client, editor):
    case = draft_with_secrets(published=True)
    url = reverse("cases:case_detail", args=[case.slug])
    client.force_login(editor)
    public = client.get(url).content.decode()
    assert "Strategy memo" not in public and "preview-banner" not in public
    preview = client.get(url + "?preview")
    content = preview.content.decode()
    assert "Strategy memo" in content and "not public" in content and "Staff preview" in content
    assert "noindex" in preview["X-Robots-Tag"]


def test_the_public_gets_nothing_from_preview(client):
    draft = draft_with_secrets()
    assert client.get(reverse("cases:case_detail", args=[draft.slug])).status_code == 404
    published = draft_with_secrets(published=True)
    response = client.get(reverse("cases:case_detail", args=[published.slug]) + "?preview")
    content = response.content.decode()
    assert response.status_code == 200 and "Strategy memo" not in content and "preview-banner" not in content


def test_staff_without_the_second_factor_see_no_preview(client, editor):
    from django.test import Client

    draft = draft_with_secrets()
    plain = Client()
    plain.force_login(editor)  # logged in, but without the admin's second factor
    assert plain.get(reverse("cases:case_detail", args=[draft.slug])).status_code == 404


def test_a_lawyer_off_the_team_cannot_preview_a_draft(client, other_lawyer):
    case = factories.case(title="Team-only draft")
    client.force_login(other_lawyer)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 404
    assert b"Team-only draft" not in response.content
