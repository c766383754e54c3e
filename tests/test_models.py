import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from cases.models import Case, Decision, Proceeding
from tests import factories

pytestmark = pytest.mark.django_db


def test_cyrillic_title_gets_transliterated_unique_slug():
    first = factories.case(title="Попова против ДИТ Москвы")
    second = factories.case(title="Попова против ДИТ Москвы")
    assert first.slug == "popova-protiv-dit-moskvy"
    assert second.slug == "popova-protiv-dit-moskvy-2"


def test_published_case_needs_published_at():
    obj = factories.case()
    obj.visibility = Case.Visibility.PUBLISHED
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_public_queryset_hides_drafts():
    published, draft = factories.case(published=True), factories.case()
    assert list(Case.objects.public()) == [published]
    assert draft not in Case.objects.public()


def test_appeal_from_another_case_is_refused():
    lower = factories.proceeding()
    upper = Proceeding(case=factories.case(), court=factories.court(), appeals_from=lower)
    with pytest.raises(ValidationError, match="same case"):
        upper.full_clean()


def test_decision_before_proceeding_started_is_refused():
    proceeding = factories.proceeding(started_on=datetime.date(2020, 1, 10))
    bad = Decision(proceeding=proceeding, announced_on=datetime.date(2020, 1, 1), result="dismissed")
    with pytest.raises(ValidationError, match="before its proceeding started"):
        bad.full_clean()


def test_final_form_before_announcement_is_refused_by_database():
    proceeding = factories.proceeding()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.decision(proceeding, announced_on=datetime.date(2020, 3, 3), final_form_on=datetime.date(2020, 3, 1))


def test_hearing_without_timezone_is_refused():
    proceeding = factories.proceeding()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.hearing(proceeding, timezone="")


def test_unknown_timezone_fails_validation():
    hearing = factories.hearing(factories.proceeding())
    hearing.timezone = "Mars/Olympus"
    with pytest.raises(ValidationError, match="not a known time zone"):
        hearing.full_clean()


def test_party_in_a_case_cannot_be_deleted():
    participation = factories.participation(factories.case())
    with pytest.raises(ProtectedError):
        participation.party.delete()
