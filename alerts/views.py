"""The follow form's target and the pages behind the confirmation and unsubscribe links."""

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors
from cases.filters import CaseFilter

from . import actions
from .forms import FollowForm
from .models import Subscriber
from .public import public_case
from .ratelimit import follow_limited


def _list_query(raw):
    """Return the list filter as a canonical query string of its filters only, or None if it is invalid."""
    given = QueryDict(raw.lstrip("?"))
    params = QueryDict(mutable=True)
    # Paging, sorting and output format are not part of what a list follow matches.
    for name in CaseFilter.base_filters:
        values = [value for value in given.getlist(name) if value]
        if values and name != "sort":
            params.setlist(name, values)
    if not CaseFilter(params, queryset=selectors.public_cases()).is_valid():
        return None
    return params.urlencode()


# The form sits on cached public pages, which cannot carry a per-visitor CSRF token. A forged post can do no
# more than send one rate-limited confirmation email, and nothing happens until its link is opened.
@csrf_exempt
@require_POST
def follow(request):
    """Record a follow and send the confirmation link; the form never says whether an address is known."""
    form = FollowForm(request.POST)
    case = None
    if form.is_valid():
        data = form.cleaned_data
        if data["case"]:
            case = selectors.public_cases().filter(slug=data["case"]).first()
            if case is None:
                form.add_error(None, _("This case cannot be followed."))
        else:
            data["query"] = _list_query(data["query"])
            if data["query"] is None:
                form.add_error(None, _("This list filter is not valid."))
    if not form.is_valid():
        return render(request, "alerts/follow.html", {"form": form}, status=400)
    if follow_limited(request, data["email"]):
        response = render(request, "alerts/rate_limited.html", status=429)
        response["Retry-After"] = str(settings.ALERTS_RATE_WINDOW)
        return response
    actions.subscribe(
        data["email"],
        data["frequency"],
        case=case,
        query="" if case else data["query"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return render(request, "alerts/check_email.html", {"email": data["email"], "case": case})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """Show a button that confirms the follow (GET), and confirm it (POST)."""
    try:
        if request.method == "GET":
            actions.follow_of_token(token)
            return render(request, "alerts/confirm.html", {"token": token})
        follow = actions.confirm_follow(token)
    except actions.BadToken:
        return render(request, "alerts/bad_link.html", status=400)
    except actions.NotPublic:
        # Says nothing of the case: not its title, not whether it still exists as a draft.
        return render(request, "alerts/not_public.html", status=410)
    case = public_case(follow.case_id) if follow.case_id else None
    return render(request, "alerts/confirmed.html", {"follow": follow, "case": case})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a CSRF token; the secret token is the check.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Show a button that unsubscribes (GET), and delete the address with everything it follows (POST)."""
    if request.method == "GET":
        if not Subscriber.objects.filter(token=token).exists():
            return render(request, "alerts/bad_link.html", status=400)
        return render(request, "alerts/unsubscribe.html", {"token": token})
    try:
        actions.unsubscribe(token)
    except actions.BadToken:
        return render(request, "alerts/bad_link.html", status=400)
    return render(request, "alerts/unsubscribed.html")
