"""The admin page for bulk import: upload, preview every row's errors, then import in one go."""

import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..imports import import_file
from ..models import Case

# An upload waits this long between its preview and the import.
PENDING_SECONDS = 3600


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("CSV, JSON or JSON Lines in the export format, UTF-8.")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        return upload


def _pending_key(token, user):
    return f"case-import:{user.pk}:{token}"


def import_cases_view(request):
    """Preview an uploaded file (a dry run), then import the same upload when the user confirms."""
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    context = {**admin.site.each_context(request), "title": _("Import cases"), "opts": Case._meta}
    if request.method == "POST" and request.POST.get("token"):
        pending = cache.get(_pending_key(request.POST["token"], request.user))
        if pending is None:
            messages.error(request, _("The upload has expired. Please upload the file again."))
            return redirect("admin_case_import")
        result = import_file(pending["content"], pending["name"], actor=request.user, dry_run=False)
        if result.written:
            cache.delete(_pending_key(request.POST["token"], request.user))
            messages.success(request, _("Imported %(count)s cases.") % {"count": len(result.rows)})
            return redirect("admin:cases_case_changelist")
        return render(request, "admin/cases/case/import.html", {**context, "form": ImportForm(), "result": result})
    form = ImportForm(request.POST or None, request.FILES or None)
    result = token = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        result = import_file(content, upload.name, actor=request.user, dry_run=True)
        if result.ok:
            token = uuid.uuid4().hex
            cache.set(_pending_key(token, request.user), {"name": upload.name, "content": content}, PENDING_SECONDS)
    return render(request, "admin/cases/case/import.html", {**context, "form": form, "result": result, "token": token})
