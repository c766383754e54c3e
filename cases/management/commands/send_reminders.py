"""Run one reminder sweep, for deployments that prefer cron to Celery beat."""

from django.core.management.base import BaseCommand

from ... import reminders


class Command(BaseCommand):
    help = "Claim due reminder emails and queue them for the worker; also queue overdue alerts."

    def handle(self, *args, **options):
        claimed = reminders.sweep()
        overdue = reminders.escalate_overdue()
        self.stdout.write(f"Queued {claimed} reminder(s) and {overdue} overdue alert(s).")
