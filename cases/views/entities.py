"""Pages for a party, a court and a technology: their published cases."""

from django.shortcuts import render

from ..cache import cache_public_page
from ..selectors import (
    public_court,
    public_court_proceedings,
    public_party,
    public_party_case_count,
    public_party_cases,
    public_party_roles,
    public_technology,
    public_technology_cases,
    summary_case_count,
)
from .paging import page_of

PAGE_SIZE = 50


@cache_public_page
def party_detail(request, slug):
    """List a party's published cases, a page at a time, grouped by its role in them."""
    party = public_party(slug)
    count = public_party_case_count(party)
    page = page_of(public_party_cases(party), PAGE_SIZE, request.GET.get("page"), count=count)
    context = {"party": party, "page": page, "roles": public_party_roles(party, page.object_list)}
    return render(request, "cases/party_detail.html", context)


@cache_public_page
def court_detail(request, slug):
    """List the published cases heard by a court."""
    court = public_court(slug)
    page = page_of(public_court_proceedings(court), PAGE_SIZE, request.GET.get("page"))
    return render(request, "cases/court_detail.html", {"court": court, "page": page})


@cache_public_page
def technology_detail(request, slug):
    """List the published cases that challenge a technology."""
    technology = public_technology(slug)
    count = summary_case_count("technology", technology.pk)
    page = page_of(public_technology_cases(technology), PAGE_SIZE, request.GET.get("page"), count=count)
    return render(request, "cases/technology_detail.html", {"technology": technology, "page": page})
