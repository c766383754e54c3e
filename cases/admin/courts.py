"""Courts and forums, with their time zones and where their appeals go."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import Court
from .filters import CountryInUseFilter
from .forms import CourtForm
from .mixins import ActionAdmin


@admin.register(Court)
class CourtAdmin(ActionAdmin, SimpleHistoryAdmin):
    form = CourtForm
    list_display = ["name", "level", "country", "timezone", "appeals_to"]
    list_select_related = ["appeals_to"]
    list_filter = ["level", CountryInUseFilter]
    search_fields = ["name", "name_ru", "slug"]
    autocomplete_fields = ["appeals_to"]
