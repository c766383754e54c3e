"""Deadlines, their reminder log, calendar overrides and staff profiles."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .. import reminders
from ..actions.calendar import delete_calendar_override, save_calendar_override
from ..actions.deadlines import cancel_deadline, complete_deadline
from ..actions.profiles import rotate_calendar_token
from ..actions.reminders import resend_deliveries
from ..models import CalendarOverride, Deadline, ReminderDelivery, UserProfile
from .fields import OffsetsField
from .mixins import ActionAdmin, CaseScopedPermissions, HistoryPermissions


class DeadlineForm(forms.ModelForm):
    """Refuse a deadline whose reminders could reach nobody, before anything is saved."""

    reminder_offsets = OffsetsField(
        label=_("reminders, days before"),
        required=False,
        help_text=_("E.g. 14, 7, 3, 1, 0. Blank uses the kind's default."),
    )

    class Meta:
        model = Deadline
        fields = [
            "case",
            "proceeding",
            "title",
            "title_ru",
            "kind",
            "due_on",
            "due_time",
            "responsible",
            "reminder_offsets",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("case") and self.instance.status == Deadline.Status.OPEN:
            self.instance.case = cleaned["case"]
            for problem in reminders.recipient_problems(
                reminders.recipients(self.instance, list(cleaned.get("responsible") or []))
            ):
                self.add_error("responsible", problem)
        return cleaned


class DeliveryInline(admin.TabularInline):
    model = ReminderDelivery
    fields = ["recipient", "offset_days", "send_at", "status", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")


@admin.register(Deadline)
class DeadlineAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = DeadlineForm
    list_display = ["display_title", "case", "due_on", "status", "is_provisional", "rule_code", "warning"]
    list_select_related = ["case"]
    list_filter = ["status", "kind", "is_provisional", "rule_code"]
    search_fields = ["title", "title_ru", "case__title", "case__title_ru"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["case", "proceeding", "responsible"]
    readonly_fields = [
        "status",
        "rule_code",
        "trigger_date",
        "citation",
        "how_computed",
        "warning",
        "is_provisional",
        "calendar_version",
        "source_decision",
        "completed_by",
        "completed_at",
    ]
    inlines = [DeliveryInline]
    actions = ["mark_done", "mark_cancelled"]

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, obj):
        return obj.display_title

    @admin.display(description=_("how it was computed"))
    def how_computed(self, obj):
        return linebreaksbr(obj.display_explanation)

    def _close(self, request, queryset, action):
        closed = 0
        for deadline in queryset:
            try:
                action(deadline, actor=request.user)
                closed += 1
            except ValidationError as exc:
                self.message_user(request, f"{deadline}: {' '.join(exc.messages)}", messages.WARNING)
        self.message_user(request, ngettext("%d deadline closed.", "%d deadlines closed.", closed) % closed)

    @admin.action(description=_("Mark selected deadlines done"), permissions=["change"])
    def mark_done(self, request, queryset):
        self._close(request, queryset, complete_deadline)

    @admin.action(description=_("Cancel selected deadlines"), permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._close(request, queryset, cancel_deadline)


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(CaseScopedPermissions, admin.ModelAdmin):
    """The delivery log: read-only, so staff can see what went out, what is waiting and what failed.

    Its one write is the action that re-sends failed reminders.
    """

    list_display = ["deadline", "recipient", "offset_days", "send_at", "status", "attempts", "sent_at", "last_error"]
    list_select_related = ["deadline", "recipient"]
    list_filter = ["status", "offset_days"]
    search_fields = ["deadline__title", "recipient__username", "recipient__email", "message_id"]
    date_hierarchy = "send_at"
    exclude = ["attempt_log"]
    readonly_fields = ["attempt_history"]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The log is never edited by hand: a delivery goes with its deadline (ActionAdmin.get_deleted_objects).
        return False

    def has_resend_permission(self, request):
        # Whoever may change deadlines may ask for their reminders again.
        return request.user.has_perm("cases.change_deadline")

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and (outage := reminders.outage.current()):
            self.message_user(
                request,
                _("Reminder emails are paused since %(paused_at)s: the mail server refuses every message (%(error)s).")
                % {
                    "paused_at": formats.date_format(timezone.localtime(outage.paused_at), "DATETIME_FORMAT"),
                    "error": outage.error,
                },
                messages.ERROR,
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("attempt history"))
    def attempt_history(self, obj):
        entries = [
            (
                formats.date_format(
                    timezone.localtime(datetime.datetime.fromisoformat(entry["at"])), "DATETIME_FORMAT"
                ),
                entry.get("error") or entry.get("note", ""),
            )
            for entry in obj.attempt_log
        ]
        if not entries:
            return "-"
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}: {}</li>", entries))

    @admin.action(description=_("Re-send selected failed reminders"), permissions=["resend"])
    def resend(self, request, queryset):
        resent = resend_deliveries(queryset, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%d failed reminder queued to be sent again.", "%d failed reminders queued to be sent again.", resent
            )
            % resent,
        )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(HistoryPermissions, SimpleHistoryAdmin):
    """Overrides move the deadlines they touch, so every save and delete goes through the calendar actions."""

    list_display = ["day", "calendar", "court", "is_open", "reason"]
    list_select_related = ["court"]
    list_filter = ["calendar", "is_open"]
    autocomplete_fields = ["court"]

    def save_model(self, request, obj, form, change):
        save_calendar_override(obj, actor=request.user)

    def delete_model(self, request, obj):
        delete_calendar_override(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for override in queryset:
                delete_calendar_override(override, actor=request.user)


@admin.register(UserProfile)
class UserProfileAdmin(HistoryPermissions, SimpleHistoryAdmin):
    list_display = ["user", "language", "weekly_digest", "calendar_hides_case_names"]
    list_select_related = ["user"]
    fields = ["user", "language", "weekly_digest", "calendar_hides_case_names", "calendar_url"]
    readonly_fields = ["calendar_url"]
    autocomplete_fields = ["user"]
    actions = ["rotate_tokens"]
    # Reverting could bring back a calendar address that was rotated away because it leaked.
    revert_allowed = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # Staff see and change only their own profile; superusers manage everyone's.
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + ([] if request.user.is_superuser else ["user"])

    def changelist_view(self, request, extra_context=None):
        # Actions arrive as POSTs to the changelist; get_queryset keeps them to the user's own profile.
        if request.user.is_superuser or request.method == "POST":
            return super().changelist_view(request, extra_context)
        # Everyone else has exactly one profile, their own, made on first visit.
        profile, _created = UserProfile.objects.get_or_create(user=request.user)
        return redirect("admin:cases_userprofile_change", profile.pk)

    @admin.display(description=_("calendar address"))
    def calendar_url(self, obj):
        from ..calendar import feed_url

        return feed_url(obj) if obj.pk else "-"

    @admin.action(description=_("Rotate calendar addresses (old ones stop working)"))
    def rotate_tokens(self, request, queryset):
        for profile in queryset:
            rotate_calendar_token(profile, actor=request.user)
        self.message_user(request, _("Calendar addresses rotated."))
