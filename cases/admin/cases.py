"""The case page: parties and counsel, proceedings, links; publishing."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ..actions.publishing import can_publish, publish_case, unpublish_case
from ..models import Case, CaseLink, Counsel, Participation, Proceeding
from ..permissions import CONFIDENTIAL_CASE_FIELDS as CONFIDENTIAL_FIELDS
from .forms import CaseForm, ProceedingInlineFormSet
from .mixins import ActionAdmin, ScopedTabularInline, may_read_confidential


class ParticipationInline(ScopedTabularInline):
    model = Participation
    fields = ["party", "role", "note", "counsel_names"]
    readonly_fields = ["counsel_names"]
    autocomplete_fields = ["party"]
    show_change_link = True
    verbose_name_plural = _("parties and roles (open a row to add its counsel)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("party")
            .prefetch_related(Prefetch("counsel", queryset=Counsel.objects.select_related("organisation")))
        )

    @admin.display(description=_("counsel"))
    def counsel_names(self, obj):
        return ", ".join(str(counsel) for counsel in obj.counsel.all()) or "—"


class ProceedingInline(ScopedTabularInline):
    model = Proceeding
    formset = ProceedingInlineFormSet
    fields = ["court", "docket_number", "started_on", "ended_on", "appeals_from"]
    autocomplete_fields = ["court"]
    show_change_link = True
    fk_name = "case"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("court", "appeals_from__court")


class CaseLinkInline(ScopedTabularInline):
    model = CaseLink
    fields = ["kind", "title", "url", "published_on"]


@admin.register(Case)
class CaseAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = CaseForm
    list_display = ["title", "country", "status", "visibility", "lead_lawyer", "filed_on", "last_activity_on"]
    list_select_related = ["lead_lawyer"]
    list_filter = [
        "status",
        "country",
        "technologies",
        "grounds",
        "visibility",
        ("lead_lawyer", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "title",
        "title_ru",
        "original_title",
        "slug",
        "proceedings__docket_number",
        "participations__party__name",
        "participations__party__name_ru",
    ]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["lead_lawyer", "team", "technologies", "grounds", "related_cases"]
    readonly_fields = ["visibility", "published_at", "last_activity_on", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "title_ru", "original_title", "slug", "country", "status", "outcome", "filed_on"]}),
        (_("Summary"), {"fields": ["summary", "summary_ru", "description"]}),
        (_("Subject"), {"fields": ["technologies", "grounds", "related_cases"]}),
        (_("People"), {"fields": ["lead_lawyer", "team"]}),
        (_("Staff only"), {"fields": CONFIDENTIAL_FIELDS, "description": _("Never shown to the public.")}),
        (_("Publication"), {"fields": ["visibility", "published_at", "last_activity_on", "created_at", "updated_at"]}),
    ]
    inlines = [ParticipationInline, ProceedingInline, CaseLinkInline]
    actions = ["publish", "unpublish"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_read_confidential(request, obj):
            return fieldsets
        # Internal notes are the team's: other lawyers see the case without them.
        return [(name, options) for name, options in fieldsets if options["fields"] != CONFIDENTIAL_FIELDS]

    def get_changeform_initial_data(self, request):
        # Whoever opens a new case starts on its team; a lawyer could not edit it again otherwise.
        return {"team": [request.user.pk]} | super().get_changeform_initial_data(request)

    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description=_("Publish selected cases"), permissions=["publish"])
    def publish(self, request, queryset):
        count = self._apply(request, queryset, publish_case)
        if count is not None:
            message = ngettext("Published %(count)d case.", "Published %(count)d cases.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish selected cases"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = self._apply(request, queryset, unpublish_case)
        if count is not None:
            message = ngettext("Unpublished %(count)d case.", "Unpublished %(count)d cases.", count)
            self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def _apply(self, request, queryset, action):
        """Run action on every case in queryset, all or none; report why not and return None on failure."""
        try:
            with transaction.atomic():
                for case in queryset:
                    action(case, actor=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        except ValidationError as error:
            message = _("Nothing was changed: “%(case)s” needs fixing first: %(errors)s")
            self.message_user(request, message % {"case": case, "errors": " ".join(error.messages)}, messages.ERROR)
            return None
        return len(queryset)
