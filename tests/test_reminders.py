"""Reminder scheduling, claiming, sending and escalation, in process (the worker tests run the real thing)."""

import datetime
import smtplib
import threading
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from cases import reminders
from cases.actions.deadlines import cancel_deadline, complete_deadline, save_deadline
from cases.models import Deadline, ReminderDelivery, UserProfile
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2030, 2, 1, 12, tzinfo=datetime.UTC)
FIRST_REMINDER_DUE = datetime.datetime(2030, 2, 15, 0, 5, tzinfo=datetime.UTC)  # 10:05 in Vladivostok


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_smtp_connection():
    # The shared connection outlives a test; never let one test's backend or server leak into the next.
    reminders.close_shared_connection()
    yield
    reminders.close_shared_connection()


@pytest.fixture
def court():
    return factories.court(timezone="Asia/Vladivostok")


@pytest.fixture
def deadline(lawyer, court):
    proceeding = factories.proceeding(factories.case(title="Popova v. Moscow DIT", lead_lawyer=lawyer), court=court)
    obj = Deadline(case=proceeding.case, proceeding=proceeding, title="File the appeal", kind="appeal")
    obj.due_on = datetime.date(2030, 3, 1)
    return save_deadline(obj, actor=lawyer, responsible=[lawyer])


def send_all():
    return [reminders.send(pk) for pk in reminders.claim_due()]


def test_rows_per_recipient_and_offset_at_nine_in_the_court_zone(deadline, lawyer):
    rows = list(deadline.deliveries.order_by("-offset_days"))
    assert [row.offset_days for row in rows] == [14, 7, 3, 1, 0]
    assert {row.recipient_id for row in rows} == {lawyer.pk}
    assert rows[0].send_at == datetime.datetime(2030, 2, 15, 9, tzinfo=deadline.zone)
    assert len({row.message_id for row in rows}) == 5


def test_editing_offsets_and_responsible_updates_rows(deadline, lawyer, other_lawyer):
    deadline.reminder_offsets = [3, 0]
    save_deadline(deadline, actor=lawyer, responsible=[lawyer, other_lawyer])
    pending = deadline.deliveries.filter(status="pending")
    assert sorted(pending.values_list("recipient", "offset_days")) == sorted(
        [(lawyer.pk, 3), (lawyer.pk, 0), (other_lawyer.pk, 3), (other_lawyer.pk, 0)]
    )
    assert deadline.deliveries.filter(status="cancelled").count() == 3


def test_moving_the_due_date_retimes_pending_rows_keeping_their_message_id(deadline, lawyer):
    row = deadline.deliveries.get(offset_days=0)
    deadline.due_on = datetime.date(2030, 3, 5)
    save_deadline(deadline, actor=lawyer)
    row.refresh_from_db()
    assert row.send_at == datetime.datetime(2030, 3, 5, 9, tzinfo=deadline.zone)
    assert row.message_id == deadline.deliveries.get(offset_days=0).message_id


@pytest.mark.parametrize("close", [complete_deadline, cancel_deadline])
def test_closing_a_deadline_stops_its_reminders_at_once(deadline, lawyer, close, frozen, mailoutbox):
    close(deadline, actor=lawyer)
    assert set(deadline.deliveries.values_list("status", flat=True)) == {"cancelled"}
    frozen.move_to(datetime.datetime(2030, 3, 1, 12, tzinfo=datetime.UTC))
    assert send_all() == [] and mailoutbox == []


def test_sending_a_claimed_row_of_a_deadline_closed_meanwhile_sends_nothing(deadline, lawyer, frozen, mailoutbox):
    frozen.move_to(datetime.datetime(2030, 2, 16, tzinfo=datetime.UTC))
    (pk,) = reminders.claim_due()
    Deadline.objects.filter(pk=deadline.pk).update(status="done", completed_at=NOW)
    assert reminders.send(pk) == "cancelled" and mailoutbox == []


