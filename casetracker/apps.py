"""App configs of the project package."""

from django.contrib.admin.apps import AdminConfig


class CaseTrackerAdminConfig(AdminConfig):
    """The Django admin, served by the site that demands a second factor from editors."""

    default_site = "casetracker.admin.CaseTrackerAdminSite"
