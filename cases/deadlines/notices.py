"""The email that tells a deadline's team its date moved, and why."""

import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from ..models import Deadline
from ..reminders import recipients
from ..reminders.content import build_email, language_of
from .generate import cause_text


def send_moved_notice(deadline_id, old, new, cause):
    """Email each recipient of an open deadline, in their language, that it moved from old to new because cause.

    A date earlier than before is flagged urgent: the team may have planned for the later one.
    """
    deadline = Deadline.objects.select_related("case__lead_lawyer", "proceeding__court").get(pk=deadline_id)
    if deadline.status != Deadline.Status.OPEN:
        return 0
    old, new = datetime.date.fromisoformat(old), datetime.date.fromisoformat(new)
    urgent = new < old
    users = [user for user in recipients(deadline) if user.email]

    def subject():
        if urgent:
            return _("URGENT: deadline moved earlier: %(title)s") % {"title": deadline.display_title}
        return _("Deadline moved: %(title)s") % {"title": deadline.display_title}

    for user in users:
        context = {"deadline": deadline, "case": deadline.case, "user": user, "urgent": urgent}
        context["old_date"] = lambda: formats.date_format(old, "DATE_FORMAT")
        context["new_date"] = lambda: formats.date_format(new, "DATE_FORMAT")
        context["because"] = lambda: cause_text(cause)
        build_email("deadline_moved", context, subject, [user.email], language_of(user)).send()
    return len(users)
