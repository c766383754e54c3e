"""Public pages. Placeholder views until the public-site work lands."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from ..models import Case, Court, Party


def home(request):
    return HttpResponse("Surveillance litigation tracker")


def case_list(request):
    return HttpResponse("cases")


def case_detail(request, slug):
    case = get_object_or_404(Case.objects.public(), slug=slug)
    return HttpResponse(case.title)


def party_detail(request, slug):
    return HttpResponse(get_object_or_404(Party, slug=slug).name)


def court_detail(request, slug):
    return HttpResponse(get_object_or_404(Court, slug=slug).name)


def document_download(request, kind, pk):
    raise Http404
