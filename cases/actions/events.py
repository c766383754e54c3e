"""What follows any change to a case once it is committed."""

from django.db import transaction

from ..cache import invalidate_public_pages
from ..search import refresh_search_vector


def case_changed(case_id):
    """Refresh what derives from a case after the current transaction commits."""
    transaction.on_commit(lambda: _after_commit(case_id))


def _after_commit(case_id):
    from alerts.actions import queue_alerts_for_case

    refresh_search_vector(case_id)
    invalidate_public_pages()
    queue_alerts_for_case(case_id)


def record_actor(instance, actor):
    """Attribute the next history record of instance to actor."""
    instance._history_user = actor
