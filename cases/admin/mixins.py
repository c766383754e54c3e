"""What every case admin shares: writes go through the actions, lawyers edit only their own cases."""

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _

from .. import permissions
from ..actions.deadlines import cancel_deadline, complete_deadline, save_deadline
from ..actions.decisions import save_decision
from ..actions.records import delete_record, save_record
from ..actions.refresh import refresh_once
from ..actions.review import needs_review, propose_delete, propose_save
from ..models import (
    Case,
    Deadline,
    Decision,
    DocumentPage,
    DocumentText,
    Participation,
    Proceeding,
    ReminderDelivery,
)
from ..models.revisions import Revision
from .fields import SafeAutocomplete

DERIVED_RECORDS = (ReminderDelivery, DocumentPage, DocumentText, Revision)

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
    # One request asks this for the page, every inline and every permission; ask the database once per case.
    return obj is None or permissions.may_change(request.user, obj, request.__dict__.setdefault("_team_cases", {}))


def may_read_confidential(request, obj):
    """Return whether the user may read the confidential content of obj's case (new records: yes)."""
    cache = request.__dict__.setdefault("_team_cases", {})
    return obj is None or permissions.may_see_confidential(request.user, obj, cache)


def may_read(request, obj):
    """Return whether the user may read obj, which may be confidential (team-only)."""
    return obj is None or not permissions.is_confidential(obj) or may_read_confidential(request, obj)


def confidential_step(model, field_path):
    """Return (path, model) of the first record along field_path that may be confidential, or None.

    E.g. a case's "proceedings__decisions__identifiers__value" passes through decisions, which are
    team-only unless marked public: ("proceedings__decisions", Decision).
    """
    steps = field_path.split("__")
    for index, step in enumerate(steps):
        try:
            field = model._meta.get_field(step)
        except FieldDoesNotExist:
            return None  # a lookup such as "__exact" ends the path
        if not field.is_relation:
            return None
        model = field.related_model
        name = model._meta.model_name
        if name in permissions.ALWAYS_CONFIDENTIAL or (name in permissions.VISIBILITY_FIELDS and name != "case"):
            return "__".join(steps[: index + 1]), model
    return None


class CaseScopedPermissions(SafeAutocomplete):
    """Apply `cases.permissions` to a model admin or inline; for inlines obj is the parent record."""

    def get_queryset(self, request):
        return permissions.visible(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        """Search as Django does, but match related records only where the user may read them.

        Otherwise another team's confidential decision citation would find its case in the list and in
        every autocomplete. Search fields here take no "^", "=" or "@" prefixes.
        """
        fields = self.get_search_fields(request)
        guarded = {}
        if not permissions.is_editor(request.user):
            guarded = {field: step for field in fields if (step := confidential_step(self.model, field))}
        if not guarded or not search_term:
            return super().get_search_results(request, queryset, search_term)
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            matches = Q()
            for field in fields:
                if field not in guarded:
                    matches |= Q(**{f"{field}__icontains": bit})
                    continue
                path, model = guarded[field]
                rest = field.removeprefix(f"{path}__")
                found = model._default_manager.filter(**{f"{rest}__icontains": bit})
                matches |= Q(**{f"{path}__in": permissions.visible(request.user, found)})
            terms.append(matches)
        duplicates = any(lookup_spawns_duplicates(self.opts, field) for field in fields)
        return queryset.filter(*terms), duplicates

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and may_read(request, obj)

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
    """Make an inline read-only on cases the user may not edit, and hide its confidential rows."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and may_edit(request, obj)


class ScopedTabularInline(InlinePermissions, admin.TabularInline):
    pass


class ScopedStackedInline(InlinePermissions, admin.StackedInline):
    pass


class ReturnsToCase:
    """Return to the record's case page after a plain save: the record is edited from there."""

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_case(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_case(request, obj, super().response_change(request, obj))

    def _back_to_case(self, request, obj, response):
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew", IS_POPUP_VAR)):
            return response
        return redirect("admin:cases_case_change", obj.case_id)


class HistoryPermissions(SafeAutocomplete):
    """Guard django-simple-history's pages: reading history is team-only, a revert restores content only.

    History holds every earlier version, confidential ones included, so only the record's case team and
    editors read it (shared records: anyone who may view them). Reverting needs change permission on the
    record as it is now and as it is restored (the actions check both), and never changes who can read the
    record: its visibility fields keep their current values; publishing is its own act.
    """

    revert_allowed = True

    def _current(self, request, object_id):
        """Return the record as stored now, or its latest version if deleted; 404 if it never existed."""
        model, pk = self.model, unquote(object_id)
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            if model._default_manager.filter(pk=pk).exists():
                raise PermissionDenied  # hidden from this user, e.g. another team's confidential record
            latest = model.history.filter(**{model._meta.pk.attname: pk}).order_by("-history_date").first()
            if latest is None:
                raise Http404
            obj = latest.instance
        if not permissions.may_view_history(request.user, obj):
            raise PermissionDenied
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._current(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self._current(request, object_id)
        if request.method == "POST" and self.revert_disabled(request, current):
            raise PermissionDenied
        request.reverting_from = current
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return not (self.revert_allowed and self.has_change_permission(request, obj)) or super().revert_disabled(
            request, obj
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if getattr(request, "reverting_from", None) is not None:
            fields += permissions.VISIBILITY_FIELDS.get(self.model._meta.model_name, [])
        return list(dict.fromkeys(fields))

    def keep_visibility(self, request, obj):
        """On a revert, put back the visibility the record has now."""
        current = getattr(request, "reverting_from", None)
        if current is None:
            return
        for name in permissions.VISIBILITY_FIELDS.get(obj._meta.model_name, []):
            setattr(obj, name, getattr(current, name))


class OneRefreshPerCase:
    """Refresh each case a page's save touches once, after all its rows, however many rows it saved.

    A rule the forms could not check on their own (rows changed together, deadlines recomputed from them)
    may refuse the save in an action; the whole save rolls back, and the page says why.
    """

    def _once(self, request, view, *args):
        try:
            with refresh_once():
                return view(request, *args)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._once(request, super().changeform_view, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        return self._once(request, super().changelist_view, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self._once(request, super().delete_view, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return self._once(request, super().history_form_view, object_id, version_id, extra_context)


class ActionAdmin(OneRefreshPerCase, HistoryPermissions, CaseScopedPermissions):
    """Route the admin's saves and deletes, including inline ones, through the actions."""

    def save_model(self, request, obj, form, change):
        self.keep_visibility(request, obj)
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

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Records derived from others (the reminder log, documents' text, revisions waiting for review) are
        # deleted by nobody by hand, but they go with the record they derive from.
        for model in DERIVED_RECORDS:
            perms_needed.discard(model._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def prepare_inline(self, obj, parent):
        """Fill in what an inline record derives from its parent before it is validated and saved."""
