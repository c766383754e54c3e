"""Merging duplicate parties."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import Counsel, Filing, Participation
from .events import entity_changed, record_actor
from .publishing import can_publish
from .records import delete_record, save_record
from .refresh import mark_changed, refresh_once

# What a merge copies from the duplicate when the party kept has nothing there.
FILLED_FIELDS = ["name_ru", "country", "description", "website"]


@refresh_once()
def merge_parties(keep, duplicate, *, actor):
    """Move duplicate's roles in cases and as counsel to keep, then delete duplicate; history records each step."""
    if actor is not None and not can_publish(actor):
        raise PermissionDenied(_("Only editors can merge parties."))
    case_ids = set()
    for participation in duplicate.participations.all():
        case_ids.add(participation.case_id)
        same = Participation.objects.filter(case_id=participation.case_id, party=keep, role=participation.role).first()
        if same is None:
            participation.party = keep
            record_actor(participation, actor)
            participation.save()
            continue
        # keep already has this role in this case: its row takes over the duplicate's counsel and filings,
        # each saved on its own so that its history shows the move.
        for counsel in Counsel.objects.filter(participation=participation):
            _move(counsel, "participation", same, actor)
        for filing in Filing.objects.filter(filed_by=participation):
            _move(filing, "filed_by", same, actor)
        record_actor(participation, actor)
        participation.delete()
    for counsel in duplicate.counsel_roles.select_related("participation"):
        case_ids.add(counsel.participation.case_id)
        counsel.organisation = keep
        record_actor(counsel, actor)
        counsel.save()
    for field in FILLED_FIELDS:
        if not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
    keep.full_clean()
    record_actor(keep, actor)
    keep._change_reason = _("Merged in %(party)s") % {"party": duplicate}
    keep.save()
    entity_changed(keep)  # its other cases show what it took over
    record_actor(duplicate, actor)
    duplicate._change_reason = _("Merged into %(party)s") % {"party": keep}
    duplicate.delete()
    for case_id in case_ids:
        mark_changed(case_id)
    return keep


def _move(obj, field, target, actor):
    setattr(obj, field, target)
    obj.full_clean()
    record_actor(obj, actor)
    obj.save()


@refresh_once()
def set_counsel(participation, entries, *, actor):
    """Make participation's counsel exactly entries, [(lawyer's name, firm or None), ...], keeping rows that stay."""
    from .review import needs_review, propose_delete, propose_save

    # Each row goes the way any record does: permission checked, history kept, held for review where it applies.
    existing = {(counsel.name, counsel.organisation_id): counsel for counsel in participation.counsel.all()}
    wanted = {(name, firm.pk if firm else None): firm for name, firm in entries}
    for key, counsel in existing.items():
        if key not in wanted:
            (propose_delete if needs_review(counsel, actor) else delete_record)(counsel, actor=actor)
    for (name, firm_id), firm in wanted.items():
        if (name, firm_id) not in existing:
            counsel = Counsel(participation=participation, name=name, organisation=firm)
            (propose_save if needs_review(counsel, actor) else save_record)(counsel, actor=actor)
