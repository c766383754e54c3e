"""List filters shared by the admin pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class CountryInUseFilter(admin.SimpleListFilter):
    """Filter by country, offering only the countries the listed records use."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = set(model_admin.get_queryset(request).order_by().values_list("country", flat=True).distinct())
        return sorted(((code, countries.name(code)) for code in codes if code), key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset
