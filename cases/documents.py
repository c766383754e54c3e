"""Serving uploaded documents: staff get those they may view (confidential: team only), the public only public ones."""

from django.contrib import admin
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from . import permissions
from .models import Decision, Filing
from .selectors import public_case_items
from .slugs import transliterate
from .uploads import ALLOWED_TYPES, extension_of

DOCUMENT_MODELS = {"filing": Filing, "decision": Decision}


def _document_owner(request, kind):
    """Return the queryset this request may download kind from."""
    model = DOCUMENT_MODELS.get(kind)
    if model is None:
        raise Http404("No such kind of document.")
    # Staff means someone the admin would let in (including its second factor), with view permission.
    if admin.site.has_permission(request) and request.user.has_perm(f"cases.view_{model._meta.model_name}"):
        # Confidential documents only for their case's team and editors.
        return permissions.visible(request.user, model.objects.all()), True
    return public_case_items(kind), False


def download_name(kind, obj, extension):
    """Return an ASCII file name built from the record, never from what the uploader called the file."""
    if kind == "filing":
        label = f"{obj.filed_on:%Y-%m-%d}-{obj.title}"
    else:
        label = f"{obj.announced_on:%Y-%m-%d}-decision-{obj.get_result_display()}"
    return f"{slugify(transliterate(label))[:100] or kind}.{extension}"


@require_safe
def document_download(request, kind, pk):
    """Send a filing's or decision's document as an attachment, or 404 if this request may not see it."""
    queryset, staff = _document_owner(request, kind)
    obj = queryset.filter(pk=pk).first()
    if obj is None or not obj.document:
        raise Http404("No such document.")
    extension = extension_of(obj.document.name)
    if extension not in ALLOWED_TYPES:
        raise Http404("No such document.")
    try:
        handle = obj.document.open("rb")
    except FileNotFoundError:
        raise Http404("The document file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(kind, obj, extension),
        content_type=ALLOWED_TYPES[extension],
    )
    response["X-Content-Type-Options"] = "nosniff"
    if staff:
        # Confidential documents must never land in a shared cache.
        patch_cache_control(response, private=True, no_store=True)
    return response
