"""The lawyers' admin: pages render, saves go through the actions, changelists stay cheap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Counsel, Deadline, Decision, Filing, Hearing, Participation, Technology
from tests import factories
from tests.admin_posts import add_url, case_post, change_url, post_data, proceeding_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def seeded_case(**fields):
    case = factories.case(title="Popova v. Moscow DIT", published=True, **fields)
    proceeding = factories.proceeding(case, docket_number="2a-1234/2019")
    plaintiff = factories.participation(case, party=factories.party(name="Alena Popova"))
    Counsel.objects.create(participation=plaintiff, name="Kirill Koroteev")
    factories.filing(proceeding, filed_by=plaintiff)
    factories.hearing(proceeding)
    factories.decision(proceeding)
    return case, proceeding


def test_admin_pages_render(editor_client):
    case, proceeding = seeded_case()
    participation = case.participations.get()
    for url in [
        reverse("admin:index"),
        reverse("admin:cases_case_changelist"),
        add_url(Case),
        change_url(case),
        reverse("admin:cases_case_history", args=[case.pk]),
        change_url(proceeding),
        reverse("admin:cases_proceeding_add"),
        change_url(participation),
        reverse("admin:cases_party_changelist"),
        reverse("admin:cases_court_changelist"),
        reverse("admin:cases_proceeding_changelist"),
        reverse("admin:cases_participation_changelist"),
        reverse("admin:cases_technology_changelist"),
        change_url(proceeding.filings.get()),
        change_url(proceeding.hearings.get()),
        change_url(proceeding.decisions.get()),
        reverse("admin:cases_filing_history", args=[proceeding.filings.get().pk]),
    ]:
        assert editor_client.get(url).status_code == 200, url


def test_case_page_has_inlines_and_counsel_link(editor_client):
    case, _ = seeded_case()
    response = editor_client.get(change_url(case))
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["participations", "proceedings", "challenges", "links"]
    assert "Kirill Koroteev" in response.content.decode()
    assert change_url(case.participations.get()) in response.content.decode()


def test_proceeding_page_has_filings_hearings_decisions_deadlines(editor_client):
    _, proceeding = seeded_case()
    response = editor_client.get(change_url(proceeding))
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["numbers", "filings", "hearings", "decisions", "deadlines"]


def test_adding_a_case_with_a_party_goes_through_the_actions(editor_client, editor):
    party = factories.party(name="Moscow DIT", kind="government")
    rows = {"participations": [{"party": party.pk, "role": "defendant", "note": ""}]}
    response = editor_client.post(add_url(Case), case_post(title="Попова против ДИТ", rows=rows))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.slug == "popova-protiv-dit"
    assert case.history.get().history_user == editor
    assert Participation.history.get().history_user == editor
    assert case.visibility == Case.Visibility.DRAFT


def test_visibility_cannot_be_posted(editor_client):
    case = factories.case()
    editor_client.post(change_url(case), case_post(case, visibility="published", published_at="2020-01-01 00:00"))
    assert Case.objects.get(pk=case.pk).visibility == Case.Visibility.DRAFT


def test_hearing_time_is_read_and_shown_in_the_court_zone(editor_client):
    proceeding = factories.proceeding(court=factories.court(timezone="Asia/Vladivostok"))
    page = editor_client.get(change_url(proceeding))
    hearings = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "hearings")
    assert hearings.formset.empty_form.initial["timezone"] == "Asia/Vladivostok"

    row = {"starts_at_0": "2019-11-06", "starts_at_1": "10:00", "timezone": "Asia/Vladivostok", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"hearings": [row]}))
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.starts_at == datetime.datetime(2019, 11, 6, 0, 0, tzinfo=datetime.UTC)  # Vladivostok is UTC+10

    shown = editor_client.get(change_url(proceeding)).content.decode()
    assert 'value="10:00:00"' in shown and 'value="2019-11-06"' in shown


def test_hearing_in_another_zone_than_the_court(editor_client):
    proceeding = factories.proceeding()  # a Moscow court
    row = {"starts_at_0": "2021-03-01", "starts_at_1": "09:30", "timezone": "Europe/Paris", "is_public": "on"}
    editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"hearings": [row]}))
    hearing = Hearing.objects.get()
    assert hearing.starts_at == datetime.datetime(2021, 3, 1, 8, 30, tzinfo=datetime.UTC)
    assert hearing.timezone == "Europe/Paris"


def test_decision_inline_saves_through_save_decision(editor_client, editor, monkeypatch):
    from cases.admin import mixins

    calls = []
    original = mixins.save_decision
    monkeypatch.setattr(
        mixins, "save_decision", lambda obj, *, actor: calls.append(actor) or original(obj, actor=actor)
    )
    proceeding = factories.proceeding()
    row = {"announced_on": "2019-11-06", "final_form_on": "2019-11-12", "result": "dismissed", "is_public": "on"}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"decisions": [row]}))
    assert response.status_code == 302
    assert calls == [editor]
    assert Decision.objects.get().history.get().history_user == editor


def test_deadline_inline_takes_its_case_from_the_proceeding_and_can_be_closed(editor_client, editor, lawyer):
    case = factories.case(lead_lawyer=lawyer)
    proceeding = factories.proceeding(case)
    row = {"title": "File the appeal", "kind": "appeal", "due_on": "2030-01-15", "responsible": [lawyer.pk]}
    response = editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"deadlines": [row]}))
    assert response.status_code == 302
    deadline = Deadline.objects.get()
    assert (deadline.case, deadline.proceeding) == (case, proceeding)
    assert list(deadline.responsible.all()) == [lawyer]

    row = {"id": deadline.pk, "proceeding": proceeding.pk} | row | {"mark": "done"}
    editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"deadlines": [row]}))
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.DONE and deadline.completed_by == editor


def test_filing_party_choices_are_this_case_only(editor_client):
    case, proceeding = seeded_case()
    stranger = factories.participation(factories.case())
    page = editor_client.get(change_url(proceeding))
    filings = next(i for i in page.context["inline_admin_formsets"] if i.formset.prefix == "filings")
    choices = [value for value, _ in filings.formset.empty_form.fields["filed_by"].choices if value]
    assert choices == [case.participations.get().pk]
    row = {"filed_on": "2019-10-09", "kind": "brief", "title": "Reply", "filed_by": stranger.pk}
    editor_client.post(change_url(proceeding), proceeding_post(proceeding, {"filings": [row]}))
    assert not Filing.objects.filter(title="Reply").exists()


def test_stored_document_links_to_the_download_view(editor_client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.upload_samples import PDF

    settings.MEDIA_ROOT = tmp_path
    proceeding = factories.proceeding()
    filing = factories.filing(proceeding, document=SimpleUploadedFile("c.pdf", PDF))
    page = editor_client.get(change_url(proceeding)).content.decode()
    assert reverse("cases:document_download", args=["filing", filing.pk]) in page
    assert filing.document.name not in page  # the storage path is never shown


def test_search_by_title_docket_and_party(editor_client):
    case, _ = seeded_case()
    factories.case(title="Unrelated")
    for term in ["Popova v.", "2a-1234", "Alena Popova"]:
        response = editor_client.get(reverse("admin:cases_case_changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [case], term


def test_changelist_filters_and_date_hierarchy(editor_client, lawyer):
    case = factories.case(filed_on=datetime.date(2019, 10, 7), lead_lawyer=lawyer, status="decided")
    for name in ["Face recognition", "CCTV"]:
        case.technologies.add(Technology.objects.create(name=name, slug=name.lower().replace(" ", "-")))
    response = editor_client.get(reverse("admin:cases_case_changelist"))
    titles = {spec.title for spec in response.context["cl"].filter_specs}
    assert {"status", "country", "technologies", "visibility", "lead lawyer"} <= titles
    assert response.context["cl"].date_hierarchy == "filed_on"
    filtered = editor_client.get(reverse("admin:cases_case_changelist"), {"lead_lawyer__id__exact": lawyer.pk})
    assert filtered.context["cl"].result_count == 1


def test_publish_and_unpublish_actions(editor_client, editor):
    draft = factories.case()
    changelist = reverse("admin:cases_case_changelist")
    editor_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published and draft.history.latest().history_user == editor
    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [draft.pk]})
    assert not Case.objects.get(pk=draft.pk).is_published


def test_history_shows_who_changed_what(editor_client, editor):
    case = factories.case(title="Before")
    editor_client.post(change_url(case), case_post(case, title="After"))
    page = editor_client.get(reverse("admin:cases_case_history", args=[case.pk])).content.decode()
    assert "editor" in page and "After" in page


def test_index_lists_my_upcoming_and_overdue_deadlines(client, lawyer, other_lawyer):
    today = timezone.localdate()
    mine = factories.case(title="My case", lead_lawyer=lawyer)
    theirs = factories.case(title="Their case", lead_lawyer=other_lawyer)
    Deadline.objects.create(case=mine, title="Team deadline soon", due_on=today + datetime.timedelta(days=5))
    Deadline.objects.create(case=mine, title="Overdue reply", due_on=today - datetime.timedelta(days=2))
    Deadline.objects.create(case=mine, title="Far away", due_on=today + datetime.timedelta(days=45))
    Deadline.objects.create(case=mine, title="Already done", due_on=today, status="done", completed_at=timezone.now())
    Deadline.objects.create(case=theirs, title="Someone else's", due_on=today)
    named = Deadline.objects.create(case=mine, title="Named for other", due_on=today)
    named.responsible.add(other_lawyer)
    assigned = Deadline.objects.create(case=theirs, title="Assigned to me", due_on=today + datetime.timedelta(days=1))
    assigned.responsible.add(lawyer)

    client.force_login(lawyer)
    page = client.get(reverse("admin:index")).content.decode()
    panel = page[page.index("my-deadlines-module") :]
    for title in ["Team deadline soon", "Overdue reply", "Assigned to me"]:
        assert title in panel
    for title in ["Far away", "Already done", "Someone else's", "Named for other"]:
        assert title not in panel
    assert panel.index("Overdue reply") < panel.index("Assigned to me") < panel.index("Team deadline soon")
    assert "Overdue" in panel


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "model_name", ["case", "proceeding", "participation", "party", "court", "filing", "hearing", "decision"]
)
def test_changelist_queries_do_not_grow_with_rows(editor_client, lawyer, model_name):
    def add_rows(count):
        for _ in range(count):
            case = factories.case(lead_lawyer=lawyer)
            proceeding = factories.proceeding(case, court=factories.court(appeals_to=factories.court()))
            factories.filing(proceeding, filed_by=factories.participation(case))
            factories.hearing(proceeding)
            factories.decision(proceeding)

    url = reverse(f"admin:cases_{model_name}_changelist")
    add_rows(5)
    few = count_queries(editor_client, url)
    add_rows(45)
    assert count_queries(editor_client, url) == few


def test_case_page_queries_are_bounded(editor_client):
    case = factories.case()
    proceeding = factories.proceeding(case)
    participations = [factories.participation(case) for _ in range(3)]
    url = change_url(case)
    few = count_queries(editor_client, url)
    for participation in participations:
        Counsel.objects.create(participation=participation, name="Counsel")
    for _ in range(10):
        factories.participation(case)
        factories.proceeding(case, court=proceeding.court)
    # Party and court pickers fetch their selected option per row; nothing else may grow.
    assert count_queries(editor_client, url) <= few + 2 * 10


def test_proceeding_page_filed_by_choices_are_fetched_once(editor_client):
    case = factories.case()
    proceeding = factories.proceeding(case)
    party = factories.participation(case)
    factories.filing(proceeding, filed_by=party)
    url = change_url(proceeding)
    few = count_queries(editor_client, url)
    for _ in range(20):
        factories.filing(proceeding, filed_by=party)
    assert count_queries(editor_client, url) == few


def test_after_commit_work_runs_cleanly_for_admin_edits_and_deletes(editor_client, django_capture_on_commit_callbacks):
    case, _ = seeded_case()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert editor_client.post(change_url(case), case_post(case, title="Renamed")).status_code == 302
        changelist = reverse("admin:cases_case_changelist")
        editor_client.post(changelist, {"action": "unpublish", "_selected_action": [case.pk]})
        delete = reverse("admin:cases_case_delete", args=[case.pk])
        assert editor_client.post(delete, {"post": "yes"}).status_code == 302
    assert callbacks
    assert not Case.objects.exists()


def test_hearing_list_shows_court_time(editor_client):
    factories.hearing(factories.proceeding())  # 07:00 UTC is 10:00 in Moscow
    page = editor_client.get(reverse("admin:cases_hearing_changelist")).content.decode()
    assert "2019-11-06 10:00 Europe/Moscow" in page


def test_lawyer_can_only_pick_proceedings_of_own_cases(client, lawyer):
    mine, theirs = factories.proceeding(factories.case(lead_lawyer=lawyer)), factories.proceeding()
    client.force_login(lawyer)
    data = {"proceeding": theirs.pk, "filed_on": "2019-10-08", "kind": "brief", "title": "Sneaky", "is_public": "on"}
    response = client.post(add_url(Filing), data)
    assert response.status_code == 200 and "proceeding" in response.context["adminform"].form.errors
    assert client.post(add_url(Filing), data | {"proceeding": mine.pk}).status_code == 302
    assert list(Filing.objects.values_list("proceeding", flat=True)) == [mine.pk]


def test_counsel_typed_on_the_participation_row(editor_client, editor):
    case = factories.case()
    factories.party(name="Roskomsvoboda", kind="ngo")
    factories.party(name="Liberty", kind="ngo")
    party = factories.party(name="Alena Popova")
    counsel = "Kirill Koroteev (roskomsvoboda); Liberty; Sarkis Darbinyan"
    rows = {"participations": [{"party": party.pk, "role": "plaintiff", "counsel_text": counsel}]}
    response = editor_client.post(change_url(case), case_post(case, rows=rows))
    assert response.status_code == 302
    assert set(Counsel.objects.values_list("name", "organisation__name")) == {
        ("Kirill Koroteev", "Roskomsvoboda"),
        ("", "Liberty"),
        ("Sarkis Darbinyan", None),
    }
    page = editor_client.get(change_url(case)).content.decode()
    assert "Liberty; Kirill Koroteev (Roskomsvoboda); Sarkis Darbinyan" in page  # by name, firms alone first
    assert '<option value="Roskomsvoboda">' in page  # the datalist the field completes from

    participation = Participation.objects.get()
    row = {"id": participation.pk, "case": case.pk, "party": party.pk, "role": "plaintiff"}
    rows = {"participations": [row | {"counsel_text": "Liberty; Nobody (Unknown Firm)"}]}
    response = editor_client.post(change_url(case), case_post(case, rows=rows))
    assert response.status_code == 200
    assert "No firm or NGO called “Unknown Firm” yet" in response.content.decode()
    assert Counsel.objects.count() == 3
    rows = {"participations": [row | {"counsel_text": "Liberty"}]}
    assert editor_client.post(change_url(case), case_post(case, rows=rows)).status_code == 302
    assert list(Counsel.objects.values_list("organisation__name", flat=True)) == ["Liberty"]


def test_saving_a_role_returns_to_its_case(editor_client):
    participation = factories.participation(factories.case())
    data = {"case": participation.case_id, "party": participation.party_id, "role": "defendant", "note": ""}
    data |= {"counsel-TOTAL_FORMS": 0, "counsel-INITIAL_FORMS": 0, "counsel-MIN_NUM_FORMS": 0}
    response = editor_client.post(change_url(participation), data | {"counsel-MAX_NUM_FORMS": 1000})
    assert response.status_code == 302 and response["Location"] == change_url(participation.case)


def test_parties_listed_claimant_first(editor_client):
    case = factories.case()
    for role, name in [("amicus", "A"), ("third_party", "B"), ("defendant", "C"), ("plaintiff", "D")]:
        factories.participation(case, role=role, party=factories.party(name=name))
    page = editor_client.get(change_url(case))
    formset = next(i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "participations")
    assert [form.instance.role for form in formset.forms] == ["plaintiff", "defendant", "third_party", "amicus"]


def test_country_filter_lists_only_countries_in_use(editor_client):
    factories.case(country="GB")
    factories.case(country="RU")
    response = editor_client.get(reverse("admin:cases_case_changelist"))
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == "country")
    assert [label for _value, label in spec.lookup_choices] == ["Russia", "United Kingdom"]
    filtered = editor_client.get(reverse("admin:cases_case_changelist"), {"country": "GB"})
    assert filtered.context["cl"].result_count == 1


def test_reminder_offsets_typed_as_days(editor_client, editor):
    case = factories.case(lead_lawyer=editor)
    data = {"case": case.pk, "title": "Reply", "kind": "other", "due_on": "2030-01-01"}
    data = post_data(data | {"reminder_offsets": "14, 7 3,1, 0"}, ["deliveries"])
    assert editor_client.post(add_url(Deadline), data).status_code == 302
    deadline = Deadline.objects.get()
    assert deadline.reminder_offsets == [14, 7, 3, 1, 0]
    page = editor_client.get(change_url(deadline)).content.decode()
    assert 'value="14, 7, 3, 1, 0"' in page and "[14" not in page


def test_appeal_results_shown_as_such_publicly(client):
    case = factories.case(published=True)
    proceeding = factories.proceeding(case)
    factories.decision(proceeding, result="appeal_allowed")
    factories.decision(
        proceeding, result="appeal_dismissed", announced_on=datetime.date(2020, 1, 1), final_form_on=None
    )
    content = client.get(case.get_absolute_url()).content.decode()
    assert "Appeal allowed" in content and "Appeal dismissed" in content
