"""Parties, their roles in cases and their counsel, and the public vocabularies."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .. import permissions
from ..actions.parties import merge_parties
from ..models import Counsel, LegalGround, Participation, Party, Technology
from ..models.parties import likely_duplicates
from .filters import CountryInUseFilter
from .forms import RowForm
from .mixins import ActionAdmin, ReturnsToCase, ScopedTabularInline


class PartyForm(forms.ModelForm):
    """A new party, offering the existing one first when its name reads the same."""

    different_party = forms.BooleanField(
        label=_("This is a different party with the same name"),
        required=False,
        help_text=_("Tick only after checking the likely matches shown above."),
    )

    class Meta:
        model = Party
        fields = ["name", "name_ru", "slug", "kind", "country", "description", "website"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk or cleaned.get("different_party"):
            return cleaned
        for field in ("name", "name_ru"):
            if cleaned.get(field):
                for match in likely_duplicates(cleaned[field])[:3]:
                    self.add_error(field, self.match_message(match))
        return cleaned

    @staticmethod
    def match_message(match):
        cases = ngettext("in %(count)d case", "in %(count)d cases", match.case_count) % {"count": match.case_count}
        return format_html(
            '{}: <a href="{}" target="_blank">{} ({}), {}</a> — {}',
            _("Likely already here"),
            reverse("admin:cases_party_change", args=[match.pk]),
            match.name,
            match.get_kind_display(),
            cases,
            _("use this one?"),
        )


@admin.register(Party)
class PartyAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = PartyForm
    list_display = ["name", "name_ru", "kind", "country"]
    list_filter = ["kind", CountryInUseFilter]
    search_fields = ["name", "name_ru", "slug"]
    actions = ["merge"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [field for field in fields if field != "different_party"]

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or permissions.may_delete(request.user, obj)

    def has_merge_permission(self, request):
        return request.user.has_perm("cases.publish_case")

    @admin.action(description=_("Merge two selected parties into one"), permissions=["merge"])
    def merge(self, request, queryset):
        parties = list(queryset.order_by("pk"))
        if len(parties) != 2:
            self.message_user(request, _("Select exactly two parties to merge."), messages.WARNING)
            return None
        keep_pk = request.POST.get("keep")
        if keep_pk not in {str(party.pk) for party in parties}:
            context = {
                **self.admin_site.each_context(request),
                "title": _("Merge two parties"),
                "opts": self.model._meta,
                "parties": likely_party_rows(parties),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/cases/party/merge.html", context)
        keep, duplicate = sorted(parties, key=lambda party: str(party.pk) != keep_pk)
        try:
            merge_parties(keep, duplicate, actor=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        message = _("Merged “%(duplicate)s” into “%(keep)s”.") % {"duplicate": duplicate, "keep": keep}
        self.message_user(request, message, messages.SUCCESS)
        return None


def likely_party_rows(parties):
    """Return the parties with how many cases each is in, for the merge page."""
    counts = dict(
        Party.objects.filter(pk__in=[party.pk for party in parties])
        .annotate(count=Count("participations__case", distinct=True))
        .values_list("pk", "count")
    )
    for party in parties:
        party.case_count = counts[party.pk]
    return parties


class CounselInline(ScopedTabularInline):
    model = Counsel
    form = RowForm
    fields = ["name", "organisation"]
    autocomplete_fields = ["organisation"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Participation)
class ParticipationAdmin(ReturnsToCase, ActionAdmin, SimpleHistoryAdmin):
    list_display = ["party", "role", "case"]
    list_select_related = ["party", "case"]
    list_filter = ["role"]
    search_fields = ["party__name", "party__name_ru", "case__title"]
    autocomplete_fields = ["case", "party"]
    inlines = [CounselInline]


class TaxonomyAdmin(ActionAdmin, SimpleHistoryAdmin):
    list_display = ["name", "name_ru", "slug"]
    search_fields = ["name", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(Technology, TaxonomyAdmin)
admin.site.register(LegalGround, TaxonomyAdmin)
