"""Vendors, systems and deployments: who may edit them, bad input, what is public, their pages, facets and search."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import Challenge, Deployment, Remedy, System, Vendor
from cases.search import refresh_search_vectors
from cases.selectors import public_deployments, public_systems, public_vendors
from cases.summary import rebuild_case_facets
from cases.transliteration import search_key
from tests import factories
from tests.admin_posts import add_url, case_post, change_url, errors_of, post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def world():
    """NtechLab's FindFace in Moscow, challenged by a published case; a second system only a draft challenges."""
    vendor = Vendor.objects.create(name="NtechLab", aliases="НтехЛаб", country="RU")
    system = System.objects.create(name="FindFace Security", vendor=vendor)
    operator = factories.party(name="Moscow DIT", name_ru="ДИТ Москвы", kind="government")
    deployment = Deployment.objects.create(
        system=system, operator=operator, country="RU", city="Moscow", started_on=datetime.date(2017, 9, 1)
    )
    case = factories.case(published=True, title="Попова против ДИТ", filed_on=datetime.date(2019, 10, 7))
    challenge = Challenge.objects.create(case=case, deployment=deployment, claim="Unlawful processing")
    Remedy.objects.create(
        challenge=challenge, kind="none", date=datetime.date(2020, 1, 31), source_url="https://example.org/remedy"
    )
    draft = factories.case(title="Draft case")
    hidden = System.objects.create(name="Hidden system", vendor=Vendor.objects.create(name="Hidden vendor"))
    Challenge.objects.create(case=draft, system=hidden)
    refresh_search_vectors([case.pk, draft.pk])
    rebuild_case_facets()
    return {"case": case, "system": system, "vendor": vendor, "deployment": deployment, "hidden": hidden}


def form_errors(response, field):
    return [str(error) for error in response.context["adminform"].form.errors.get(field, [])]


# Bad input: a message on the field, nothing saved.


def deployment_post(**fields):
    return post_data(
        {"system": System.objects.get(name="FindFace Security").pk, "country": "RU", "status": "active"} | fields, []
    )


def test_deployment_ending_before_it_starts_is_refused_on_its_end_date(editor_client, world):
    operator = world["deployment"].operator
    post = deployment_post(operator=operator.pk, started_on="2020-05-01", ended_on="2020-04-30")
    response = editor_client.post(add_url(Deployment), post)
    assert response.status_code == 200
    assert form_errors(response, "ended_on") == ["A deployment cannot end before it starts."]
    assert Deployment.objects.count() == 1


def test_deployment_operated_by_a_person_is_refused_on_its_operator(editor_client, world):
    person = factories.party(name="Ivan Petrov", kind="person")
    response = editor_client.post(add_url(Deployment), deployment_post(operator=person.pk))
    assert response.status_code == 200
    assert "must be an organisation" in " ".join(form_errors(response, "operator"))
    assert Deployment.objects.count() == 1


def test_remedy_dated_before_its_case_was_filed_is_refused_on_its_date(editor_client, world):
    challenge = world["case"].challenges.get()
    remedy = challenge.remedies.get()
    fields = {"case": challenge.case_id, "deployment": challenge.deployment_id, "claim": challenge.claim}
    rows = {
        "remedies": [
            {"id": remedy.pk, "challenge": challenge.pk, "kind": "none", "date": "2020-01-31"}
            | {"source_url": remedy.source_url},
            {"kind": "damages", "date": "2019-01-01", "source_url": "https://example.org/damages"},
        ]
    }
    response = editor_client.post(change_url(challenge), post_data(fields, ["remedies"], rows))
    assert response.status_code == 200
    inline_errors = response.context["inline_admin_formsets"][0].formset.errors[1]
    assert inline_errors["date"] == ["A remedy cannot come before its case was filed (2019-10-07)."]
    assert Remedy.objects.count() == 1


@pytest.mark.parametrize("field, value", [("aliases", "Findface\nNTechLab"), ("name", "НтехЛаб")])
def test_vendor_name_or_alias_colliding_with_another_vendor_is_refused(editor_client, world, field, value):
    fields = {"name": "Another vendor", "aliases": ""} | {field: value}
    response = editor_client.post(add_url(Vendor), post_data(fields, []))
    assert response.status_code == 200
    assert "already a name of another vendor, “NtechLab”" in " ".join(form_errors(response, field))
    assert Vendor.objects.count() == 2


