"""Creating, completing and cancelling deadlines, and keeping their reminders in step."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from .. import reminders
from ..models import Deadline
from ..permissions import check_write
from .events import record_actor
from .refresh import mark_changed

CLOSABLE = (Deadline.Status.OPEN, Deadline.Status.LAPSED)


def _store(deadline, actor, users, reason=""):
    if deadline.pk:
        # Calendar clients only take an event's update when its SEQUENCE grows.
        deadline.calendar_sequence += 1
    record_actor(deadline, actor)
    deadline._change_reason = reason or None
    deadline.save()
    reminders.schedule_reminders(deadline, users)
    mark_changed(deadline.case_id)
    return deadline


@transaction.atomic
def save_deadline(deadline, *, actor, responsible=None):
    """Validate and save a deadline; `responsible` replaces its responsible users when given."""
    check_write(actor, deadline)
    deadline.full_clean()
    if responsible is None and deadline.pk:
        responsible = list(deadline.responsible.all())
    users = reminders.recipients(deadline, responsible or [])
    if deadline.status == Deadline.Status.OPEN:
        reminders.validate_recipients(users)
    _store(deadline, actor, users)
    if responsible is not None:
        deadline.responsible.set(responsible)
    return deadline


@transaction.atomic
def save_generated_deadline(deadline, changes, *, actor, cause):
    """Apply a rule's computed changes to deadline and save it; tell the team when an open date moved.

    cause is a (message, params) pair saying why it was computed again; missing recipients become a warning.
    """
    from ..deadlines.generate import cause_text

    check_write(actor, deadline)
    old_due, old_status = (deadline.due_on, deadline.status) if deadline.pk else (None, None)
    for name, value in changes.items():
        setattr(deadline, name, value)
    deadline.full_clean()
    users = reminders.recipients(deadline, list(deadline.responsible.all()) if deadline.pk else [])
    if deadline.status == Deadline.Status.OPEN:
        problems = " ".join(reminders.recipient_problems(users))
        deadline.warning = " ".join(filter(None, [deadline.warning, problems]))[:500]
    moved = old_due is not None and old_due != deadline.due_on
    with override("en"):
        because = cause_text(cause)
        if moved:
            reason = _("Moved from %(old)s to %(new)s because %(cause)s.")
        elif old_status is None:
            reason = _("Generated because %(cause)s.")
        else:
            reason = _("Status %(status)s because %(cause)s.")
        reason %= {"old": old_due, "new": deadline.due_on, "cause": because, "status": deadline.status}
    _store(deadline, actor, users, reason)
    if moved and deadline.status == Deadline.Status.OPEN:
        from ..tasks import send_deadline_moved

        send_deadline_moved.delay_on_commit(deadline.pk, old_due.isoformat(), deadline.due_on.isoformat(), cause)
    return deadline


@transaction.atomic
def move_deadlines(proceeding, *, actor):
    """Move the deadlines of a proceeding that moved to another case along with it; their reminders follow."""
    for deadline in proceeding.deadlines.exclude(case_id=proceeding.case_id):
        deadline.case_id = proceeding.case_id
        check_write(actor, deadline)  # the team of the case it leaves, and of the one it joins
        deadline.full_clean()
        users = reminders.recipients(deadline, list(deadline.responsible.all()))
        with override("en"):
            reason = _("Moved with its proceeding to %(case)s.") % {"case": proceeding.case}
        _store(deadline, actor, users, reason)


def _close(deadline, status, actor, reason=""):
    check_write(actor, deadline)
    if deadline.status not in CLOSABLE:
        raise ValidationError(_("This deadline is already %(status)s.") % {"status": deadline.get_status_display()})
    deadline.status = status
    _store(deadline, actor, [], reason)  # scheduling a closed deadline cancels its pending reminders
    return deadline


@transaction.atomic
def complete_deadline(deadline, *, actor):
    """Mark a deadline done by actor and stop its pending reminders at once."""
    deadline.completed_by, deadline.completed_at = actor, timezone.now()
    return _close(deadline, Deadline.Status.DONE, actor)


@transaction.atomic
def cancel_deadline(deadline, *, actor, reason=""):
    """Cancel a deadline that no longer applies and stop its pending reminders at once."""
    return _close(deadline, Deadline.Status.CANCELLED, actor, reason)
