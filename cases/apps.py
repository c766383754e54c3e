from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Surveillance litigation")

    def ready(self):
        from .roles import sync_roles

        # After every migrate (and test database flush), the groups match the roles table again.
        post_migrate.connect(sync_roles, sender=self, dispatch_uid="cases.sync_roles")
