"""Querysets with the one definition of what the public may see."""

from django.db import models


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Return published cases only."""
        return self.filter(visibility="published", published_at__isnull=False)

    def editable_by(self, user):
        """Return the cases user may change: all for editors, their team's and led cases for other users."""
        from ..permissions import is_editor

        if is_editor(user):
            return self
        if not user.is_active:
            return self.none()
        mine = self.model.objects.filter(models.Q(team=user) | models.Q(lead_lawyer=user))
        return self.filter(pk__in=mine.values("pk"))


class CaseChildQuerySet(models.QuerySet):
    """Records that hang off a case through a proceeding and carry their own public flag."""

    case_path = "proceeding__case"

    def public(self):
        """Return records that are public and belong to a published case."""
        return self.filter(
            is_public=True,
            **{f"{self.case_path}__visibility": "published", f"{self.case_path}__published_at__isnull": False},
        )


class ProceedingQuerySet(models.QuerySet):
    def public(self):
        """Return proceedings of published cases."""
        return self.filter(case__visibility="published", case__published_at__isnull=False)
