"""Set the staff groups' permissions to the roles table in cases/roles.py."""

from django.core.management.base import BaseCommand

from cases.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Create the staff groups and set their permissions to exactly those in cases/roles.py."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(f"Synced roles: {', '.join(ROLES)}.")
