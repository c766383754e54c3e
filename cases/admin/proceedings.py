"""The proceeding page: filings, hearings, decisions and deadlines at one court."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..deadlines.generate import legal_effect, plan_lines
from ..models import Deadline, Decision, Filing, Hearing, Proceeding
from .forms import (
    DeadlineInlineForm,
    DecisionForm,
    DecisionInlineFormSet,
    FilingForm,
    FilingInlineFormSet,
    HearingForm,
    HearingInlineFormSet,
    ProceedingForm,
)
from .identifiers import DecisionIdentifierInline, ProceedingNumberInline
from .mixins import ActionAdmin, ScopedStackedInline, ScopedTabularInline


class FilingInline(ScopedStackedInline):
    model = Filing
    show_change_link = True
    form = FilingForm
    formset = FilingInlineFormSet
    verbose_name_plural = _("filings (confidential unless marked public)")


class HearingInline(ScopedTabularInline):
    model = Hearing
    show_change_link = True
    form = HearingForm
    formset = HearingInlineFormSet


class DecisionInline(ScopedStackedInline):
    model = Decision
    show_change_link = True
    form = DecisionForm
    formset = DecisionInlineFormSet


class DeadlineInline(ScopedTabularInline):
    model = Deadline
    form = DeadlineInlineForm
    fk_name = "proceeding"
    fields = ["title", "kind", "due_on", "due_time", "responsible", "status", "mark", "rule_code"]
    readonly_fields = ["status", "rule_code"]
    autocomplete_fields = ["responsible"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("responsible")


@admin.register(Proceeding)
class ProceedingAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = ProceedingForm
    list_display = ["__str__", "case", "started_on", "ended_on"]
    list_select_related = ["case", "court"]
    list_filter = ["court__level", "court"]
    search_fields = ["docket_number", "numbers__value", "case__title", "case__title_ru", "court__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["case", "court"]
    fields = ["case", "court", "procedure", "docket_number", "started_on", "ended_on", "judges", "appeals_from"]
    inlines = [ProceedingNumberInline, FilingInline, HearingInline, DecisionInline, DeadlineInline]

    def prepare_inline(self, obj, parent):
        if isinstance(obj, Deadline):
            obj.case_id = parent.case_id


class ProceedingRecordAdmin(ActionAdmin, SimpleHistoryAdmin):
    """A filing, hearing or decision on its own page: reached from its proceeding, for its history."""

    list_select_related = ["proceeding__case", "proceeding__court"]
    autocomplete_fields = ["proceeding"]
    search_fields = ["proceeding__case__title", "proceeding__docket_number"]

    @admin.display(description=_("case"), ordering="proceeding__case__title")
    def case(self, obj):
        return obj.proceeding.case


@admin.register(Filing)
class FilingAdmin(ProceedingRecordAdmin):
    form = FilingForm
    fields = ["proceeding", "filed_on", "kind", "title", "filed_by", "description", "document", "is_public"]
    list_display = ["title", "case", "proceeding", "filed_on", "kind", "is_public"]
    list_filter = ["is_public", "kind"]
    search_fields = ["title", *ProceedingRecordAdmin.search_fields]
    date_hierarchy = "filed_on"
    autocomplete_fields = ["proceeding", "filed_by"]


@admin.register(Hearing)
class HearingAdmin(ProceedingRecordAdmin):
    form = HearingForm
    fields = ["proceeding", "starts_at", "timezone", "place", "summary", "is_public"]
    list_display = ["proceeding", "case", "local_start", "is_public"]
    list_filter = ["is_public"]
    date_hierarchy = "starts_at"

    @admin.display(description=_("starts (court time)"), ordering="starts_at")
    def local_start(self, obj):
        return f"{obj.local_starts_at:%Y-%m-%d %H:%M} {obj.timezone}"


@admin.register(Decision)
class DecisionAdmin(ProceedingRecordAdmin):
    form = DecisionForm
    fields = [
        "proceeding",
        "announced_on",
        "final_form_on",
        "served_on",
        "legal_effect_on",
        "effect_computed",
        "result",
    ]
    fields += ["client_outcome", "is_final", "rule_choice", "summary", "document", "is_public"]
    readonly_fields = ["effect_computed", "rule_choice"]
    list_display = ["__str__", "case", "proceeding", "announced_on", "is_final", "is_public"]
    list_filter = ["result", "is_final", "is_public"]
    search_fields = ["identifiers__value", *ProceedingRecordAdmin.search_fields]
    date_hierarchy = "announced_on"

    @admin.display(description=_("legal effect (computed)"))
    def effect_computed(self, obj):
        if not obj.pk:
            return "-"
        day, note = legal_effect(obj)
        return f"{day} ({gettext(note)})" if day and note else day or gettext("cannot be computed: enter it")

    @admin.display(description=_("deadline rules"))
    def rule_choice(self, obj):
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in plan_lines(obj))) if obj.pk else "-"

    inlines = [DecisionIdentifierInline]
