"""Deadline reminder emails: schedule, sweep, claim, send, and the delivery log's state machine.

Every reminder is a ReminderDelivery row, unique per (deadline, recipient, offset). The database, not the
broker, is the source of truth:

    pending --sweep claims--> sending --send succeeds--> sent
       ^                         |--SMTP 4xx / no connection--> pending again, later (backoff + jitter)
       |                         |--SMTP 5xx, or retry window used up--> failed (editors get an alert)
       |                         |--the same 5xx for every message--> pending, sending paused (outage.py)
       +--lease expires----------+  (the worker died before it finished)
    pending/sending --deadline done or cancelled, or a later reminder due too--> cancelled
    failed --an admin re-sends it (cases/actions/reminders.py)--> pending

One job per module:

- `schedule`: who is reminded and when; the deadline actions call `schedule_reminders()` in their transaction.
- `sweep`: `sweep()` (a beat task every few minutes, or `manage.py send_reminders`) claims due rows with
  `select_for_update(skip_locked=True)`, so two sweeps never claim the same row, and hands each row id to the
  `send_reminder` task after commit. Retries are rows with a later `send_at`, never long ETA tasks (Redis would
  redeliver those after its visibility timeout).
- `delivery`: `send()` locks its row for the whole SMTP conversation and marks it sent in the same
  transaction. A second task for the same row waits for the lock, then sees `sent` and does nothing; a sweep
  skips the locked row. A worker killed mid-send loses its connection, so the transaction rolls back and the
  row stays `sending` until the lease expires; the next sweep claims it again. Each failed attempt's readable
  error goes into the row's attempt history.
- `retry`: the backoff schedule and the retry window (`REMINDER_RETRY_WINDOW_SECONDS`), shared with the
  editors' alert tasks.
- `outage`: a run of identical 5xx refusals pauses sending instead of failing every row.
- `connection`: each worker process keeps one SMTP connection open across sends. Every message is still its
  own SMTP transaction, bracketed by the row lock and the `sent` mark. A failed send closes the connection;
  an idle one is replaced, because servers drop idle ones.
- `content`: what the emails say. A reminder states the time left when it is sent, by the court's calendar.
- `alerts` and `digest`: overdue, failure and outage alerts; the weekly digest.

The one unavoidable duplicate: the SMTP server accepted the message, but the worker died (or the connection
dropped) before it read the server's reply or committed `sent`. We cannot know the message went, so the row
is sent again. Both copies carry the row's stable Message-ID, so mail clients and servers that deduplicate by
Message-ID show it once.
"""

from .alerts import claim_overdue, editors, escalate_overdue, send_failure_alert, send_outage_alert, send_overdue_alert
from .connection import close_shared_connection
from .content import reminder_email, time_left
from .delivery import send
from .digest import digest_users, queue_weekly_digests, send_digest
from .schedule import (
    DEFAULT_OFFSETS,
    cancel_reminders,
    new_message_id,
    offsets_for,
    recipient_problems,
    recipients,
    schedule_reminders,
    validate_recipients,
)
from .sweep import claim_due, sweep

__all__ = [
    "DEFAULT_OFFSETS",
    "cancel_reminders",
    "claim_due",
    "claim_overdue",
    "close_shared_connection",
    "digest_users",
    "editors",
    "escalate_overdue",
    "new_message_id",
    "offsets_for",
    "queue_weekly_digests",
    "recipient_problems",
    "recipients",
    "reminder_email",
    "schedule_reminders",
    "send",
    "send_digest",
    "send_failure_alert",
    "send_outage_alert",
    "send_overdue_alert",
    "sweep",
    "time_left",
    "validate_recipients",
]
