import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from cases import exports
from cases.models import ExportJob
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_pages")]


@pytest.fixture
def job_root(settings, tmp_path):
    settings.EXPORT_JOB_ROOT = tmp_path / "exports"
    settings.EXPORT_MAX_CASES = 2
    settings.EXPORT_JOB_RATE = 1000  # the limit has a test of its own; here the counts of other tests add up
    return settings.EXPORT_JOB_ROOT


def body_of(response):
    return b"".join(response.streaming_content).decode()


def start(client, django_capture_on_commit_callbacks, url):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.usefixtures("tasks_run_here")
def test_a_list_too_large_to_stream_is_built_by_a_task_with_a_progress_page(
    client, job_root, django_capture_on_commit_callbacks
):
    for country in ["RU", "RU", "RU", "GB"]:
        factories.case(published=True, country=country, title=f"Case in {country}")
    factories.case(published=False, country="RU", title="Draft in RU")
    refused = client.get("/cases/export.csv?country=RU")
    assert refused.status_code == 400
    assert 'action="/cases/exports/csv/?country=RU"' in refused.content.decode()

    page_url = start(client, django_capture_on_commit_callbacks, "/cases/exports/csv/?country=RU&bogus=1")
    job = ExportJob.objects.get()
    assert job.query == "country=RU" and len(job.token) >= 40 and job.token in page_url
    page = client.get(page_url)
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert 'http-equiv="refresh"' not in html and "3 cases" in html and "<script" not in html
    download = client.get(f"{page_url}file")
    rows = list(csv.DictReader(io.StringIO(body_of(download))))
    assert sorted(row["title"] for row in rows) == ["Case in RU"] * 3 and int(download[exports.COUNT_HEADER]) == 3


def test_a_job_refreshes_itself_until_done_and_expires(client, job_root, django_capture_on_commit_callbacks):
    factories.case(published=True)
    # No worker in this test: the job stays queued.
    page_url = start(client, django_capture_on_commit_callbacks, "/cases/exports/jsonl/?fields=slug,title")
    job = ExportJob.objects.get()
    assert job.fields == ["slug", "title"]
    assert '<meta http-equiv="refresh"' in client.get(page_url).content.decode()
    assert client.get(f"{page_url}file").status_code == 404
    job.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    job.save()
    assert client.get(page_url).status_code == 404
    assert client.get("/cases/exports/job/not-the-token/").status_code == 404
    assert client.get("/cases/exports/xml/").status_code == 405
    assert client.post("/cases/exports/json/?fields=internal_notes").status_code == 400


@pytest.mark.usefixtures("tasks_run_here")
def test_a_job_holds_what_is_public_when_it_is_built(client, job_root, django_capture_on_commit_callbacks):
    factories.case(published=True, title="Public one")
    factories.case(published=True, title="Public two")
    factories.case(published=False, title="SECRET draft")
    page_url = start(client, django_capture_on_commit_callbacks, "/cases/exports/json/")
    records = json.loads(body_of(client.get(f"{page_url}file")))
    assert sorted(record["title"] for record in records) == ["Public one", "Public two"]


def test_a_client_may_start_only_a_few_jobs(
    client, job_root, settings, django_capture_on_commit_callbacks, no_cached_pages
):
    settings.EXPORT_JOB_RATE = 2
    factories.case(published=True)
    for _ in range(2):
        start(client, django_capture_on_commit_callbacks, "/cases/exports/csv/")
    refused = client.post("/cases/exports/csv/")
    assert refused.status_code == 429 and "Too many exports" in refused.content.decode()
    assert ExportJob.objects.count() == 2


def test_no_more_jobs_wait_than_the_site_allows(
    client, job_root, settings, django_capture_on_commit_callbacks, no_cached_pages
):
    settings.EXPORT_JOBS_PENDING_MAX = 1
    factories.case(published=True)
    start(client, django_capture_on_commit_callbacks, "/cases/exports/csv/")  # no worker here: it keeps waiting
    other = client.post("/cases/exports/json/", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 429 and ExportJob.objects.count() == 1


@pytest.mark.usefixtures("tasks_run_here")
def test_the_hourly_task_removes_expired_jobs_and_their_files(client, job_root, django_capture_on_commit_callbacks):
    from django.core.management import call_command
    from django_celery_beat.models import PeriodicTask

    from cases.exportjobs import job_path
    from cases.tasks import remove_expired_exports

    factories.case(published=True)
    start(client, django_capture_on_commit_callbacks, "/cases/exports/csv/")
    job = ExportJob.objects.get()
    assert job_path(job).exists()
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    remove_expired_exports.delay()

    assert not ExportJob.objects.exists() and not job_path(job).exists()
    call_command("setup_schedules", stdout=None)
    assert PeriodicTask.objects.get(task="cases.tasks.remove_expired_exports").interval.every == 1
