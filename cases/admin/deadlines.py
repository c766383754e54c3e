"""Deadlines, their reminder log, calendar overrides and staff profiles."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .. import reminders
from ..actions.deadlines import cancel_deadline, complete_deadline
from ..actions.profiles import rotate_calendar_token
from ..models import CalendarOverride, Deadline, ReminderDelivery, UserProfile
from .mixins import ActionAdmin, CaseScopedPermissions, HistoryPermissions


class DeadlineForm(forms.ModelForm):
    """Refuse a deadline whose reminders could reach nobody, before anything is saved."""

    class Meta:
        model = Deadline
        fields = [
            "case",
            "proceeding",
            "title",
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
    list_display = ["title", "case", "due_on", "status", "rule_code", "warning"]
    list_select_related = ["case"]
    list_filter = ["status", "kind", "rule_code"]
    search_fields = ["title", "case__title", "case__title_ru"]
    date_hierarchy = "due_on"
    autocomplete_fields = ["case", "proceeding", "responsible"]
    readonly_fields = [
        "status",
        "rule_code",
        "trigger_date",
        "citation",
        "explanation",
        "warning",
        "source_decision",
        "completed_by",
        "completed_at",
    ]
    inlines = [DeliveryInline]
    actions = ["mark_done", "mark_cancelled"]

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
    """The delivery log: read-only, so staff can see what went out, what is waiting and what failed."""

    list_display = ["deadline", "recipient", "offset_days", "send_at", "status", "attempts", "sent_at", "last_error"]
    list_select_related = ["deadline", "recipient"]
    list_filter = ["status", "offset_days"]
    search_fields = ["deadline__title", "recipient__username", "recipient__email", "message_id"]
    date_hierarchy = "send_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(HistoryPermissions, SimpleHistoryAdmin):
    list_display = ["day", "calendar", "court", "is_open", "reason"]
    list_select_related = ["court"]
    list_filter = ["calendar", "is_open"]
    autocomplete_fields = ["court"]


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
