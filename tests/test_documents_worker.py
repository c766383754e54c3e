"""Reading documents through a real `celery worker`: hostile files fail alone and the worker goes on."""

import datetime
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.actions.records import save_record
from cases.models import DocumentText, Filing
from tests import factories
from tests.test_alerts_worker import publish_to_worker  # noqa: F401  (a fixture)

from . import document_samples as samples

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.postgres]


def wait_until_read(texts, timeout=90):
    deadline = time.monotonic() + timeout
    while DocumentText.objects.filter(pk__in=[text.pk for text in texts], status="pending").exists():
        assert time.monotonic() < deadline, "documents still pending"
        time.sleep(0.5)


def test_bombs_fail_alone_and_the_worker_reads_the_next_document(
    editor,
    settings,
    tmp_path,
    celery_worker_process,
    publish_to_worker,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path
    worker = celery_worker_process(concurrency=1, MEDIA_ROOT=tmp_path, DOCUMENT_EXTRACT_SECONDS=20)
    proceeding = factories.proceeding(factories.case(published=True))
    uploads = [
        ("bomb.pdf", samples.decompression_bomb_pdf()),
        ("pages.pdf", samples.page_bomb_pdf()),
        ("junk.docx", samples.junk_docx()),
        ("fine.txt", "Читаемый текст после бомб.".encode()),
    ]
    texts = []
    for name, data in uploads:
        filing = Filing(proceeding=proceeding, filed_on=datetime.date(2020, 1, 1), kind="judgment", title=name)
        filing.document = SimpleUploadedFile(name, data)
        save_record(filing, actor=editor)  # committed: the task goes to the worker
        texts.append(DocumentText.objects.get(filing=filing))

    wait_until_read(texts)

    outcomes = [(text.status, text.reason) for text in DocumentText.objects.filter(pk__in=[t.pk for t in texts])]
    assert sorted(outcomes) == sorted(
        [("failed", "too_large"), ("failed", "too_many_pages"), ("failed", "damaged"), ("done", "")]
    )
    assert worker.process.poll() is None, "the worker must still be running"
