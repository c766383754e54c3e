"""Parties, their roles in cases and their counsel, and the public vocabularies."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Counsel, LegalGround, Participation, Party, Technology
from .mixins import ActionAdmin, ScopedTabularInline


@admin.register(Party)
class PartyAdmin(ActionAdmin, SimpleHistoryAdmin):
    list_display = ["name", "name_ru", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "name_ru", "slug"]


class CounselInline(ScopedTabularInline):
    model = Counsel
    fields = ["name", "organisation"]
    autocomplete_fields = ["organisation"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation")


@admin.register(Participation)
class ParticipationAdmin(ActionAdmin, SimpleHistoryAdmin):
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