def test_late_deadline_gets_one_catch_up_reminder_not_a_burst(lawyer):
    obj = Deadline(
        case=factories.case(lead_lawyer=lawyer), title="Reply", kind="appeal", due_on=datetime.date(2030, 2, 5)
    )
    save_deadline(obj, actor=lawyer, responsible=[lawyer])
    assert sorted(obj.deliveries.values_list("offset_days", flat=True)) == [0, 1, 3, 7]
    assert obj.deliveries.filter(send_at__lte=NOW).count() == 1


def test_passed_deadline_schedules_nothing(lawyer):
    obj = Deadline(case=factories.case(lead_lawyer=lawyer), title="Old", kind="other", due_on=datetime.date(2030, 1, 5))
    save_deadline(obj, actor=lawyer, responsible=[lawyer])
    assert not obj.deliveries.exists()


def test_send_builds_html_and_text_with_stable_message_id_court_time_and_admin_link(
    deadline, frozen, mailoutbox, settings
):
    frozen.move_to(datetime.datetime(2030, 2, 15, 0, 5, tzinfo=datetime.UTC))  # 10:05 in Vladivostok
    assert send_all() == ["sent"]
    (message,) = mailoutbox
    row = deadline.deliveries.get(offset_days=14)
    assert (row.status, row.attempts, row.sent_at) == (
        "sent",
        1,
        datetime.datetime(2030, 2, 15, 0, 5, tzinfo=datetime.UTC),
    )
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.subject == "Due in 14 days: File the appeal"
    assert "March 1, 2030 until 24:00 (Asia/Vladivostok)" in message.body
    assert f"{settings.SITE_URL}/admin/cases/deadline/{deadline.pk}/change/" in message.body
    html = message.alternatives[0][0]
    assert "Popova v. Moscow DIT" in html and "<strong>" in html
    assert reminders.send(row.pk) == "sent" and len(mailoutbox) == 1  # a second task for the row is a no-op


def test_email_is_in_the_recipients_language(deadline, lawyer, frozen, mailoutbox):
    UserProfile.objects.create(user=lawyer, language="ru")
    frozen.move_to(FIRST_REMINDER_DUE)
    send_all()
    (message,) = mailoutbox
    assert "1 марта 2030" in message.body
    assert message.subject == "Срок через 14 дней: File the appeal"
    assert message.body.startswith("Срок через 14 дней.")
    assert '<html lang="ru">' in message.alternatives[0][0]
    assert "/ru/admin/cases/deadline/" in message.body


@pytest.mark.parametrize(
    ("days", "english", "russian"),
    [
        (1, "Due tomorrow", "Срок завтра"),
        (2, "Due in 2 days", "Срок через 2 дня"),
        (5, "Due in 5 days", "Срок через 5 дней"),
        (21, "Due in 21 days", "Срок через 21 день"),
    ],
)
def test_time_left_uses_proper_plurals_in_both_languages(deadline, days, english, russian):
    now = datetime.datetime.combine(
        deadline.due_on - datetime.timedelta(days=days), datetime.time(9), tzinfo=deadline.zone
    )
    assert reminders.time_left(deadline, now) == english
    with translation.override("ru"):
        assert reminders.time_left(deadline, now) == russian


def smtp_error(code):
    return smtplib.SMTPDataError(code, b"test failure")


def test_transient_smtp_failure_retries_for_the_whole_window_then_fails_and_alerts_editors(
    deadline, editor, frozen, mailoutbox, settings, django_capture_on_commit_callbacks
):
    frozen.move_to(FIRST_REMINDER_DUE)
    first_failure = datetime.datetime.now(datetime.UTC)
    window = datetime.timedelta(seconds=settings.REMINDER_RETRY_WINDOW_SECONDS)
    assert window >= datetime.timedelta(hours=6)  # the outage docs/operations.md promises to absorb
    tries = []
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=smtp_error(451)):
        while (statuses := send_all()) == ["pending"]:
            tries.append(datetime.datetime.now(datetime.UTC))
            frozen.move_to(deadline.deliveries.get(offset_days=14).send_at)
        last = datetime.datetime.now(datetime.UTC)
    assert statuses == ["failed"]
    row = deadline.deliveries.get(offset_days=14)
    delay = (tries[1] - tries[0]).total_seconds()
    assert settings.REMINDER_RETRY_BASE_SECONDS / 2 <= delay <= settings.REMINDER_RETRY_BASE_SECONDS
    longest_delay = datetime.timedelta(seconds=settings.REMINDER_RETRY_MAX_DELAY_SECONDS)
    assert window <= last - first_failure <= window + longest_delay
    assert row.last_error == "The mail server answered 451 test failure."
    assert len(row.attempt_log) == row.attempts == len(tries) + 1
    assert all(entry["error"] == row.last_error for entry in row.attempt_log)
    reminders.send_failure_alert(row.pk)
    (alert,) = mailoutbox
    assert alert.to == [editor.email]
    assert f"could not be delivered after {row.attempts} attempts." in alert.body


