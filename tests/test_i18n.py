import ast
import datetime
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import factories as f

LOCALE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES"


@pytest.fixture
def case(db):
    return f.case(
        published=True,
        title="Glukhin v. Russia",
        title_ru="Глухин против России",
        summary="A protester traced by facial recognition.",
        summary_ru="",
        filed_on=datetime.date(2019, 10, 7),
    )


def test_russian_pages_live_under_ru(client, case):
    html = client.get("/ru/cases/").content.decode()
    assert '<html lang="ru">' in html
    assert "Дела" in html and "Применить фильтры" in html
    assert "Глухин против России" in html
    assert "Россия" in html  # country names too


def test_list_rows_name_country_and_status_in_the_page_language(client, case):
    for prefix, language, country in [("", "en", "Russia"), ("/ru", "ru", "Россия"), ("", "en", "Russia")]:
        html = client.get(f"{prefix}/cases/").content.decode()
        with translation.override(language):
            status = case.get_status_display()
        assert f"<span>{country}</span>" in html
        assert f'<span class="badge status-{case.status}">{status}</span>' in html


def test_english_is_the_unprefixed_default(client, case):
    html = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="en">' in html and "Glukhin v. Russia" in html


def test_title_and_summary_fall_back_to_the_other_language(client, case):
    html = client.get("/ru" + case.get_absolute_url()).content.decode()
    assert "<h1>Глухин против России</h1>" in html
    assert "A protester traced by facial recognition." in html


def test_dates_follow_the_locale(client, case):
    assert "Oct. 7, 2019" in client.get(case.get_absolute_url()).content.decode()
    assert "7 октября 2019" in client.get("/ru" + case.get_absolute_url()).content.decode()


def test_language_switcher_keeps_page_and_filters(client, case):
    html = client.get("/cases/?country=RU&q=Glukhin").content.decode()
    assert 'href="/ru/cases/?country=RU&amp;q=Glukhin"' in html
    html = client.get("/ru/cases/?country=RU").content.decode()
    assert 'href="/cases/?country=RU"' in html


def _po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "\nmsgid " in "\n" + block and not block.startswith("msgid")]


def _field(block, name):
    """Return the text of a .po entry's field (msgid, msgstr, msgstr[0]...), joining continuation lines."""
    lines = block[("\n" + block).index(f"\n{name} ") :].split("\n")
    text = ""
    for line in [lines[0][len(name) + 1 :], *lines[1:]]:
        if not line.startswith('"'):
            break
        text += ast.literal_eval(line)
    return text


def test_every_string_is_translated():
    untranslated = [
        _field(block, "msgid")
        for block in _po_entries()
        if "#, fuzzy" in block or not _field(block, "msgstr[0]" if "msgid_plural" in block else "msgstr")
    ]
    assert untranslated == []


def test_compiled_catalogue_is_current():
    with open(LOCALE / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalog._catalog}
    ids = [_field(block, "msgid") for block in _po_entries() if "msgctxt" not in block]
    missing = [msgid for msgid in ids if msgid not in compiled]
    assert missing == [], "run compilemessages"


def test_record_addresses_are_what_reverse_gives_in_each_language(case):
    party = f.party(name="Moscow DIT")
    for language in ("en", "ru", "en"):
        with translation.override(language):
            assert case.get_absolute_url() == reverse("cases:case_detail", args=[case.slug])
            assert party.get_absolute_url() == reverse("cases:party_detail", args=[party.slug])
    assert party.get_absolute_url() == f"/parties/{party.slug}/"
