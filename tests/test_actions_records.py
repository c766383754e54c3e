import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from cases.actions.records import case_id_of, delete_record, save_record
from cases.models import Case, Counsel, Filing, Hearing, Party, Proceeding
from tests import factories

pytestmark = pytest.mark.django_db


def test_case_id_of_follows_the_path_to_the_case():
    case = factories.case()
    proceeding = factories.proceeding(case)
    participation = factories.participation(case)
    counsel = Counsel.objects.create(participation=participation, name="Kirill Koroteev")
    assert case_id_of(case) == case.pk
    assert case_id_of(proceeding) == case.pk
    assert case_id_of(factories.filing(proceeding)) == case.pk
    assert case_id_of(counsel) == case.pk
    assert case_id_of(factories.party()) is None
    assert case_id_of(factories.court()) is None


def test_save_record_validates_records_actor_and_signals(editor, django_capture_on_commit_callbacks):
    proceeding = factories.proceeding()
    filing = Filing(
        proceeding=proceeding, filed_on=datetime.date(2019, 12, 1), kind="brief", title="Reply", is_public=True
    )
    with django_capture_on_commit_callbacks() as callbacks:
        save_record(filing, actor=editor)
    assert filing.history.latest().history_user == editor
    assert len(callbacks) == 2  # caches, search and alerts; the facet summary
    assert Case.objects.get(pk=proceeding.case_id).last_activity_on == datetime.date(2019, 12, 1)


def test_save_record_refuses_invalid_and_saves_nothing(editor):
    lower = factories.proceeding()
    bad = Proceeding(case=factories.case(), court=factories.court(), appeals_from=lower)
    with pytest.raises(ValidationError, match="same case"):
        save_record(bad, actor=editor)
    assert Proceeding.objects.count() == 1


def test_confidential_filing_does_not_move_last_activity(editor):
    proceeding = factories.proceeding()
    save_record(
        Filing(
            proceeding=proceeding, filed_on=datetime.date(2021, 1, 1), kind="brief", title="Secret", is_public=False
        ),
        actor=editor,
    )
    assert Case.objects.get(pk=proceeding.case_id).last_activity_on is None


def test_hearing_activity_uses_the_court_local_date(editor):
    proceeding = factories.proceeding()
    # 22:30 UTC on 5 November is already 6 November in Moscow.
    hearing = Hearing(
        proceeding=proceeding,
        starts_at=datetime.datetime(2019, 11, 5, 22, 30, tzinfo=datetime.UTC),
        timezone="Europe/Moscow",
    )
    save_record(hearing, actor=editor)
    assert Case.objects.get(pk=proceeding.case_id).last_activity_on == datetime.date(2019, 11, 6)


def test_delete_record_records_actor(editor, django_capture_on_commit_callbacks):
    filing = factories.filing(factories.proceeding())
    with django_capture_on_commit_callbacks() as callbacks:
        delete_record(filing, actor=editor)
    assert not Filing.objects.exists()
    assert Filing.history.filter(history_type="-").get().history_user == editor
    assert len(callbacks) == 2  # caches, search and alerts; the facet summary


def test_delete_record_keeps_protected_party(editor):
    participation = factories.participation(factories.case())
    with pytest.raises(ProtectedError):
        delete_record(participation.party, actor=editor)
    assert Party.objects.filter(pk=participation.party_id).exists()
