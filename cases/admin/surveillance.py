"""Vendors, systems and deployments (editors), and what each case challenges with its remedies (the team)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Challenge, Deployment, Remedy, System, Vendor
from ..permissions import CONFIDENTIAL_REMEDY_FIELDS
from .filters import CountryInUseFilter
from .forms import RowForm
from .mixins import ActionAdmin, ReturnsToCase, ScopedTabularInline, may_read_confidential


@admin.register(Vendor)
class VendorAdmin(ActionAdmin, SimpleHistoryAdmin):
    list_display = ["name", "country", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "aliases", "slug"]
    fields = ["name", "slug", "country", "website", "aliases", "description", "is_published"]


@admin.register(System)
class SystemAdmin(ActionAdmin, SimpleHistoryAdmin):
    list_display = ["name", "vendor", "is_published"]
    list_select_related = ["vendor"]
    list_filter = ["is_published", "technologies"]
    search_fields = ["name", "aliases", "slug", "vendor__name", "vendor__aliases"]
    autocomplete_fields = ["vendor", "technologies"]
    fields = ["name", "slug", "vendor", "technologies", "aliases", "description", "is_published"]


@admin.register(Deployment)
class DeploymentAdmin(ActionAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "operator", "country", "status", "started_on", "ended_on", "is_published"]
    list_select_related = ["system", "operator"]
    list_filter = ["status", "is_published", CountryInUseFilter]
    search_fields = ["slug", "system__name", "system__aliases", "operator__name", "operator__name_ru", "city"]
    autocomplete_fields = ["system", "operator"]
    fieldsets = [
        (None, {"fields": ["system", "operator", "slug", "status", "started_on", "ended_on", "is_published"]}),
        (None, {"fields": ["country", "region", "city", "latitude", "longitude"]}),
        (None, {"fields": ["legal_basis", "scale", "scale_source_url"]}),
    ]


class ChallengeInline(ScopedTabularInline):
    model = Challenge
    form = RowForm
    fields = ["deployment", "system", "claim"]
    autocomplete_fields = ["deployment", "system"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deployment__system", "system")


class RemedyInline(ScopedTabularInline):
    model = Remedy
    form = RowForm
    fields = ["kind", "date", "source_url", "public_note", *CONFIDENTIAL_REMEDY_FIELDS]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if may_read_confidential(request, obj):
            return fields
        # Private notes are the case team's: other lawyers see the outcomes without them.
        return [field for field in fields if field not in CONFIDENTIAL_REMEDY_FIELDS]


@admin.register(Challenge)
class ChallengeAdmin(ReturnsToCase, ActionAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "case"]
    list_select_related = ["case", "deployment__system", "system"]
    search_fields = ["case__title", "system__name", "deployment__system__name", "claim"]
    autocomplete_fields = ["case", "deployment", "system"]
    fields = ["case", "deployment", "system", "claim"]
    inlines = [RemedyInline]
