import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import AuditHistory, in_language


def validate_offsets(value):
    """Require a list of distinct whole days between 0 and 365."""
    if not isinstance(value, list) or not all(isinstance(day, int) and 0 <= day <= 365 for day in value):
        raise ValidationError(_("Give reminder offsets as whole days from 0 to 365, e.g. [14, 7, 3, 1, 0]."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Each reminder offset may appear only once."))


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Deadline.Status.OPEN)

    def for_user(self, user):
        """Return deadlines user is reminded of: named responsible, or on the team when none is named."""
        team = models.Q(case__team=user) | models.Q(case__lead_lawyer=user)
        return self.filter(models.Q(responsible=user) | (models.Q(responsible__isnull=True) & team)).distinct()


class Deadline(models.Model):
    """Something a lawyer must do by a date, computed from a rule or entered by hand."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("Appeal")
        CASSATION = "cassation", _("Cassation")
        APPLICATION = "application", _("International application")
        SUBMISSION = "submission", _("Submission or reply")
        HEARING = "hearing", _("Hearing preparation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        # Set only by the rules: a generated deadline that had passed when recorded, or no longer applies.
        LAPSED = "lapsed", _("Passed when recorded")
        NOT_APPLICABLE = "not_applicable", _("No longer applies")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("case"))
    proceeding = models.ForeignKey(
        "cases.Proceeding",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("proceeding"),
    )
    title = models.CharField(_("title"), max_length=300)
    title_ru = models.CharField(
        _("title in Russian"),
        max_length=300,
        blank=True,
        help_text=_("Optional; shown to Russian-speaking staff. Generated deadlines fill it in."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    due_on = models.DateField(_("due on"), help_text=_("The last day, in the court's time zone."))
    due_time = models.TimeField(
        _("due time"), null=True, blank=True, help_text=_("Optional; blank means until 24:00 in the court's time zone.")
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="deadlines",
        verbose_name=_("responsible"),
        help_text=_("Who gets the reminders. Blank means the whole case team."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completed_deadlines",
        verbose_name=_("completed by"),
        editable=False,
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    reminder_offsets = models.JSONField(
        _("reminder offsets"),
        default=list,
        blank=True,
        validators=[validate_offsets],
        help_text=_(
            "Days before the deadline to send reminders, e.g. [14, 7, 3, 1, 0]. Blank uses the kind's default."
        ),
    )
    rule_code = models.CharField(_("rule"), max_length=40, blank=True, editable=False)
    trigger_date = models.DateField(_("trigger date"), null=True, blank=True, editable=False)
    citation = models.CharField(_("legal citation"), max_length=300, blank=True, editable=False)
    explanation = models.TextField(_("how it was computed"), blank=True, editable=False)
    explanation_ru = models.TextField(_("how it was computed, in Russian"), blank=True, editable=False)
    is_provisional = models.BooleanField(
        _("provisional"),
        default=False,
        editable=False,
        help_text=_("The calendar does not know the deadline's year yet; the date may move when it does."),
    )
    calendar_version = models.CharField(_("holiday calendar version"), max_length=20, blank=True, editable=False)
    source_decision = models.ForeignKey(
        "cases.Decision",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("generated from decision"),
        editable=False,
    )
    warning = models.CharField(_("warning"), max_length=500, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    overdue_notified_at = models.DateTimeField(_("overdue alert sent at"), null=True, blank=True, editable=False)

    objects = DeadlineQuerySet.as_manager()
    # A moved deadline's reason names both dates and the cause: longer than the default 100 characters.
    history = AuditHistory(m2m_fields=["responsible"], history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["due_on", "due_time", "pk"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", completed_at__isnull=False) | ~models.Q(status="done"),
                name="deadline_done_has_completed_at",
                violation_error_message=_("A deadline marked done needs the time it was done."),
            ),
            models.UniqueConstraint(
                fields=["source_decision", "rule_code"],
                condition=models.Q(source_decision__isnull=False),
                name="deadline_one_per_decision_and_rule",
                violation_error_message=_("This decision already has a deadline from this rule."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="deadline_status_due_idx")]

    def __str__(self):
        return f"{self.display_title} ({self.due_on})"

    @property
    def zone(self):
        """Return the time zone the deadline runs in: its court's, else the site's."""
        if self.proceeding_id:
            return self.proceeding.court.zone
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def due_at(self):
        """Return the aware moment the deadline passes: due_time, else 24:00 of due_on, in the court's zone."""
        if self.due_time:
            return datetime.datetime.combine(self.due_on, self.due_time, tzinfo=self.zone)
        return datetime.datetime.combine(self.due_on + datetime.timedelta(days=1), datetime.time(), tzinfo=self.zone)

    @property
    def display_title(self):
        return in_language(self.title, self.title_ru)

    @property
    def display_explanation(self):
        return in_language(self.explanation, self.explanation_ru)

    def clean(self):
        if self.proceeding_id and self.case_id and self.proceeding.case_id != self.case_id:
            raise ValidationError({"proceeding": _("The proceeding must belong to the same case.")})


class ReminderDelivery(models.Model):
    """One reminder email for one deadline, recipient and offset: the delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("deadline")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_deliveries",
        verbose_name=_("recipient"),
    )
    offset_days = models.PositiveSmallIntegerField(_("days before"))
    send_at = models.DateTimeField(_("send at"), db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    attempt_log = models.JSONField(
        _("attempt history"), default=list, blank=True, help_text=_("Each failed attempt: when, and the error.")
    )
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)

    class Meta:
        ordering = ["send_at"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "recipient", "offset_days"],
                name="delivery_one_per_deadline_recipient_offset",
                violation_error_message=_("This reminder is already scheduled for this person."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="delivery_sent_has_sent_at",
                violation_error_message=_("A sent reminder needs the time it was sent."),
            ),
        ]
        indexes = [models.Index(fields=["status", "send_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.deadline} → {self.recipient} ({self.offset_days}d)"


class CalendarOverride(models.Model):
    """A staff exception to a holiday calendar: a court closure or an extra working day."""

    class Calendar(models.TextChoices):
        RU = "RU", _("Russia")
        US = "US", _("United States federal")
        US_6103 = "US-6103", _("United States Supreme Court (5 U.S.C. 6103 holidays)")
        GB_ENG = "GB-ENG", _("England and Wales")

    calendar = models.CharField(_("calendar"), max_length=10, choices=Calendar.choices)
    court = models.ForeignKey(
        "cases.Court",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("court"),
        help_text=_("Blank applies to every court on this calendar."),
    )
    day = models.DateField(_("day"))
    is_open = models.BooleanField(
        _("court open"), default=False, help_text=_("Tick for an extra working day; leave unticked for a closure.")
    )
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "court", "day"],
                name="calendar_override_one_per_court_day",
                violation_error_message=_("This court already has an exception on this calendar for this day."),
            ),
            models.UniqueConstraint(
                fields=["calendar", "day"],
                condition=models.Q(court__isnull=True),
                name="calendar_override_one_per_day",
                violation_error_message=_("This calendar already has an exception for this day."),
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.get_calendar_display()}: {self.reason}"

    def as_engine_override(self):
        """Return the rules engine's plain form of this override."""
        from ..deadlines.calendars import Override

        return Override(day=self.day, open=self.is_open, reason=self.reason)
