"""Re-sending failed reminders from the delivery log, and what the log shows."""

import datetime
import smtplib
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from cases import reminders
from cases.actions.deadlines import save_deadline
from cases.actions.reminders import resend_deliveries
from cases.models import Deadline, ReminderDelivery, ReminderOutage
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2030, 2, 1, 12, tzinfo=datetime.UTC)
CHANGELIST = reverse("admin:cases_reminderdelivery_changelist")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def failed_row(lawyer):
    deadline = Deadline(
        case=factories.case(lead_lawyer=lawyer), title="Reply", kind="other", due_on=datetime.date(2030, 2, 5)
    )
    deadline.reminder_offsets = [7]
    save_deadline(deadline, actor=lawyer, responsible=[lawyer])
    refused = smtplib.SMTPRecipientsRefused({lawyer.email: (550, b"5.1.1 No such user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        assert [reminders.send(pk) for pk in reminders.claim_due()] == ["failed"]
    return deadline.deliveries.get()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_resending_requeues_only_failed_rows_of_open_deadlines_and_records_who(
    failed_row, editor, django_capture_on_commit_callbacks, mailoutbox
):
    with mock.patch("cases.tasks.sweep_reminders.delay") as sweep, django_capture_on_commit_callbacks(execute=True):
        assert resend_deliveries(ReminderDelivery.objects.all(), actor=editor) == 1
    sweep.assert_called_once()  # sent now, not at the next beat
    failed_row.refresh_from_db()
    assert (failed_row.status, failed_row.send_at, failed_row.attempts) == ("pending", NOW, 0)
    assert failed_row.attempt_log[-1]["note"] == "Re-sent by editor."
    assert failed_row.attempt_log[0]["error"].startswith("The mail server refused the recipient")
    assert resend_deliveries(ReminderDelivery.objects.all(), actor=editor) == 0  # it is no longer failed
    assert [reminders.send(pk) for pk in reminders.claim_due()] == ["sent"]
    assert len(mailoutbox) == 1


def test_a_failed_row_of_a_closed_deadline_is_not_resent(failed_row, editor):
    Deadline.objects.filter(pk=failed_row.deadline_id).update(status="done", completed_at=NOW)
    assert resend_deliveries([failed_row], actor=editor) == 0


def test_admin_action_resends_and_the_change_page_shows_the_attempt_history(
    editor_client, failed_row, django_capture_on_commit_callbacks
):
    with mock.patch("cases.tasks.sweep_reminders.delay"), django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            CHANGELIST, {"action": "resend", "_selected_action": [failed_row.pk]}, follow=True
        )
    assert "1 failed reminder queued to be sent again." in response.content.decode()
    html = editor_client.get(reverse("admin:cases_reminderdelivery_change", args=[failed_row.pk])).content.decode()
    assert "lawyer@example.org: 550 5.1.1 No such user" in html
    assert "Re-sent by editor." in html


def test_changelist_warns_while_sending_is_paused(editor_client, failed_row):
    assert "are paused" not in editor_client.get(CHANGELIST).content.decode()
    ReminderOutage.objects.update_or_create(
        pk=1, defaults={"code": 535, "error": "The mail server answered 535 bad.", "failures": 3, "paused_at": NOW}
    )
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Reminder emails are paused since" in html and "535 bad" in html


def test_changelist_queries_do_not_grow_with_rows(editor_client, failed_row, django_assert_max_num_queries):
    ReminderDelivery.objects.bulk_create(
        ReminderDelivery(
            deadline=failed_row.deadline,
            recipient=failed_row.recipient,
            offset_days=day,
            send_at=NOW,
            message_id=reminders.new_message_id(),
        )
        for day in range(8, 60)
    )
    with django_assert_max_num_queries(12):
        assert editor_client.get(CHANGELIST).status_code == 200
