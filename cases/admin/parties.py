"""Parties, their roles in cases and their counsel, and the public vocabularies."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
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

# The add popup's parameter that answers it with an existing party instead of a new one.
USE_VAR = "_use"


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

    # In the add-related popup: the query of the popup, so that a match's link picks it in the opener's field.
    popup_query = None

    def match_message(self, match):
        cases = ngettext("in %(count)d case", "in %(count)d cases", match.case_count) % {"count": match.case_count}
        if self.popup_query is None:
            # On the add page: look at the match in a new tab without losing what was typed here.
            url, target = reverse("admin:cases_party_change", args=[match.pk]), "_blank"
        else:
            # In a popup: choose the match for the field that opened it, and close, as saving a new one would.
            query = urlencode(self.popup_query | {USE_VAR: match.pk})
            url, target = f"{reverse('admin:cases_party_add')}?{query}", None
        return format_html(
            '{}: <a href="{}"{}>{} ({}), {}</a> — {}',
            _("Likely already here"),
            url,
            format_html(' target="{}"', target) if target else "",
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

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        params = request.POST if IS_POPUP_VAR in request.POST else request.GET
        if obj is not None or IS_POPUP_VAR not in params:
            return form
        query = {IS_POPUP_VAR: 1} | ({TO_FIELD_VAR: params[TO_FIELD_VAR]} if params.get(TO_FIELD_VAR) else {})
        return type(form.__name__, (form,), {"popup_query": query})

    def add_view(self, request, form_url="", extra_context=None):
        if IS_POPUP_VAR in request.GET and USE_VAR in request.GET:
            return self.use_existing(request, request.GET[USE_VAR])
        return super().add_view(request, form_url, extra_context)

    def use_existing(self, request, object_id):
        """Answer the add popup with an existing party, as if just saved: the opener's field picks it."""
        to_field = request.GET.get(TO_FIELD_VAR)
        if to_field and not self.to_field_allowed(request, to_field):
            raise DisallowedModelAdminToField(f"The field {to_field} cannot be referenced.")
        party = self.get_object(request, object_id)
        if party is None or not self.has_view_permission(request, party):
            raise Http404
        data = {"value": str(party.serializable_value(to_field or party._meta.pk.attname)), "obj": str(party)}
        return TemplateResponse(request, "admin/popup_response.html", {"popup_response_data": json.dumps(data)})

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
