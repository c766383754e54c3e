"""Create or update the Celery beat schedules in the database, where staff can see and change them."""

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

SWEEP_MINUTES = 2


class Command(BaseCommand):
    help = "Create or update the periodic tasks: reminder sweep, overdue check, digests, dump, exports, recomputation."

    def handle(self, *args, **options):
        every_few_minutes, _ = IntervalSchedule.objects.get_or_create(
            every=SWEEP_MINUTES, period=IntervalSchedule.MINUTES
        )
        quarter_hour, _ = IntervalSchedule.objects.get_or_create(every=15, period=IntervalSchedule.MINUTES)
        hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.HOURS)
        monday_morning, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="7", day_of_week="1", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        night, _ = CrontabSchedule.objects.get_or_create(
            minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        morning, _ = CrontabSchedule.objects.get_or_create(
            minute="0", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        tasks = [
            ("Deadline reminder sweep", "cases.tasks.sweep_reminders", {"interval": every_few_minutes}),
            ("Overdue deadline check", "cases.tasks.check_overdue", {"interval": quarter_hour}),
            ("Weekly deadline digest", "cases.tasks.queue_weekly_digests", {"crontab": monday_morning}),
            ("Nightly open-data dump", "cases.tasks.write_data_dump", {"crontab": night}),
            # Expired export files would otherwise stay on disk until someone starts another export.
            ("Expired export removal", "cases.tasks.remove_expired_exports", {"interval": hourly}),
            # A new `holidays` version (or a decree it now knows) can move stored deadlines.
            ("Daily deadline recomputation", "cases.tasks.recompute_deadlines", {"crontab": morning}),
            ("Daily follower digest", "alerts.tasks.send_digests", {"crontab": morning, "args": '["daily"]'}),
            ("Weekly follower digest", "alerts.tasks.send_digests", {"crontab": monday_morning, "args": '["weekly"]'}),
        ]
        for name, task, schedule in tasks:
            # Keep a staff member's changes to the schedule; only create what is missing.
            _task, created = PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, **schedule})
            self.stdout.write(f"{'Created' if created else 'Kept'}: {name}")
