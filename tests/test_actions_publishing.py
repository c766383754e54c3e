import pytest
from django.core.exceptions import PermissionDenied

from cases.actions.publishing import publish_case, unpublish_case
from cases.models import Case
from tests import factories

pytestmark = pytest.mark.django_db


def test_editor_publishes_and_history_records_who(editor, django_capture_on_commit_callbacks):
    case = factories.case()
    with django_capture_on_commit_callbacks() as callbacks:
        publish_case(case, actor=editor)
    case.refresh_from_db()
    assert case.visibility == Case.Visibility.PUBLISHED
    assert case.published_at is not None
    assert case.history.latest().history_user == editor
    assert callbacks, "case_changed must queue the after-commit refresh"
    assert list(Case.objects.public()) == [case]


def test_republishing_keeps_the_first_published_at(editor):
    case = factories.case()
    publish_case(case, actor=editor)
    first = Case.objects.get(pk=case.pk).published_at
    history_rows = case.history.count()
    publish_case(Case.objects.get(pk=case.pk), actor=editor)
    assert Case.objects.get(pk=case.pk).published_at == first
    assert case.history.count() == history_rows


def test_unpublish_returns_case_to_draft(editor):
    case = factories.case(published=True)
    unpublish_case(case, actor=editor)
    case.refresh_from_db()
    assert case.visibility == Case.Visibility.DRAFT
    assert case.published_at is None
    assert not Case.objects.public().exists()


@pytest.mark.parametrize("action", [publish_case, unpublish_case])
def test_lawyer_cannot_publish_or_unpublish_even_own_case(lawyer, action):
    draft, published = factories.case(lead_lawyer=lawyer), factories.case(published=True, lead_lawyer=lawyer)
    target = draft if action is publish_case else published
    before = target.visibility
    with pytest.raises(PermissionDenied):
        action(target, actor=lawyer)
    target.refresh_from_db()
    assert target.visibility == before


def test_system_actor_may_publish():
    case = factories.case()
    publish_case(case, actor=None)
    assert Case.objects.get(pk=case.pk).is_published
