"""The proceeding page: filings, hearings, decisions and deadlines at one court."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import Deadline, Decision, Filing, Hearing, Proceeding
from .forms import DeadlineInlineForm, DecisionForm, FilingForm, FilingInlineFormSet, HearingForm, HearingInlineFormSet
from .mixins import ActionAdmin, ScopedStackedInline, ScopedTabularInline


class FilingInline(ScopedStackedInline):
    model = Filing
    form = FilingForm
    formset = FilingInlineFormSet
    verbose_name_plural = _("filings (confidential unless marked public)")


class HearingInline(ScopedTabularInline):
    model = Hearing
    form = HearingForm
    formset = HearingInlineFormSet


class DecisionInline(ScopedStackedInline):
    model = Decision
    form = DecisionForm


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
    list_display = ["__str__", "case", "started_on", "ended_on"]
    list_select_related = ["case", "court"]
    list_filter = ["court__level", "court"]
    search_fields = ["docket_number", "case__title", "case__title_ru", "court__name"]
    date_hierarchy = "started_on"
    autocomplete_fields = ["case", "court", "appeals_from"]
    fields = ["case", "court", "docket_number", "started_on", "ended_on", "judges", "appeals_from"]
    inlines = [FilingInline, HearingInline, DecisionInline, DeadlineInline]

    def prepare_inline(self, obj, parent):
        if isinstance(obj, Deadline):
            obj.case_id = parent.case_id
