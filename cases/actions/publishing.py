"""Publishing and unpublishing cases."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..cache import retire_case_pages
from ..models import Case
from ..permissions import check_write, is_editor
from .events import record_actor
from .refresh import mark_changed


def can_publish(actor):
    """Return whether actor may publish; None is the system itself (management commands)."""
    return actor is None or is_editor(actor)


def _set_visibility(case, visibility, published_at, *, actor):
    if not can_publish(actor):
        raise PermissionDenied(_("Only editors can publish or unpublish cases."))
    if case.visibility == visibility:
        # Re-publishing keeps the original published_at, so feeds do not see a new item.
        return case
    # While the case is still public its pages are found and retired; afterwards only if its digest says so.
    # The records of cases in courts that appeal to its courts name those courts only while they are public.
    appealing = Case.objects.filter(proceedings__court__appeals_to__proceedings__case=case).values_list("pk", flat=True)
    retire_case_pages([case.pk, *appealing])
    case.visibility = visibility
    case.published_at = published_at
    check_write(actor, case)
    case.full_clean()
    record_actor(case, actor)
    case.save()
    mark_changed(case.pk)
    return case


@transaction.atomic
def publish_case(case, *, actor):
    """Make a case public, stamping published_at; refuse actors without `cases.publish_case`."""
    return _set_visibility(case, Case.Visibility.PUBLISHED, timezone.now(), actor=actor)


@transaction.atomic
def unpublish_case(case, *, actor):
    """Return a case to draft; refuse actors without `cases.publish_case`."""
    return _set_visibility(case, Case.Visibility.DRAFT, None, actor=actor)