def test_a_challenge_names_a_deployment_or_a_system_never_both(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.create(case=world["case"], deployment=world["deployment"], system=world["system"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Challenge.objects.create(case=world["case"])


def test_bad_challenge_row_on_the_case_page_is_a_message_not_a_500(editor_client, world):
    case = world["case"]
    row = {"deployment": world["deployment"].pk, "system": world["system"].pk, "claim": "Both"}
    response = editor_client.post(change_url(case), case_post(case, rows={"challenges": [row]}))
    assert response.status_code == 200
    assert "Choose either a deployment or a system, not both." in errors_of(response)
    assert case.challenges.count() == 1


# Who may edit what.


def test_lawyers_add_what_their_case_challenges_on_its_page_but_not_on_other_cases(client, lawyer, other_lawyer, world):
    case = world["case"]
    case.team.add(lawyer)
    row = {"system": world["system"].pk, "claim": "The system as a whole"}
    client.force_login(lawyer)
    response = client.post(change_url(case), case_post(case, rows={"challenges": [row]}))
    assert response.status_code == 302, errors_of(response)
    assert case.challenges.filter(system=world["system"]).exists()
    client.force_login(other_lawyer)
    response = client.post(change_url(case), case_post(case, rows={"challenges": [row | {"claim": "Other"}]}))
    assert response.status_code == 403
    assert not case.challenges.filter(claim="Other").exists()


def test_lawyers_may_not_edit_or_publish_vendors_systems_or_deployments(client, lawyer, world):
    client.force_login(lawyer)
    system = world["system"]
    response = client.post(change_url(system), post_data({"name": "Renamed", "is_published": "on"}, []))
    assert response.status_code == 403
    system.refresh_from_db()
    assert (system.name, system.is_published) == ("FindFace Security", False)
    assert client.get(add_url(Vendor)).status_code == 403


def test_remedy_private_notes_are_the_case_teams_only(client, lawyer, other_lawyer, world):
    challenge = world["case"].challenges.get()
    challenge.case.team.add(lawyer)
    Remedy.objects.update(private_note="Settlement talks")
    client.force_login(lawyer)
    assert "Settlement talks" in client.get(change_url(challenge)).content.decode()
    client.force_login(other_lawyer)
    page = client.get(change_url(challenge))
    assert page.status_code == 200
    assert "Settlement talks" not in page.content.decode()


# What is public.


def test_public_iff_challenged_in_a_published_case_or_published_on_its_own(world):
    assert set(public_systems()) == {world["system"]}
    assert set(public_vendors()) == {world["vendor"]}
    assert set(public_deployments()) == {world["deployment"]}
    world["hidden"].is_published = True
    world["hidden"].save()
    assert set(public_systems()) == {world["system"], world["hidden"]}
    assert set(public_vendors()) == {world["vendor"], world["hidden"].vendor}
    world["case"].visibility, world["case"].published_at = "draft", None
    world["case"].save()
    assert set(public_systems()) == {world["hidden"]}
    assert not public_deployments().exists()


def test_system_vendor_and_deployment_pages(client, world, django_assert_max_num_queries):
    for obj in (world["system"], world["vendor"], world["deployment"]):
        with django_assert_max_num_queries(12):
            response = client.get(obj.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert "Попова против ДИТ" in body or "Popova" in body
        assert "Hidden system" not in body
    body = client.get(world["system"].get_absolute_url()).content.decode()
    assert "NtechLab" in body and "Moscow DIT" in body and "Unlawful processing" in body
    assert "Case filed" in body and "Deployment started" in body  # the timeline
    assert client.get(world["hidden"].get_absolute_url()).status_code == 404
    assert client.get(world["hidden"].vendor.get_absolute_url()).status_code == 404


def test_the_systems_index_lists_public_systems_only_in_bounded_queries(client, world, django_assert_num_queries):
    for n in range(5):
        system = System.objects.create(name=f"Published system {n}", vendor=world["vendor"], is_published=True)
        Deployment.objects.create(system=system, operator=world["deployment"].operator, country="RU", city=f"City {n}")
    with django_assert_num_queries(3):  # count, the page, their deployments
        body = client.get("/systems/").content.decode()
    assert "FindFace Security" in body and "NtechLab" in body and "Moscow" in body and "Published system 4" in body
    assert "Hidden system" not in body and "Hidden vendor" not in body
    assert 'href="/systems/"' in client.get("/").content.decode()  # in the main navigation


def test_page_queries_do_not_grow_with_the_number_of_cases(client, world, django_assert_max_num_queries):
    for n in range(5):
        case = factories.case(published=True, filed_on=datetime.date(2020, 1, 1 + n))
        challenge = Challenge.objects.create(case=case, deployment=world["deployment"])
        Remedy.objects.create(challenge=challenge, kind="damages", date="2021-01-01", source_url="https://e.org")
    for obj in (world["system"], world["vendor"], world["deployment"]):
        with django_assert_max_num_queries(12):
            assert client.get(obj.get_absolute_url()).status_code == 200


def test_case_page_shows_what_it_challenges(client, world):
    body = client.get(world["case"].get_absolute_url()).content.decode()
    assert "What this case challenges" in body
    assert world["system"].get_absolute_url() in body
    assert world["deployment"].get_absolute_url() in body
    assert "?operator=" + world["deployment"].operator.slug in body


def test_system_vendor_and_operator_facets_filter_the_list(client, world):
    factories.case(published=True, title="Unrelated")
    rebuild_case_facets()
    for facet, value in [
        ("system", world["system"].slug),
        ("vendor", world["vendor"].slug),
        ("operator", world["deployment"].operator.slug),
    ]:
        response = client.get("/cases/", {facet: value})
        assert [case.pk for case in response.context["page"]] == [world["case"].pk], facet
        group = next(group for group in response.context["facets"] if group["name"] == facet)
        assert [(option["value"], option["count"], option["selected"]) for option in group["options"]] == [
            (value, 1, True)
        ]
    # Unknown values: ignored on the page, refused by the API.
    assert client.get("/cases/", {"system": "no-such-system"}).context["page"].paginator.count == 2
    for facet in ("system", "vendor", "operator"):
        assert client.get("/api/v1/cases/", {facet: "no-such-thing"}).status_code == 400
    assert client.get("/api/v1/cases/", {"system": world["system"].slug}).json()["results"][0]["challenges"] == [
        {
            "system": world["system"].slug,
            "deployment": world["deployment"].slug,
            "claim": "Unlawful processing",
            "remedies": [
                {"kind": "none", "date": "2020-01-31", "source_url": "https://example.org/remedy", "public_note": ""}
            ],
        }
    ]


def test_transliteration_keys_read_the_same_in_both_scripts():
    assert search_key("Попова") == search_key("Popova")
    assert search_key("НтехЛаб") == search_key("NtechLab")
    assert search_key("Глухин") == search_key("Glukhin")
    assert search_key("Васильев") == search_key("Vasilyev")
    assert search_key("Popova") != search_key("Petrova")


@pytest.mark.usefixtures("require_postgres")
@pytest.mark.parametrize("query", ["Popova", "Попова", "NtechLab", "НтехЛаб", "FindFace", "Moscow DIT"])
def test_search_finds_the_case_in_either_script(client, world, query):
    response = client.get("/cases/", {"q": query})
    assert [case.pk for case in response.context["page"]] == [world["case"].pk], query


def test_api_lists_public_vendors_systems_and_deployments_with_filters(client, world):
    assert [row["slug"] for row in client.get("/api/v1/systems/").json()["results"]] == [world["system"].slug]
    vendor = client.get(f"/api/v1/vendors/{world['vendor'].slug}/").json()
    assert vendor["aliases"] == ["НтехЛаб"]
    deployments = client.get("/api/v1/deployments/", {"system": world["system"].slug, "country": "RU"}).json()
    assert [row["operator"]["name"] for row in deployments["results"]] == ["Moscow DIT"]
    assert client.get("/api/v1/deployments/", {"country": "GB"}).json()["results"] == []
    assert client.get("/api/v1/deployments/", {"system": world["hidden"].slug}).status_code == 400
    assert client.get("/api/v1/systems/", {"vendor": "nobody"}).status_code == 400
    assert client.get(f"/api/v1/systems/{world['hidden'].slug}/").status_code == 404


def test_editing_a_system_retires_cached_pages_and_refreshes_search(editor_client, world):
    from cases.models import PublicVersion

    before = dict(PublicVersion.objects.values_list("name", "value")).get("lists", 0)
    system = world["system"]
    fields = {"name": "FindFace Security", "slug": system.slug, "vendor": system.vendor_id, "aliases": "ФайндФейс"}
    response = editor_client.post(change_url(system), post_data(fields, []))
    assert response.status_code == 302
    assert PublicVersion.objects.get(name="lists").value > before
    assert System.objects.get(pk=system.pk).history.count() == 2


def test_sitemap_lists_the_new_pages(client, world):
    body = client.get(reverse("sitemap_section", args=["systems"])).content.decode()
    assert world["system"].get_absolute_url() in body
    assert world["hidden"].get_absolute_url() not in body


def test_moving_a_system_to_another_vendor_moves_its_cases_facet(world, django_capture_on_commit_callbacks):
    from cases.actions.records import save_record
    from cases.models import CaseFacets

    other = Vendor.objects.create(name="Other vendor")
    system = world["system"]
    with django_capture_on_commit_callbacks(execute=True):
        system.vendor = other
        save_record(system, actor=None)
    keys = CaseFacets.objects.get(case=world["case"]).keys
    assert [key for key in keys if key.startswith("vendor:")] == [f"vendor:{other.pk}"]


def test_a_revert_restores_a_systems_content_but_never_its_publication(editor_client, world):
    from cases.actions.records import save_record

    system = world["hidden"]
    first = system.history.earliest()
    system.description, system.is_published = "Published with a description", True
    save_record(system, actor=None)
    url = reverse("admin:cases_system_simple_history", args=[system.pk, first.history_id])
    response = editor_client.post(url, post_data({"name": system.name, "slug": system.slug, "description": ""}, []))
    assert response.status_code == 302
    system.refresh_from_db()
    assert (system.description, system.is_published) == ("", True)
