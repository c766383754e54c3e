"""Pages for a party, a court and a technology: their published cases."""

from django.core.paginator import Paginator
from django.shortcuts import render

from ..cache import cache_public_page
from ..selectors import (
    public_cases,
    public_court,
    public_court_proceedings,
    public_party,
    public_party_roles,
    public_technology,
)

PAGE_SIZE = 50


@cache_public_page
def party_detail(request, slug):
    """List a party's published cases, grouped by its role in them."""
    party = public_party(slug)
    return render(request, "cases/party_detail.html", {"party": party, "roles": public_party_roles(party)})


@cache_public_page
def court_detail(request, slug):
    """List the published cases heard by a court."""
    court = public_court(slug)
    page = Paginator(public_court_proceedings(court), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/court_detail.html", {"court": court, "page": page})


@cache_public_page
def technology_detail(request, slug):
    """List the published cases that challenge a technology."""
    technology = public_technology(slug)
    page = Paginator(public_cases().filter(technologies=technology), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/technology_detail.html", {"technology": technology, "page": page})
