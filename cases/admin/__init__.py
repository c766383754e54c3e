"""The lawyers' admin: one module per page, all writes through `cases.actions`."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (registers the admins)
    cases,
    courts,
    deadlines,
    documents,
    parties,
    proceedings,
    revisions,
    surveillance,
)

admin.site.site_header = _("Surveillance Litigation Tracker")
admin.site.site_title = _("Litigation Tracker admin")
admin.site.index_title = _("Cases, courts and deadlines")
