"""Print a rule's deadline for a trigger date, then how it was computed."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from ...deadlines.engine import TriggerInFuture
from ...deadlines.generate import compute_with_overrides, describe
from ...deadlines.rules import RULES, TRIGGER_LABELS, UnknownRule, get_rule


class Command(BaseCommand):
    help = "Compute a procedural deadline: prints YYYY-MM-DD, then the explanation. Rules: " + ", ".join(
        f"{code} (from: {TRIGGER_LABELS[rule.trigger]})" for code, rule in RULES.items()
    )

    def add_arguments(self, parser):
        parser.add_argument("rule", help="Rule code, e.g. ru-appeal.")
        parser.add_argument("trigger", help="The date the rule counts from (see the list above), as YYYY-MM-DD.")
        parser.add_argument("--language", default="en", choices=["en", "ru"], help="Language of the explanation.")

    def handle(self, *args, rule, trigger, language, **options):
        try:
            rule = get_rule(rule)
        except UnknownRule as exc:
            raise CommandError(str(exc)) from exc
        try:
            day = datetime.date.fromisoformat(trigger)
        except ValueError:
            raise CommandError(f"{trigger!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-05-15.") from None
        try:
            result = compute_with_overrides(rule, day)
        except TriggerInFuture as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.deadline.isoformat())
        self.stdout.write(describe(result, "", language)[0])
