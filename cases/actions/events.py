"""What follows any change to a case once it is committed."""

from django.db import transaction
from django.db.models import Max

from ..cache import invalidate_public_pages
from ..search import refresh_search_vector


def case_changed(case_id):
    """Refresh what derives from a case: its latest activity now, the rest after the transaction commits."""
    refresh_last_activity(case_id)
    transaction.on_commit(lambda: _after_commit(case_id))
    refresh_summary_after_commit(case_id)


def refresh_summary_after_commit(case_id):
    """Refresh the case's facet summary and the public Last-Modified time once committed.

    After the commit, the case's related records (many-to-many too) are saved.
    """
    transaction.on_commit(lambda: _refresh_summary(case_id))


def _refresh_summary(case_id):
    from ..http import public_data_changed
    from ..summary import refresh_case_facets

    refresh_case_facets(case_id)
    public_data_changed()


def refresh_last_activity(case_id):
    """Store the date of the case's newest public filing, hearing or decision (lists sort by it)."""
    from ..models import Case, Decision, Filing, Hearing

    # Only public records count: a confidential filing must not move the case up the public list.
    dates = [
        Filing.objects.filter(proceeding__case_id=case_id, is_public=True).aggregate(latest=Max("filed_on"))["latest"],
        Decision.objects.filter(proceeding__case_id=case_id, is_public=True).aggregate(latest=Max("announced_on"))[
            "latest"
        ],
    ]
    hearing = Hearing.objects.filter(proceeding__case_id=case_id, is_public=True).order_by("-starts_at").first()
    if hearing is not None:
        dates.append(hearing.local_starts_at.date())
    latest = max((day for day in dates if day is not None), default=None)
    # A plain update: a derived date is not an edit worth a history record.
    Case.objects.filter(pk=case_id).exclude(last_activity_on=latest).update(last_activity_on=latest)


def _after_commit(case_id):
    from alerts.actions import queue_alerts_for_case

    refresh_search_vector(case_id)
    invalidate_public_pages()
    queue_alerts_for_case(case_id)


def record_actor(instance, actor):
    """Attribute the next history record of instance to actor."""
    instance._history_user = actor
