"""What follows any change to a case, or to a party, court or term that cases show, once it is committed."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..cache import publicly_shown, retire_case_pages, retire_list_pages
from ..search import refresh_search_vectors

# public_digest of a case whose public record is not known yet (set by migration, or after an entity edit).
UNKNOWN_DIGEST = "unknown"
# Above this many cases, an entity edit refreshes their search entries in a task instead of in the request.
SEARCH_REFRESH_INLINE = 500


def case_changed(case_id):
    """Refresh what derives from a case: its latest activity and cached pages now, the rest after commit."""
    refresh_last_activity(case_id)
    refresh_document_placement(case_id)
    retire_case_pages([case_id])
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

    refresh_case_facets([case_id])
    public_data_changed()


def refresh_document_placement(case_id):
    """Store the case and public state of its documents' texts, and of those moved out of it, before the commit."""
    from ..models import DocumentText

    # Now, not after commit: public search reads them, and must not find a document the write made confidential.
    DocumentText.objects.of_cases([case_id]).refresh_placement()


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

    refresh_search_vectors([case_id])
    refresh_public_date(case_id)
    queue_alerts_for_case(case_id)


def public_digest(case_id):
    """Return a fingerprint of the case's public record, or "" if the case is not public."""
    from ..models import Case
    from ..records import case_records

    record = next(case_records(Case.objects.public().filter(pk=case_id), base_url=""), None)
    if record is None:
        return ""
    return hashlib.sha256(json.dumps(record, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


@transaction.atomic
def refresh_public_date(case_id):
    """Move the case's public_updated_at when its public record changed; internal edits leave it alone."""
    from ..models import Case

    digest = public_digest(case_id)
    changed = Case.objects.filter(pk=case_id).exclude(public_digest=digest)
    # An unknown digest is learnt without moving the date: nobody knows whether the public record changed.
    changed.filter(public_digest=UNKNOWN_DIGEST).update(public_digest=digest)
    if changed.update(public_digest=digest, public_updated_at=timezone.now()):
        # Pages built between the commit and now show the old date.
        retire_case_pages([case_id])


def entity_changed(entity):
    """Refresh what derives from a party, court, term, vendor, system or deployment in every case that shows it.

    Call it inside the transaction that saves or deletes the entity (before a delete): the cases' cached
    pages and the lists are retired and their public date moves now; their search entries follow after commit.
    """
    if hasattr(entity, "is_published"):
        # Vendors, systems and deployments have pages of their own, public even in no case when published.
        retire_list_pages()
    case_ids = list(_cases_showing(entity).values_list("pk", flat=True).distinct())
    if not case_ids:
        return
    retire_case_pages(case_ids)
    publicly_shown(case_ids).update(public_digest=UNKNOWN_DIGEST, public_updated_at=timezone.now())
    transaction.on_commit(lambda: _refresh_search(case_ids))
    if hasattr(entity, "is_published"):
        # A system's vendor, a deployment's system or operator decide the cases' system, vendor and operator facets.
        transaction.on_commit(lambda: _refresh_facets(case_ids))


def _cases_showing(entity):
    from ..models import Case, Court, Deployment, LegalGround, Party, System, Technology, Vendor

    if isinstance(entity, Party):
        return Case.objects.filter(
            Q(participations__party=entity)
            | Q(participations__counsel__organisation=entity)
            | Q(challenges__deployment__operator=entity)
        )
    if isinstance(entity, Court):
        # A court's record names the court its appeals go to.
        return Case.objects.filter(Q(proceedings__court=entity) | Q(proceedings__court__appeals_to=entity))
    if isinstance(entity, Technology):
        return Case.objects.filter(technologies=entity)
    if isinstance(entity, LegalGround):
        return Case.objects.filter(grounds=entity)
    # What a case challenges shows its system, the system's vendor and the deployment's operator.
    if isinstance(entity, Vendor):
        return Case.objects.filter(
            Q(challenges__system__vendor=entity) | Q(challenges__deployment__system__vendor=entity)
        )
    if isinstance(entity, System):
        return Case.objects.filter(Q(challenges__system=entity) | Q(challenges__deployment__system=entity))
    if isinstance(entity, Deployment):
        return Case.objects.filter(challenges__deployment=entity)
    raise TypeError(f"{type(entity).__name__} is not an entity cases show.")


def _refresh_facets(case_ids):
    from ..summary import refresh_case_facets

    refresh_case_facets(case_ids)


def _refresh_search(case_ids):
    from ..tasks import refresh_search_vectors as refresh_task

    refresh_search_vectors(case_ids[:SEARCH_REFRESH_INLINE])
    for start in range(SEARCH_REFRESH_INLINE, len(case_ids), SEARCH_REFRESH_INLINE):
        refresh_task.delay(case_ids[start : start + SEARCH_REFRESH_INLINE])


def record_actor(instance, actor):
    """Attribute the next history record of instance to actor."""
    instance._history_user = actor
