"""The case page: parties and counsel, proceedings, links; publishing."""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection, models, transaction
from django.db.models import Prefetch, Q
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import permissions
from ..actions.parties import set_counsel
from ..actions.publishing import can_publish, publish_case, unpublish_case
from ..deadlines.generate import case_notices
from ..models import Case, CaseLink, Counsel, Decision, Participation, Party, Proceeding
from ..permissions import CONFIDENTIAL_CASE_FIELDS as CONFIDENTIAL_FIELDS
from ..search import index_query
from .filters import CountryInUseFilter
from .forms import (
    COUNSEL_KINDS,
    AppealFromField,
    CaseForm,
    ParticipationInlineForm,
    ProceedingInlineForm,
    ProceedingInlineFormSet,
    RowForm,
)
from .mixins import ActionAdmin, ScopedTabularInline, may_read_confidential
from .surveillance import ChallengeInline

# A search that matches more cases than this is counted from PostgreSQL's estimate: an exact count of
# half the cases reads every case (0.5 s at 100,000 cases), where stopping at this many reads a few pages.
EXACT_COUNT_LIMIT = 1000


class SearchPaginator(Paginator):
    """Count up to EXACT_COUNT_LIMIT matches exactly and estimate beyond; `estimated` says which."""

    estimated = False

    @cached_property
    def count(self):
        matches = self.object_list.order_by()
        exact = matches[: EXACT_COUNT_LIMIT + 1].count()
        if exact <= EXACT_COUNT_LIMIT:
            return exact
        self.estimated = True
        sql, params = matches.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        return max(exact, round(plan[0]["Plan"]["Plan Rows"], -2))


# Claimants first, then defendants, then everyone else, as the roles are listed.
ROLE_ORDER = models.Case(*(models.When(role=role, then=rank) for rank, role in enumerate(Participation.Role.values)))


class ParticipationInline(ScopedTabularInline):
    model = Participation
    form = ParticipationInlineForm
    fields = ["party", "role", "is_client", "note", "counsel_text"]
    autocomplete_fields = ["party"]
    show_change_link = True

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("party")
            .order_by(ROLE_ORDER, "party__name")
            .prefetch_related(Prefetch("counsel", queryset=Counsel.objects.select_related("organisation")))
        )


class ProceedingInline(ScopedTabularInline):
    model = Proceeding
    form = ProceedingInlineForm
    formset = ProceedingInlineFormSet
    fields = ["court", "procedure", "docket_number", "started_on", "ended_on", "appeals_from"]
    autocomplete_fields = ["court"]
    show_change_link = True
    fk_name = "case"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("court", "appeals_from__court")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "appeals_from":
            kwargs["form_class"] = AppealFromField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "appeals_from":
            # A plain list of this case's proceedings: no add, edit or delete popups beside it.
            field.widget = field.widget.widget
        return field


class CaseLinkInline(ScopedTabularInline):
    model = CaseLink
    form = RowForm
    fields = ["kind", "title", "url", "published_on"]


