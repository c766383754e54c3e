"""Followers: only the address, what it follows, how often, and the log of what was sent."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


class ItemKind(models.TextChoices):
    FILING = "filing", _("Filing")
    HEARING = "hearing", _("Hearing")
    DECISION = "decision", _("Decision")


class Subscriber(models.Model):
    """An email address that follows something; deleting it removes every trace of the address."""

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(_("email language"), max_length=8, choices=settings.LANGUAGES, default="en")
    # Random rather than signed so that an unsubscribe link stops working once used.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email


class Follow(models.Model):
    """One subscriber following one case, or every case matching a public list filter."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="follows", verbose_name=_("subscriber")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="follows", verbose_name=_("case")
    )
    query = models.CharField(
        _("list filter"), max_length=1000, blank=True, help_text=_("The public list's query string, for list follows.")
    )
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "case", "query"],
                name="follow_unique_target",
                violation_error_message=_("This address already follows this."),
            ),
            models.UniqueConstraint(
                fields=["subscriber", "query"],
                condition=models.Q(case__isnull=True),
                name="follow_unique_list_query",
                violation_error_message=_("This address already follows this list."),
            ),
        ]

    def __str__(self):
        return f"{self.subscriber} → {self.case or self.query or '*'}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class AnnouncedItem(models.Model):
    """A filing, hearing or decision already seen public, so it is announced only once, ever."""

    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="announced_item_unique",
                violation_error_message=_("This item has already been announced."),
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class Alert(models.Model):
    """One new item for one subscriber: pending until sent, then the record that it was sent."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    # The follow that matched decides the frequency it is sent at.
    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "object_id"],
                name="alert_once_per_item",
                violation_error_message=_("This subscriber already has an alert for this item."),
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} → {self.subscriber_id}"
