"""Changes to published cases waiting for an editor (with PUBLISHED_EDITS_NEED_REVIEW): compare, approve, reject."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from ..actions.publishing import can_publish
from ..actions.review import approve_revision, changes_with_current, reject_revision
from ..models import Case
from ..models.revisions import Revision
from .mixins import HistoryPermissions, OneRefreshPerCase


@admin.register(Revision)
class RevisionAdmin(OneRefreshPerCase, HistoryPermissions, SimpleHistoryAdmin):
    list_display = ["__str__", "case", "operation", "status", "proposed_by", "proposed_at", "decided_by"]
    list_select_related = ["case", "content_type", "proposed_by", "decided_by"]
    list_filter = ["status", "operation", "content_type"]
    search_fields = ["case__title", "proposed_by__username"]
    fields = ["case", "content_type", "object_id", "operation", "status", "changes_table"]
    fields += ["proposed_by", "proposed_at", "decided_by", "decided_at", "note"]
    readonly_fields = fields
    actions = ["approve", "reject"]
    # A revision is decided by approving or rejecting it, never by restoring an earlier state of it.
    revert_allowed = False

    def get_queryset(self, request):
        # Lawyers follow the revisions of their own cases; editors see all.
        return super().get_queryset(request).filter(case__in=Case.objects.editable_by(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return can_publish(request.user)

    @admin.display(description=_("now and proposed"))
    def changes_table(self, obj):
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", changes_with_current(obj))
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("now (public)"),
            _("proposed"),
            rows,
        )

    @admin.action(description=_("Approve selected changes"), permissions=["review"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve_revision)

    @admin.action(description=_("Reject selected changes"), permissions=["review"])
    def reject(self, request, queryset):
        self._decide(request, queryset, reject_revision)

    def _decide(self, request, queryset, action):
        done = 0
        # Oldest first, so later changes to the same record win.
        for revision in queryset.order_by("proposed_at", "pk"):
            try:
                action(revision, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{revision}: {' '.join(error.messages)}", messages.ERROR)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
        message = ngettext("%(count)d change reviewed.", "%(count)d changes reviewed.", done)
        self.message_user(request, message % {"count": done}, messages.SUCCESS)