@admin.register(Case)
class CaseAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = CaseForm
    list_display = ["title", "country_name", "status", "visibility", "lead_lawyer", "filed_on", "last_activity_on"]
    list_select_related = ["lead_lawyer"]
    list_filter = [
        "status",
        CountryInUseFilter,
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
        "proceedings__numbers__value",
        "proceedings__decisions__identifiers__value",
        "participations__party__name",
        "participations__party__name_ru",
    ]
    date_hierarchy = "filed_on"
    # Counting every case again beside the filtered count costs a scan for a figure nobody needs.
    show_full_result_count = False
    autocomplete_fields = ["lead_lawyer", "team", "technologies", "grounds", "related_cases"]
    readonly_fields = ["visibility", "published_at", "last_activity_on", "created_at", "updated_at", "deadline_notices"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "title_ru", "original_title", "slug", "country", "status", "outcome", "filed_on"]
                + ["facts_date", "deadline_notices"]
            },
        ),
        (_("Summary"), {"fields": ["summary", "summary_ru", "description"]}),
        (_("Subject"), {"fields": ["technologies", "grounds", "related_cases"]}),
        (_("People"), {"fields": ["lead_lawyer", "team"]}),
        (_("Staff only"), {"fields": CONFIDENTIAL_FIELDS, "description": _("Never shown to the public.")}),
        (_("Publication"), {"fields": ["visibility", "published_at", "last_activity_on", "created_at", "updated_at"]}),
    ]
    inlines = [ParticipationInline, ProceedingInline, ChallengeInline, CaseLinkInline]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("deadline notices"))
    def deadline_notices(self, obj):
        lines = case_notices(obj) if obj.pk else []
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "-"

    def render_change_form(self, request, context, *args, **kwargs):
        # One list of firms and NGOs for every counsel field on the page to complete from.
        firms = Party.objects.filter(kind__in=COUNSEL_KINDS).order_by("name").values_list("name", flat=True)
        return super().render_change_form(request, context | {"counsel_firms": firms}, *args, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for row in formset.forms:
            if "counsel_text" in row.changed_data and row.instance.pk and not formset._should_delete_form(row):
                set_counsel(row.instance, row.cleaned_data["counsel_text"], actor=request.user)

    def get_search_results(self, request, queryset, search_term):
        """Find cases by the words of their search index and by slug, each term anywhere (PostgreSQL).

        The index holds the titles, party names, dockets, further numbers and public citations that
        `search_fields` name, so a word is one GIN lookup instead of substring scans over five joins. It has
        no confidential citations: those are matched as substrings where the user may read them. Cases not
        indexed yet (the index follows a save after commit) are searched field by field as Django does.
        """
        if connection.vendor != "postgresql" or not search_term.strip():
            return super().get_search_results(request, queryset, search_term)
        matches = Q()
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            found = Q(pk__in=self._exact_matches(request, bit))
            words = index_query(bit)
            if words is not None:
                found |= Q(search_vector=words)
            matches &= found
        unindexed, _ = super().get_search_results(request, Case.objects.filter(search_vector=None), search_term)
        # Plain ids, not subqueries: the page then walks the list's ordering index and stops at its last row.
        matches |= Q(pk__in=set(unindexed.values_list("pk", flat=True)))
        return queryset.filter(matches), False

    def _exact_matches(self, request, term):
        """Return the ids of cases whose slug is term or whose confidential citation the user may read has it."""
        slugs = Case.objects.filter(slug=term.lower()).order_by().values_list("pk")
        # The decision decides who may read its citations (`permissions.visible` guards decisions, not identifiers).
        citations = Decision.objects.filter(is_public=False, identifiers__value__icontains=term).order_by()
        citations = permissions.visible(request.user, citations).values_list("proceeding__case_id")
        return {pk for (pk,) in slugs.union(citations)}

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if connection.vendor == "postgresql" and request.GET.get(SEARCH_VAR, "").strip():
            return SearchPaginator(queryset, per_page, orphans, allow_empty_first_page)
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.query:
            # Its year links would group every match by date twice more; a search is narrowed by words.
            changelist.date_hierarchy = None
        return changelist

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "cases_case_changelist":
            # The list shows none of the long columns.
            queryset = queryset.defer("search_vector", "description", "internal_notes", "summary", "summary_ru")
        return queryset

    def action_checkbox(self, obj):
        # The same markup as Django's, without rendering a widget template for each of a page's rows.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj):
        # The column's default display flattens all 250 country choices again for every row.
        return obj.country.name

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if may_read_confidential(request, obj):
            return fieldsets
        # Internal notes are the team's: other lawyers see the case without them.
        return [(name, options) for name, options in fieldsets if options["fields"] != CONFIDENTIAL_FIELDS]

    def get_changeform_initial_data(self, request):
        # Whoever opens a new case starts on its team; a lawyer could not edit it again otherwise.
        return {"team": [request.user.pk]} | super().get_changeform_initial_data(request)

    def has_delete_permission(self, request, obj=None):
        # A published case comes down first, so deleting it is a deliberate second step.
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_published)

    def delete_view(self, request, object_id, extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None and case.is_published and super().has_delete_permission(request, case):
            self.message_user(request, _("Unpublish this case before deleting it."), messages.WARNING)
            return redirect("admin:cases_case_change", case.pk)
        return super().delete_view(request, object_id, extra_context)

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
