"""Changing staff profiles."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .events import record_actor


@transaction.atomic
def rotate_calendar_token(profile, *, actor):
    """Give profile a new calendar address, recording who did it; only its owner and superusers may."""
    if actor is not None and not (actor.is_superuser or actor.pk == profile.user_id):
        raise PermissionDenied(_("You may only rotate your own calendar address."))
    record_actor(profile, actor)
    profile.rotate_calendar_token()
    return profile
