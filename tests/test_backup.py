"""`make backup` / `make restore`: a backup restored into an empty database serves the same public pages."""

import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Case
from tests import factories

PAGES = ["/", "/cases/", "/cases/?q=popova", "/stats/", "/ru/cases/", "/cases/feed.atom", "/sitemap.xml"]
# Per-response values that differ between two fetches of the same page.
VOLATILE = re.compile(r'nonce="[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')


def public_pages(client, case):
    cache.clear()  # compare what the database serves, not what the page cache kept
    pages = {}
    for path in [*PAGES, case.get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = VOLATILE.sub("", response.content.decode())
    return pages


def empty_the_database():
    """Drop every table, as in a freshly created database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            tables = connection.introspection.table_names(cursor)
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


@pytest.fixture
def site_with_document(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = factories.case(published=True, title="Popova v. Moscow DIT", summary="Facial recognition at a rally.")
    factories.case(title="Draft strategy case")
    proceeding = factories.proceeding(case)
    factories.participation(case)
    filing = factories.filing(proceeding, title="Statement of claim")
    filing.document.save("claim.pdf", ContentFile(b"%PDF-1.4\nclaim\n%%EOF"))
    factories.decision(proceeding)
    return case, filing


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_into_an_empty_database_serves_the_same_pages(client, site_with_document, tmp_path):
    case, filing = site_with_document
    before = public_pages(client, case)
    assert "Popova v. Moscow DIT" in before["/cases/"]
    assert "Draft strategy case" not in before["/cases/"]
    document_path = filing.document.path

    call_command("backup", output=str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    empty_the_database()
    filing.document.storage.delete(filing.document.name)

    call_command("restore", str(folder), yes=True)

    assert Case.objects.count() == 2
    assert public_pages(client, Case.objects.get(pk=case.pk)) == before
    with open(document_path, "rb") as restored:
        assert restored.read().startswith(b"%PDF-1.4")


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(tmp_path), yes=True)


@pytest.mark.django_db
def test_restore_asks_before_overwriting(tmp_path, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "n")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(tmp_path))
