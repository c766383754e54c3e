"""Pages for a surveillance system, its vendor and a deployment: what they are and the cases against them."""

from django.db.models import Prefetch
from django.shortcuts import render

from ..cache import cache_public_page
from ..selectors import (
    public_deployment,
    public_deployment_challenges,
    public_deployments,
    public_system,
    public_system_challenges,
    public_systems,
    public_vendor,
    public_vendor_challenges,
    summary_case_count,
    system_timeline,
)
from .paging import page_of

PAGE_SIZE = 50


def _challenges_page(request, challenges, facet=None, record=None):
    """Return the requested page of challenges, those of record (a system or vendor) if given, of that facet."""
    # Each published case the summary counts for the record challenges it at least once: that many fill every
    # page offered for a system in many cases, which then needs no counting (45 ms for 40,000 of 100,000 cases).
    at_least = summary_case_count(facet, record.pk) if record else None
    return page_of(challenges, PAGE_SIZE, request.GET.get("page"), at_least=at_least)


@cache_public_page
def system_list(request):
    """List the public systems with their vendors and public deployments, for readers who follow systems."""
    deployments = Prefetch(
        "deployments",
        queryset=public_deployments().select_related("operator").order_by("country", "city", "slug"),
        to_attr="listed_deployments",
    )
    systems = public_systems().select_related("vendor").prefetch_related(deployments).order_by("name", "pk")
    page = page_of(systems, PAGE_SIZE, request.GET.get("page"))
    return render(request, "cases/system_list.html", {"page": page, "systems": page.object_list})


@cache_public_page
def system_detail(request, slug):
    """Show a system: its vendor, deployments, the published cases that challenge it, with remedies, in time."""
    system = public_system(slug)
    page = _challenges_page(request, public_system_challenges(system), "system", system)
    context = {
        "system": system,
        "page": page,
        "challenges": page.object_list,
        # The cases of this page of challenges, so the timeline stays as short as the page.
        "timeline": system_timeline(system.public_deployments, page.object_list),
    }
    return render(request, "cases/system_detail.html", context)


@cache_public_page
def vendor_detail(request, slug):
    """Show a vendor: its public systems and the published cases against them."""
    vendor = public_vendor(slug)
    page = _challenges_page(request, public_vendor_challenges(vendor), "vendor", vendor)
    return render(request, "cases/vendor_detail.html", {"vendor": vendor, "page": page, "challenges": page.object_list})


@cache_public_page
def deployment_detail(request, slug):
    """Show a deployment: system, operator, place, period, legal basis, scale, and the cases against it."""
    deployment = public_deployment(slug)
    page = _challenges_page(request, public_deployment_challenges(deployment))
    context = {"deployment": deployment, "page": page, "challenges": page.object_list}
    return render(request, "cases/deployment_detail.html", context)
