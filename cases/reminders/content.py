"""What reminder and alert emails say, rendered in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import UserProfile

HOUR, DAY = 3600, 86400


def language_of(user):
    try:
        return user.profile.language
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE


def admin_url(deadline):
    return settings.SITE_URL + reverse("admin:cases_deadline_change", args=[deadline.pk])


def due_label(deadline):
    """Return the due date (and time) as the court's clock shows it, with the zone's name."""
    text = formats.date_format(deadline.due_on, "DATE_FORMAT")
    if deadline.due_time:
        text += " " + formats.time_format(deadline.due_time, "TIME_FORMAT")
    else:
        text += " " + _("until 24:00")
    return f"{text} ({deadline.zone.key})"


def time_left(deadline, now):
    """Return how long is left at now, by the court's calendar: "Due today", "Due in 3 days", "Overdue by 2 hours"."""
    late = int((now - deadline.due_at).total_seconds())
    if late >= DAY:
        return ngettext("Overdue by %(count)s day", "Overdue by %(count)s days", late // DAY) % {"count": late // DAY}
    if late >= HOUR:
        count = late // HOUR
        return ngettext("Overdue by %(count)s hour", "Overdue by %(count)s hours", count) % {"count": count}
    if late >= 0:
        count = max(late // 60, 1)
        return ngettext("Overdue by %(count)s minute", "Overdue by %(count)s minutes", count) % {"count": count}
    days = (deadline.due_on - timezone.localtime(now, deadline.zone).date()).days
    if days == 0:
        return _("Due today")
    if days == 1:
        return _("Due tomorrow")
    return ngettext("Due in %(count)s day", "Due in %(count)s days", days) % {"count": days}


def build_email(template, context, subject, to, language, message_id=None):
    """Render templates/emails/<template>.txt and .html in language and return the message.

    subject is a callable, so it is translated in language too.
    """
    with translation.override(language):
        context = {**context, "site_url": settings.SITE_URL}
        if "deadline" in context:
            context |= {"due": due_label(context["deadline"]), "url": admin_url(context["deadline"])}
        if "deadlines" in context:
            context["rows"] = [(d, due_label(d), admin_url(d)) for d in context["deadlines"]]
        message = EmailMultiAlternatives(
            subject=str(subject()),
            body=render_to_string(f"emails/{template}.txt", context),
            to=to,
            headers={"Message-ID": message_id} if message_id else None,
        )
        message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def reminder_email(row, now=None):
    """Return row's reminder, stating the time left at now (the moment it is sent), not at its offset."""
    deadline, now = row.deadline, now or timezone.now()
    with translation.override(language_of(row.recipient)):
        left = time_left(deadline, now)
    return build_email(
        "reminder",
        {"deadline": deadline, "case": deadline.case, "time_left": left, "user": row.recipient},
        lambda: f"{left}: {deadline.display_title}",
        [row.recipient.email],
        language_of(row.recipient),
        row.message_id,
    )
