from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_delete
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Surveillance litigation")

    def ready(self):
        from .models import Case
        from .roles import sync_roles
        from .summary import forget_deleted_case

        # After every migrate (and test database flush), the groups match the roles table again.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="cases.sync_roles")
        # Every way of deleting a case passes here, and the facet summary must hear of each before the row goes.
        pre_delete.connect(forget_deleted_case, sender=Case, dispatch_uid="cases.forget_deleted_case")
