"""Document texts: how reading each uploaded document went, its text, and a way to read it again."""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join, linebreaks
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import permissions
from ..actions.documents import request_extraction
from ..models import DocumentPage, DocumentText
from ..search import search_pages

PREVIEW_PAGES = 50


@admin.register(DocumentText)
class DocumentTextAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "case", "status", "problem", "method", "language", "page_count", "extracted_at"]
    list_filter = ["status", "method", "language", "reason"]
    list_select_related = ["filing__proceeding__case", "decision__proceeding__case"]
    search_fields = ["filing__title", "filing__proceeding__case__title", "decision__proceeding__case__title"]
    search_help_text = _(
        "Searches titles and, in full text, every page of the documents you may read, confidential ones too."
    )
    fields = [
        "filing",
        "decision",
        "status",
        "problem",
        "detail",
        "method",
        "language",
        "page_count",
        "pages_read",
        "sha256",
        "file_name",
        "requested_by",
        "requested_at",
        "extracted_at",
        "text_preview",
    ]
    readonly_fields = fields
    actions = ["read_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The one change is the "read again" action (asked without a record); the page itself is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # The text goes with its document: delete or replace the document on its filing or decision.
        return False

    @admin.display(description=_("case"))
    def case(self, obj):
        return obj.owner.proceeding.case

    @admin.display(description=_("problem"))
    def problem(self, obj):
        if obj.is_rereading:
            return _("Being read again; the text read before stays in use until then.")
        if obj.status == DocumentText.Status.FAILED:
            return obj.get_reason_display()
        if obj.is_partial:
            return _("Only %(read)s of %(total)s pages were read (the OCR limit); the rest is not searchable.") % {
                "read": obj.pages_read,
                "total": obj.page_count,
            }
        return ""

    @admin.display(description=_("text"))
    def text_preview(self, obj):
        pages = obj.pages.all()[:PREVIEW_PAGES]
        return format_html_join("", '<div id="page-{}"><h3>{}</h3>{}</div>', _page_rows(pages)) or format_html(
            "<p>{}</p>", _("No text.")
        )

    def get_queryset(self, request):
        # A confidential document's text is its case team's, like the document itself.
        return permissions.visible_document_texts(request.user, super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            pages = search_pages(DocumentPage.objects.all(), search_term)
            queryset |= self.get_queryset(request).filter(pk__in=pages.values("document_id"))
        return queryset, may_have_duplicates

    @admin.action(description=_("Read the selected documents' text again"), permissions=["change"])
    def read_again(self, request, queryset):
        for text in queryset:
            request_extraction(text, actor=request.user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Reading %(count)d document again; its current text stays in use until the new one is ready.",
                "Reading %(count)d documents again; their current text stays in use until the new one is ready.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


def _page_rows(pages):
    for page in pages:
        yield page.number, _("Page %(number)s") % {"number": page.number}, linebreaks(page.text, autoescape=True)
