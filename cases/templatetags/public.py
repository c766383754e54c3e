"""Template helpers for the public pages."""

from django import template
from django.utils.http import urlencode

from ..markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render staff-written Markdown as sanitised HTML."""
    return render_markdown(text)


@register.simple_tag(takes_context=True)
def toggle_url(context, name, value):
    """Return the current list URL with value added to, or removed from, the multi-valued parameter name."""
    query = context["request"].GET.copy()
    values = query.getlist(name)
    value = str(value)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    query.pop("page", None)
    return "?" + urlencode(sorted(query.lists()), doseq=True)


@register.simple_tag(takes_context=True)
def with_query(context, path):
    """Return path followed by the current query string without `page`, e.g. for CSV and Atom links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return f"{path}?{query.urlencode()}" if query else path
