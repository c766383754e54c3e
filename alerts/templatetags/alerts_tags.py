from django import template

from ..forms import FollowForm

register = template.Library()


@register.inclusion_tag("alerts/follow_form.html", takes_context=True)
def follow_form(context, case=None):
    """Render the follow form for case, or else for the public list filtered as in the current request."""
    request = context.get("request")
    query = request.GET.urlencode() if request is not None and case is None else ""
    initial = {"case": case.slug if case else "", "query": query}
    return {"follow_form": FollowForm(initial=initial)}
