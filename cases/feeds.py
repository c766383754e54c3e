"""Atom feeds: latest public filings and decisions site-wide or per case, and the filtered case list.

Entry ids are tag URIs built from the record's kind and primary key, so they stay the
same when a case is renamed or its slug changes.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cache import depends_on_case
from .filters import CaseFilter
from .selectors import public_case_for_feed, public_latest_events

FEED_ITEMS = 50


def tag_uri(kind, pk):
    """Return a stable Atom id for a record, e.g. tag:tracker.example.org,2025:filing/12."""
    return f"tag:{urlsplit(settings.SITE_URL).hostname},2025:{kind}/{pk}"


def _midnight(date):
    return datetime.datetime.combine(date, datetime.time.min, tzinfo=datetime.UTC)


class EventFeed(Feed):
    """Public filings and decisions as Atom entries, newest first."""

    feed_type = Atom1Feed

    def item_title(self, entry):
        case_title = entry.proceeding.case.display_title
        if entry.kind == "decision":
            return _("%(case)s: decision (%(result)s)") % {
                "case": case_title,
                "result": entry.item.get_result_display(),
            }
        return f"{case_title}: {entry.item.title}"

    def item_description(self, entry):
        item = entry.item
        text = item.summary if entry.kind == "decision" else item.description
        return f"{entry.proceeding.court.display_name}. {text}".strip()

    def item_link(self, entry):
        return f"{entry.proceeding.case.get_absolute_url()}#{entry.anchor}"

    def item_guid(self, entry):
        return tag_uri(entry.kind, entry.item.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return _midnight(entry.date)


class LatestFeed(EventFeed):
    title = gettext_lazy("Surveillance litigation: latest filings and decisions")
    description = gettext_lazy("Every new public filing or decision in the cases we follow.")

    def link(self):
        return reverse("cases:home")

    def feed_guid(self):
        return tag_uri("feed", "latest")

    def items(self):
        return public_latest_events(FEED_ITEMS)


class CaseFeed(EventFeed):
    def get_object(self, request, slug):
        case = public_case_for_feed(slug)
        depends_on_case(request, case)
        return case

    def title(self, case):
        return _("%(case)s: latest filings and decisions") % {"case": case.display_title}

    def link(self, case):
        return case.get_absolute_url()

    def feed_guid(self, case):
        return tag_uri("case-feed", case.pk)

    def items(self, case):
        return public_latest_events(FEED_ITEMS, case=case)


class CaseListFeed(Feed):
    """The cases of a filtered list, as Atom entries updated with their latest activity."""

    feed_type = Atom1Feed
    title = gettext_lazy("Surveillance litigation: cases")

    def get_object(self, request):
        return request

    def link(self, request):
        query = request.GET.urlencode()
        return reverse("cases:case_list") + (f"?{query}" if query else "")

    def feed_guid(self, request):
        return tag_uri("case-list", request.GET.urlencode() or "all")

    def items(self, request):
        return CaseFilter(request.GET, request=request).qs[:FEED_ITEMS]

    def item_title(self, case):
        return case.display_title

    def item_description(self, case):
        return case.display_summary

    def item_guid(self, case):
        return tag_uri("case", case.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, case):
        return case.published_at

    def item_updateddate(self, case):
        return _midnight(case.last_activity_on) if case.last_activity_on else case.published_at
