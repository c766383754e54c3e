"""What every case admin shares: writes go through the actions, lawyers edit only their own cases."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _

from ..actions.deadlines import cancel_deadline, complete_deadline, save_deadline
from ..actions.decisions import save_decision
from ..actions.records import case_id_of, delete_record, save_record
from ..actions.review import needs_review, propose_delete, propose_save
from ..models import Case, Deadline, Decision, Participation, Proceeding
from ..models.revisions import Revision

# How a record a form may point at leads to its case.
PATH_TO_CASE = {Case: "pk", Proceeding: "case", Participation: "case"}
CLOSE_DEADLINE = {"done": complete_deadline, "cancel": cancel_deadline}


def save_with_action(obj, *, actor, form=None):
    """Save obj through the action that owns its kind of record, or keep it for review (sets `pending_revision`)."""
    if needs_review(obj, actor):
        obj.pending_revision = propose_save(obj, actor=actor, m2m=form.cleaned_data if form is not None else None)
        return obj
    if isinstance(obj, Decision):
        return save_decision(obj, actor=actor)
    if isinstance(obj, Deadline):
        cleaned = form.cleaned_data if form is not None else {}
        save_deadline(obj, actor=actor, responsible=cleaned.get("responsible"))
        close = CLOSE_DEADLINE.get(cleaned.get("mark"))
        return close(obj, actor=actor) if close else obj
    return save_record(obj, actor=actor)


def delete_with_action(obj, *, actor):
    """Delete obj through its action, or keep the deletion for review."""
    if needs_review(obj, actor):
        return propose_delete(obj, actor=actor)
    return delete_record(obj, actor=actor)


def may_edit(request, obj):
    """Return whether the user may change obj: editors always, lawyers only on their own cases' records."""
    case_id = case_id_of(obj) if obj is not None else None
    if case_id is None:
        return True
    # One request asks this for the page, every inline and every permission; ask the database once.
    cache = request.__dict__.setdefault("_editable_cases", {})
    if case_id not in cache:
        cache[case_id] = Case.objects.editable_by(request.user).filter(pk=case_id).exists()
    return cache[case_id]


class CaseScopedPermissions:
    """Limit change and delete to cases the user may edit; for inlines obj is the parent record."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = PATH_TO_CASE.get(db_field.related_model)
        if path is not None:
            # A lawyer may only attach records to cases they work on.
            editable = Case.objects.editable_by(request.user)
            kwargs["queryset"] = db_field.related_model._default_manager.filter(**{f"{path}__in": editable})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class InlinePermissions(CaseScopedPermissions):
    """Make an inline read-only on cases the user may not edit."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit(request, obj)


class ScopedTabularInline(InlinePermissions, admin.TabularInline):
    pass


class ScopedStackedInline(InlinePermissions, admin.StackedInline):
    pass


class ActionAdmin(CaseScopedPermissions):
    """Route the admin's saves and deletes, including inline ones, through the actions."""

    def save_model(self, request, obj, form, change):
        self._save(request, obj, form)

    def delete_model(self, request, obj):
        delete_with_action(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                delete_with_action(obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        if not hasattr(form.instance, "pending_revision"):
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if request.__dict__.pop("_review_pending", False):
            message = _("Your changes wait for an editor's review. Until then the public sees this case as before.")
            self.message_user(request, message, messages.WARNING)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(delete_with_action(obj, actor=request.user), Revision):
                request._review_pending = True
        for inline_form in formset.saved_forms:
            self.prepare_inline(inline_form.instance, form.instance)
            self._save(request, inline_form.instance, inline_form)
        formset.save_m2m()

    def report_deadlines(self, request, obj):
        """Tell the lawyer what saving a decision did to its deadlines, e.g. that one has already passed."""
        for message in getattr(obj, "deadline_messages", ()):
            self.message_user(request, message, messages.WARNING)

    def _save(self, request, obj, form):
        save_with_action(obj, actor=request.user, form=form)
        self.report_deadlines(request, obj)
        if getattr(obj, "pending_revision", None) is not None:
            request._review_pending = True

    def prepare_inline(self, obj, parent):
        """Fill in what an inline record derives from its parent before it is validated and saved."""
