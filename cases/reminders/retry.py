"""The retry schedule shared by reminders and editors' alerts: exponential backoff with jitter, for a window."""

import datetime
import random

from django.conf import settings


def retry_delay(attempts):
    """Return the wait after the attempts-th failure: doubling from the base, capped, with full jitter.

    The jitter spreads many failed rows over time, so they do not retry in one burst.
    """
    exponent = min(max(attempts, 1) - 1, 32)  # 2**32 base delays is past any cap
    ceiling = min(settings.REMINDER_RETRY_BASE_SECONDS * 2**exponent, settings.REMINDER_RETRY_MAX_DELAY_SECONDS)
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def gave_up(failing_since, now):
    """Return whether something failing since failing_since has used up the retry window."""
    return now - failing_since >= datetime.timedelta(seconds=settings.REMINDER_RETRY_WINDOW_SECONDS)
