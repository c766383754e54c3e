"""Admin search and autocomplete never find a case through another team's confidential records."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case, Deadline, DecisionIdentifier, ProceedingNumber
from tests import factories

pytestmark = pytest.mark.django_db

# One word per confidential place; every admin search is tried with each.
SECRETS = ["zxcitation", "zxfiling", "zxhearing", "zxdecision", "zxdeadline", "zxnotes"]


@pytest.fixture
def secret_case(other_lawyer):
    """Another team's case whose only mention of each secret word is in a confidential record."""
    case = factories.case(title="Other team's case", internal_notes="zxnotes strategy")
    case.team.add(other_lawyer)
    proceeding = factories.proceeding(case, docket_number="2a-77/2020")
    ProceedingNumber.objects.create(proceeding=proceeding, value="77001/20", scheme="application")
    decision = factories.decision(proceeding, is_public=False, summary="zxdecision")
    DecisionIdentifier.objects.create(decision=decision, scheme="neutral", value="[2031] EWHC 1 zxcitation")
    factories.filing(proceeding, is_public=False, title="zxfiling motion", description="zxfiling")
    factories.hearing(proceeding, is_public=False, place="zxhearing room", summary="zxhearing")
    Deadline.objects.create(case=case, title="zxdeadline reply", notes="zxdeadline", due_on=datetime.date(2031, 1, 1))
    return case


def searchable_admins():
    return [model_admin for model_admin in admin.site._registry.values() if model_admin.search_fields]


def test_a_confidential_citation_finds_nothing_for_another_team_but_finds_the_case_for_its_team(
    client, lawyer, other_lawyer, secret_case
):
    client.force_login(lawyer)
    assert client.get("/admin/cases/case/", {"q": "EWHC 1 zxcitation"}).context["cl"].result_count == 0
    # The public parts of the same case still find it: its proceeding's further numbers are not confidential.
    assert client.get("/admin/cases/case/", {"q": "77001/20"}).context["cl"].result_count == 1
    client.force_login(other_lawyer)
    assert client.get("/admin/cases/case/", {"q": "EWHC 1 zxcitation"}).context["cl"].result_count == 1


def test_a_public_citation_finds_the_case_for_every_lawyer(client, lawyer, secret_case):
    decision = factories.decision(secret_case.proceedings.get(), is_public=True)
    DecisionIdentifier.objects.create(decision=decision, scheme="neutral", value="[2031] EWCA Civ 9")
    client.force_login(lawyer)
    assert client.get("/admin/cases/case/", {"q": "EWCA Civ 9"}).context["cl"].result_count == 1
    # Terms may match different fields, as in Django's own search.
    assert client.get("/admin/cases/case/", {"q": "Other Civ"}).context["cl"].result_count == 1


@pytest.mark.parametrize("secret", SECRETS)
def test_no_admin_list_finds_another_teams_confidential_words(client, lawyer, secret_case, secret):
    client.force_login(lawyer)
    opened = []
    for model_admin in searchable_admins():
        opts = model_admin.model._meta
        response = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {"q": secret})
        if response.status_code != 200:
            continue  # not a list lawyers may open
        opened.append(opts.model_name)
        assert response.context["cl"].result_count == 0, f"{opts.label} finds “{secret}”"
    assert {"case", "proceeding", "filing", "decision", "deadline"} <= set(opened)


@pytest.mark.parametrize("secret", SECRETS)
def test_no_autocomplete_finds_another_teams_confidential_words(client, lawyer, secret_case, secret):
    client.force_login(lawyer)
    asked = 0
    # Every autocomplete field of every admin, asked for the secret word.
    for model_admin in admin.site._registry.values():
        opts = model_admin.model._meta
        for field_name in model_admin.autocomplete_fields:
            field = opts.get_field(field_name)
            target = admin.site._registry.get(field.related_model)
            if target is None or not target.search_fields:
                continue
            params = {"app_label": opts.app_label, "model_name": opts.model_name, "field_name": field_name}
            response = client.get("/admin/autocomplete/", params | {"term": secret})
            if response.status_code == 200:
                asked += 1
                assert response.json()["results"] == [], f"{opts.label}.{field_name} finds “{secret}”"
    assert asked >= 3  # the case, proceeding and party pickers at least


def test_editors_search_every_citation(client, editor, secret_case):
    client.force_login(editor)
    assert client.get("/admin/cases/case/", {"q": "zxcitation"}).context["cl"].result_count == 1
    assert Case.objects.count() == 1
