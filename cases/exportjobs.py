"""Exports too large to stream within a worker timeout, built by a Celery task into a file with a progress page.

The job keeps only the list's filters; the worker applies them through the public selector when it builds the
file, so the file holds what was public then. Files expire after settings.EXPORT_JOB_HOURS.
"""

import datetime
import itertools
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casetracker.clientip import client_over_limit

from . import exports
from .filters import CaseFilter
from .models import ExportJob


def job_dir():
    return Path(settings.EXPORT_JOB_ROOT)


def job_path(job):
    return job_dir() / f"{job.token}.{job.format}"


def start(query, fmt, fields):
    """Record an export job of the list filtered by query (a query string) and queue its build; return it."""
    from .tasks import build_export  # the tasks module imports this one

    remove_expired()
    job = ExportJob.objects.create(
        format=fmt,
        query=query,
        fields=fields,
        expires_at=timezone.now() + datetime.timedelta(hours=settings.EXPORT_JOB_HOURS),
    )
    transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def build(job_id):
    """Write the job's export to its file, counting progress a chunk at a time."""
    job = ExportJob.objects.get(pk=job_id)
    cases = CaseFilter(QueryDict(job.query)).qs
    slugs = list(exports.listed(cases))
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, total=len(slugs), done=0)

    def counted():
        rows = iter(slugs)
        while chunk := list(itertools.islice(rows, exports.CHUNK_SIZE)):
            yield from chunk
            ExportJob.objects.filter(pk=job.pk).update(done=F("done") + len(chunk))

    job_dir().mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=job_dir(), prefix=".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            texts = exports.case_texts(counted(), job.format, fields=job.fields)
            out.writelines(exports.frame(texts, job.format, job.fields or exports.FIELDS))
        os.replace(temporary, job_path(job))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED)
        raise
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.DONE, done=len(slugs))


def remove_expired():
    """Delete expired jobs and their files."""
    for job in ExportJob.objects.filter(expires_at__lte=timezone.now()):
        job_path(job).unlink(missing_ok=True)
        job.delete()


def _live_job(token):
    job = ExportJob.objects.filter(token=token, expires_at__gt=timezone.now()).first()
    if job is None:
        raise Http404
    return job


@require_POST
def start_export(request, fmt):
    """Queue a background export of the filtered list in fmt and go to its progress page."""
    if fmt not in exports.FORMATS:
        raise Http404
    filterset = CaseFilter(request.GET, request=request)
    filterset.qs  # noqa: B018  validates the filters before they are kept
    try:
        fields = exports.chosen_fields(request.GET.get("fields"))
    except exports.UnknownFields as error:
        return render(request, "cases/export_job.html", {"error": str(error)}, status=400)
    if _too_many_jobs(request):
        message = _("Too many exports are being built. Try again later, or download the whole list from /data/.")
        return render(request, "cases/export_job.html", {"error": message}, status=429)
    query = QueryDict(mutable=True)
    for name, value in filterset.form.data.lists():
        if name in filterset.filters:
            query.setlist(name, value)
    job = start(query.urlencode(), fmt, fields)
    return redirect("cases:export_job", job.token)


def _too_many_jobs(request):
    """Count one job from the client; tell whether it or the whole site has too many jobs going."""
    if client_over_limit(request, "exports.job", settings.EXPORT_JOB_RATE, settings.EXPORT_JOB_RATE_WINDOW):
        return True
    going = ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING], expires_at__gt=timezone.now()
    )
    return going.count() >= settings.EXPORT_JOBS_PENDING_MAX


def job_page(request, token):
    """Show an export job's progress, refreshing itself until its file is ready."""
    job = _live_job(token)
    response = render(request, "cases/export_job.html", {"job": job, "Status": ExportJob.Status})
    response["Cache-Control"] = "private, no-store"
    return response


def job_file(request, token):
    """Download a finished export job's file."""
    job = _live_job(token)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    try:
        source = job_path(job).open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(source, content_type=exports.FORMATS[job.format], as_attachment=True)
    response["Content-Disposition"] = f'attachment; filename="cases.{job.format}"'
    response["Cache-Control"] = "private, no-store"
    response[exports.COUNT_HEADER] = job.done
    return response
