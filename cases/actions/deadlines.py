"""Creating, completing and cancelling deadlines."""
from django.db import transaction
from django.utils import timezone

from ..models import Deadline
from .events import record_actor


@transaction.atomic
def save_deadline(deadline, *, actor, responsible=None):
    """Validate and save a manual deadline; `responsible` replaces its responsible users when given."""
    deadline.full_clean()
    record_actor(deadline, actor)
    deadline.save()
    if responsible is not None:
        deadline.responsible.set(responsible)
    return deadline


@transaction.atomic
def complete_deadline(deadline, *, actor):
    """Mark a deadline done by actor."""
    deadline.status = Deadline.Status.DONE
    deadline.completed_by = actor
    deadline.completed_at = timezone.now()
    record_actor(deadline, actor)
    deadline.save()
    return deadline


@transaction.atomic
def cancel_deadline(deadline, *, actor):
    """Cancel a deadline that no longer applies."""
    deadline.status = Deadline.Status.CANCELLED
    record_actor(deadline, actor)
    deadline.save()
    return deadline
