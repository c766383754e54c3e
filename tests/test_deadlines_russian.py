"""Deadlines in the lawyer's language: rule titles, explanations, the CLI and the moved-deadline email."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from cases import reminders
from cases.actions.calendar import save_calendar_override
from cases.actions.decisions import save_decision
from cases.models import CalendarOverride, Deadline, Decision, UserProfile
from casetracker.celery import app
from tests import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def test_compute_deadline_explains_in_russian():
    out = StringIO()
    call_command("compute_deadline", "ru-appeal", "2022-12-03", "--language", "ru", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "2023-01-09"
    assert "Правило: ru-appeal, Апелляционная жалоба (Россия, ГПК/КАС)." in lines
    assert "Срок: 1 месяц; течение начинается на следующий день, 2022-12-04." in lines
    assert "Перенесено с 2023-01-07: Суббота, Рождество Христово." in lines
    assert lines[-1].startswith("Норма: GPK RF art. 321(2)")


def test_admin_journey_record_a_decision_in_a_russian_kas_case(client, editor, lawyer):
    from tests.admin_posts import proceeding_post

    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False):
        case = factories.case(country="RU")
        case.team.add(lawyer)
        proceeding = factories.proceeding(case, procedure="kas", started_on=D(2022, 3, 1))
        client.force_login(editor)
        with translation.override("ru"):
            proceeding_url = reverse("admin:cases_proceeding_change", args=[proceeding.pk])
        assert proceeding_url.startswith("/ru/admin/")
        row = {"announced_on": "2023-05-10", "final_form_on": "2023-05-15", "result": "dismissed", "is_public": "on"}
        response = client.post(proceeding_url, proceeding_post(proceeding, {"decisions": [row]}))
        assert response.status_code == 302
        deadline = Deadline.objects.get()
        assert (deadline.rule_code, deadline.due_on, deadline.status) == ("ru-appeal", D(2023, 6, 15), "open")
        with translation.override("ru"):
            page = client.get(reverse("admin:cases_deadline_change", args=[deadline.pk])).content.decode()
    assert "Правило: ru-appeal, Апелляционная жалоба (Россия, ГПК/КАС)." in page
    assert "Начало отсчёта (решение в окончательной форме): 2023-05-15." in page
    assert "Последний день срока: 2023-06-15." in page
    # Its reminders: one row per offset for the case team's lawyer.
    assert deadline.deliveries.filter(recipient=lawyer, status="pending").count() == 5
    assert page.count('class="field-offset_days"') == 5


def test_moved_deadline_email_is_in_the_recipients_language(
    lawyer, editor, mailoutbox, django_capture_on_commit_callbacks
):
    UserProfile.objects.update_or_create(user=lawyer, defaults={"language": "ru"})
    app.conf.task_always_eager = True
    try:
        with time_machine.travel(datetime.datetime(2026, 11, 30, 12, tzinfo=datetime.UTC), tick=False):
            case = factories.case(country="RU")
            case.team.add(lawyer)
            proceeding = factories.proceeding(case, procedure="kas", started_on=D(2026, 1, 1))
            decision = Decision(proceeding=proceeding, result="dismissed", announced_on=D(2026, 11, 26))
            save_decision(decision, actor=lawyer)
            override = CalendarOverride(calendar="RU", day=D(2026, 12, 26), is_open=True, reason="Рабочая суббота")
            with django_capture_on_commit_callbacks(execute=True):
                save_calendar_override(override, actor=editor)
    finally:
        app.conf.task_always_eager = False
    (email,) = mailoutbox
    assert email.subject.startswith(
        "СРОЧНО: срок перенесён на более раннюю дату: Апелляционная жалоба (Россия, ГПК/КАС)"
    )
    assert "СРОЧНО: новая дата раньше прежней." in email.body
    assert "Срок перенесён с 28 декабря 2026 г. на 26 декабря 2026 г., потому что изменилась отметка" in email.body


def test_generated_deadline_title_is_in_the_readers_language(client, editor, lawyer, mailoutbox):
    UserProfile.objects.update_or_create(user=lawyer, defaults={"language": "ru"})
    with time_machine.travel(datetime.datetime(2023, 5, 20, 12, tzinfo=datetime.UTC), tick=False) as traveller:
        case = factories.case(country="RU")
        case.team.add(lawyer)
        court = factories.court(name="Tverskoy District Court", name_ru="Тверской районный суд")
        proceeding = factories.proceeding(case, court=court, procedure="kas", docket_number="2a-7/2023")
        decision = Decision(
            proceeding=proceeding, result="dismissed", announced_on=D(2023, 5, 10), final_form_on=D(2023, 5, 15)
        )
        save_decision(decision, actor=editor)
        deadline = Deadline.objects.get()
        assert deadline.title == "Appeal (Russia, GPK/KAS): Tverskoy District Court 2a-7/2023"
        russian = "Апелляционная жалоба (Россия, ГПК/КАС): Тверской районный суд 2a-7/2023"
        assert deadline.title_ru == russian
        traveller.move_to(deadline.deliveries.get(offset_days=14).send_at)
        assert [reminders.send(pk) for pk in reminders.claim_due()] == ["sent"]
    (email,) = mailoutbox
    assert email.subject == f"Срок через 14 дней: {russian}"
    assert f"Срок: {russian}" in email.body
    assert russian in email.alternatives[0][0]
    client.force_login(editor)
    with translation.override("ru"):
        russian_list = client.get(reverse("admin:cases_deadline_changelist")).content.decode()
    english_list = client.get(reverse("admin:cases_deadline_changelist")).content.decode()
    assert russian in russian_list and deadline.title not in russian_list
    assert deadline.title in english_list and russian not in english_list