def test_permanent_smtp_failure_fails_at_once(deadline, frozen):
    frozen.move_to(FIRST_REMINDER_DUE)
    refused = smtplib.SMTPRecipientsRefused({"lawyer@example.org": (550, b"No such user")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        assert send_all() == ["failed"]
    assert "550" in deadline.deliveries.get(offset_days=14).last_error


def test_connection_refused_is_transient(deadline, frozen):
    frozen.move_to(FIRST_REMINDER_DUE)
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionRefusedError()):
        assert send_all() == ["pending"]


def test_expired_claim_is_claimed_again(deadline, frozen, settings):
    frozen.move_to(FIRST_REMINDER_DUE)
    (pk,) = reminders.claim_due()  # and the worker died
    assert reminders.claim_due() == []
    frozen.shift(datetime.timedelta(seconds=settings.REMINDER_CLAIM_LEASE_SECONDS + 1))
    assert reminders.claim_due() == [pk]


@pytest.mark.parametrize(
    ("responsible", "team", "message"),
    [
        ([], [], "Nobody would be reminded"),
        (None, ["noemail"], "noemail has no email address"),
    ],
)
def test_deadline_nobody_can_be_reminded_of_is_refused(lawyer, django_user_model, responsible, team, message):
    case = factories.case()
    for name in team:
        case.team.add(django_user_model.objects.create_user(username=name))
    obj = Deadline(case=case, title="X", kind="other", due_on=datetime.date(2030, 3, 1))
    with pytest.raises(ValidationError, match=message):
        save_deadline(obj, actor=None, responsible=responsible)
    assert not Deadline.objects.exists()


def test_invalid_offsets_are_refused(lawyer):
    obj = Deadline(case=factories.case(lead_lawyer=lawyer), title="X", kind="other", due_on=datetime.date(2030, 3, 1))
    obj.reminder_offsets = [7, -1]
    with pytest.raises(ValidationError, match="whole days from 0 to 365"):
        save_deadline(obj, actor=lawyer, responsible=[lawyer])


def test_overdue_deadline_alerts_lead_and_editors_once(deadline, lawyer, editor, frozen, mailoutbox):
    frozen.move_to(datetime.datetime(2030, 3, 1, 14, 59, tzinfo=datetime.UTC))  # 00:59 on 2 March in Vladivostok
    assert reminders.claim_overdue() == [deadline.pk]
    assert reminders.claim_overdue() == []
    assert reminders.send_overdue_alert(deadline.pk) == 2
    assert sorted(message.to[0] for message in mailoutbox) == sorted([lawyer.email, editor.email])
    assert mailoutbox[0].subject == "Overdue: File the appeal"


def test_deadline_not_yet_passed_in_court_zone_is_not_overdue(deadline, frozen):
    frozen.move_to(datetime.datetime(2030, 3, 1, 13, 59, tzinfo=datetime.UTC))  # 23:59 on 1 March there
    assert reminders.claim_overdue() == []


def test_weekly_digest_lists_next_fourteen_days_for_opted_in_users(deadline, lawyer, other_lawyer, mailoutbox):
    UserProfile.objects.create(user=lawyer, weekly_digest=True)
    UserProfile.objects.create(user=other_lawyer, weekly_digest=False)
    later = Deadline(case=deadline.case, title="Far away", kind="other", due_on=datetime.date(2030, 6, 1))
    save_deadline(later, actor=lawyer, responsible=[lawyer])
    assert list(reminders.digest_users()) == [lawyer]
    assert reminders.send_digest(lawyer.pk, today=datetime.date(2030, 2, 20)) == 1
    assert "File the appeal" in mailoutbox[0].body and "Far away" not in mailoutbox[0].body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_the_same_moment_claim_disjoint_rows(require_postgres, lawyer, settings):
    settings.REMINDER_SWEEP_BATCH = 1000
    case = factories.case(lead_lawyer=lawyer)
    for n in range(60):
        obj = Deadline(case=case, title=f"D{n}", kind="other", due_on=datetime.date(2030, 2, 1))
        obj.reminder_offsets = [0]
        save_deadline(obj, actor=lawyer, responsible=[lawyer])
    barrier, claimed = threading.Barrier(2), []

    def sweep():
        barrier.wait()
        claimed.append(reminders.claim_due())
        connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first, second = claimed
    assert not set(first) & set(second)
    assert len(first) + len(second) == ReminderDelivery.objects.count() == 60


def test_recipient_who_lost_their_email_fails_with_a_clear_error(deadline, lawyer, frozen, mailoutbox):
    lawyer.email = ""
    lawyer.save()
    frozen.move_to(FIRST_REMINDER_DUE)
    assert send_all() == ["failed"] and mailoutbox == []
    assert "no email address" in deadline.deliveries.get(offset_days=14).last_error


@pytest.fixture
def real_smtp(smtp_server, settings):
    """Send through Django's SMTP backend to the test server; return a count of the TCP connections opened."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with mock.patch.object(smtplib.SMTP, "connect", autospec=True, side_effect=smtplib.SMTP.connect) as connect:
        yield connect


def test_consecutive_sends_share_one_smtp_connection(deadline, lawyer, other_lawyer, frozen, smtp_server, real_smtp):
    save_deadline(deadline, actor=lawyer, responsible=[lawyer, other_lawyer])
    frozen.move_to(FIRST_REMINDER_DUE)  # the 14-day reminder, for each of them
    assert send_all() == ["sent", "sent"]
    assert real_smtp.call_count == 1
    assert set(smtp_server.message_ids()) == set(
        deadline.deliveries.filter(status="sent").values_list("message_id", flat=True)
    )


def test_failed_send_drops_the_connection_and_the_next_send_reconnects(deadline, frozen, smtp_server, real_smtp):
    frozen.move_to(FIRST_REMINDER_DUE)
    assert send_all() == ["sent"]
    smtp_server.fail_with("451 4.3.0 Try again later")
    frozen.move_to(datetime.datetime(2030, 2, 22, 0, 5, tzinfo=datetime.UTC))
    assert send_all() == ["pending"]
    assert real_smtp.call_count == 1  # the failed send still used the open connection
    smtp_server.recover()
    frozen.move_to(datetime.datetime(2030, 2, 26, 0, 5, tzinfo=datetime.UTC))  # the retry and the 3-day reminder
    assert send_all() == ["cancelled", "sent"]  # both due at once: only the later one goes out
    assert real_smtp.call_count == 2
    assert len(smtp_server.messages) == 2
    assert smtp_server.messages[1]["Subject"] == "Due in 3 days: File the appeal"


def test_overdue_wording_has_russian_plurals(deadline):
    due = datetime.datetime.combine(deadline.due_on + datetime.timedelta(days=1), datetime.time(), tzinfo=deadline.zone)
    with translation.override("ru"):
        assert reminders.time_left(deadline, due + datetime.timedelta(hours=2)) == "Просрочено на 2 часа"
        assert reminders.time_left(deadline, due + datetime.timedelta(minutes=5)) == "Просрочено на 5 минут"
        assert reminders.time_left(deadline, due + datetime.timedelta(days=21)) == "Просрочено на 21 день"
