import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def new_calendar_token():
    return secrets.token_urlsafe(32)


class UserProfile(models.Model):
    """A staff member's preferences for emails and the calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("email language"), max_length=8, choices=settings.LANGUAGES, default="en")
    weekly_digest = models.BooleanField(
        _("weekly digest"), default=False, help_text=_("Email me my deadlines for the next 14 days every Monday.")
    )
    calendar_token = models.CharField(_("calendar token"), max_length=64, unique=True, default=new_calendar_token)
    calendar_hides_case_names = models.BooleanField(
        _("hide case names in calendar"),
        default=False,
        help_text=_("For calendars synced to third-party servers."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)

    def rotate_calendar_token(self):
        """Replace the calendar token, so the old feed address stops working (`cases.actions.profiles`)."""
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
