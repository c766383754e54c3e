import io

import pytest
from django.core.management import call_command

from cases.actions.events import case_changed
from cases.models import Case, Party
from cases.search import refresh_search_vector, search_cases

from . import factories as f
from .admin_posts import change_url, errors_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    popova = f.case(
        published=True,
        title="Popova v. Moscow Department of Information Technology",
        title_ru="Попова против Департамента информационных технологий Москвы",
        summary="Facial recognition cameras at protests.",
        summary_ru="Камеры распознавания лиц на митингах.",
    )
    f.participation(popova, party=f.party(name="Vladimir Milov", name_ru="Владимир Милов"))
    f.proceeding(popova, docket_number="2a-577/2019")
    bbw = f.case(
        published=True, title="Big Brother Watch v. United Kingdom", summary="Bulk interception of communications."
    )
    for case in (popova, bbw):
        refresh_search_vector(case.pk)
    return {"popova": popova, "bbw": bbw}


def titles(text):
    return [case.title for case in search_cases(Case.objects.public(), text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Popova", "popova"),
        ("Milov", "popova"),
        ("2a-577/2019", "popova"),
        ("interception", "bbw"),
    ],
)
def test_finds_by_title_party_docket_and_summary(cases, text, expected):
    assert titles(text) == [cases[expected].title]


def test_empty_query_keeps_everything(cases):
    assert len(titles("")) == 2


def test_long_and_hostile_queries_do_not_fail(cases):
    for text in ["a" * 2000, "'; DROP TABLE cases_case; --", "<script>", "!!! & | ( ) :*", '"unclosed']:
        titles(text)


def test_stemming_in_english_and_russian(cases, require_postgres):
    assert titles("protest") == [cases["popova"].title]  # "protests" stemmed
    assert titles("митинг") == [cases["popova"].title]  # "митингах" stemmed
    assert titles("Милова") == [cases["popova"].title]  # a name in another grammatical case


def test_results_are_ranked(cases, require_postgres):
    f.case(published=True, title="Another case", summary="Mentions Popova once.")
    other = Case.objects.get(title="Another case")
    refresh_search_vector(other.pk)
    ranked = list(search_cases(Case.objects.public(), "Popova").order_by("-rank"))
    assert ranked[0] == cases["popova"]


def test_action_refreshes_the_vector(cases, require_postgres, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=cases["bbw"].pk).update(title="Big Brother Watch and Others")
    assert titles("Others") == []
    with django_capture_on_commit_callbacks(execute=True):
        case_changed(cases["bbw"].pk)
    assert titles("Others") == ["Big Brother Watch and Others"]


def test_rebuild_command_refreshes_every_case(cases, require_postgres):
    Case.objects.filter(pk=cases["bbw"].pk).update(title="Big Brother Watch and Others")
    call_command("rebuild_search_index", stdout=io.StringIO())
    assert titles("Others") == ["Big Brother Watch and Others"]


def test_renaming_a_party_in_the_admin_makes_the_new_name_findable_at_once(
    client, editor, cases, require_postgres, django_capture_on_commit_callbacks
):
    party = Party.objects.get(name="Vladimir Milov")
    client.force_login(editor)
    data = {"name": "Ilya Yashin", "name_ru": "Илья Яшин", "slug": party.slug, "kind": party.kind}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(party), data | {"country": "", "description": "", "website": ""})
    assert response.status_code == 302, errors_of(response)

    assert titles("Yashin") == titles("Яшин") == [cases["popova"].title]
    assert titles("Milov") == titles("Милов") == []
