"""Subscribing, confirming, unsubscribing, and turning newly public items into alerts."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from .models import Alert, AnnouncedItem, Follow, Frequency, Subscriber
from .public import case_matches_query, public_case, public_item_keys

CONFIRM_SALT = "alerts.confirm"


class BadToken(Exception):
    """A confirmation or unsubscribe token that is forged, expired or already used."""


class NotPublic(Exception):
    """A confirmation link for a case that is no longer public."""


def confirmation_token(follow, frequency):
    """Return the signed token that confirms follow at frequency."""
    return signing.dumps({"f": follow.pk, "e": follow.subscriber.email, "q": frequency}, salt=CONFIRM_SALT)


@transaction.atomic
def subscribe(email, frequency, *, case=None, query="", language="en"):
    """Record an unconfirmed follow for email and email it a confirmation link after commit.

    An existing follow keeps its frequency until the new link is confirmed, so nobody can change
    another person's alerts by typing in their address.
    """
    from . import tasks

    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        subscriber = Subscriber(email=email, language=language)
        subscriber.full_clean()
        subscriber.save()
    follow = Follow.objects.filter(subscriber=subscriber, case=case, query=query).first()
    if follow is None:
        follow = Follow(subscriber=subscriber, case=case, query=query, frequency=frequency)
        follow.full_clean()
        follow.save()
    token = confirmation_token(follow, frequency)
    tasks.send_confirmation.delay_on_commit(follow.pk, token)
    return follow


def confirm_token_data(token):
    """Return what a confirmation token signs; raise BadToken if it is forged or expired."""
    try:
        return signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ALERTS_CONFIRM_MAX_AGE)
    except signing.BadSignature as error:
        raise BadToken(str(error)) from error


def follow_of_token(token, *, for_update=False):
    """Return (follow, frequency) that a confirmation link names.

    Raise BadToken if the link is forged, expired or names no follow, and NotPublic if it follows a case
    that is no longer public.
    """
    data = confirm_token_data(token)
    follows = Follow.objects.select_for_update(of=("self",)) if for_update else Follow.objects
    follow = follows.select_related("subscriber").filter(pk=data.get("f"), subscriber__email=data.get("e")).first()
    if follow is None or data.get("q") not in Frequency.values:
        raise BadToken("unknown follow")
    if follow.case_id and public_case(follow.case_id) is None:
        raise NotPublic(follow.case_id)
    return follow, data["q"]


@transaction.atomic
def confirm_follow(token):
    """Confirm the follow a signed link names and set its frequency; raise BadToken or NotPublic if it cannot."""
    follow, frequency = follow_of_token(token, for_update=True)
    follow.frequency = frequency
    if follow.confirmed_at is None:
        follow.confirmed_at = timezone.now()
        if follow.case_id:
            # What is already public is not news to a new follower.
            _announce(follow.case_id, public_item_keys(follow.case_id))
    follow.full_clean()
    follow.save()
    return follow


@transaction.atomic
def unsubscribe(token):
    """Delete the subscriber with token and all it follows; raise BadToken if there is none."""
    deleted, _ = Subscriber.objects.filter(token=token).delete()
    if not deleted:
        raise BadToken("unknown subscriber")


def queue_alerts_for_case(case_id):
    """Record the case's newly public items as alerts for its confirmed followers; email immediate ones."""
    from . import tasks

    with transaction.atomic():
        new_items = _announce(case_id, public_item_keys(case_id))
        if not new_items:
            return 0
        alerts, subscribers = {}, set()
        for follow in _matching_follows(case_id):
            for kind, object_id in new_items:
                # One alert per subscriber and item, at the most frequent schedule that matched.
                alerts.setdefault(
                    (follow.subscriber_id, kind, object_id),
                    Alert(subscriber_id=follow.subscriber_id, follow=follow, kind=kind, object_id=object_id),
                )
            if follow.frequency == Frequency.IMMEDIATE:
                subscribers.add(follow.subscriber_id)
        Alert.objects.bulk_create(alerts.values(), ignore_conflicts=True)
        for subscriber_id in subscribers:
            tasks.send_alerts.delay_on_commit(subscriber_id, Frequency.IMMEDIATE)
    return len(alerts)


def _announce(case_id, keys):
    """Mark keys as announced and return those that were not announced before."""
    known = set(AnnouncedItem.objects.filter(case_id=case_id).values_list("kind", "object_id"))
    new_items = sorted(set(keys) - known)
    AnnouncedItem.objects.bulk_create(
        [AnnouncedItem(case_id=case_id, kind=kind, object_id=object_id) for kind, object_id in new_items],
        ignore_conflicts=True,
    )
    return new_items


_FREQUENCY_ORDER = {Frequency.IMMEDIATE: 0, Frequency.DAILY: 1, Frequency.WEEKLY: 2}


def _matching_follows(case_id):
    confirmed = Follow.objects.filter(confirmed_at__isnull=False)
    follows = list(confirmed.filter(case_id=case_id))
    list_follows = list(confirmed.filter(case__isnull=True))
    matches = {query: case_matches_query(case_id, query) for query in {follow.query for follow in list_follows}}
    follows += [follow for follow in list_follows if matches[follow.query]]
    return sorted(follows, key=lambda follow: _FREQUENCY_ORDER[follow.frequency])
