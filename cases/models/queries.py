"""Querysets with the one definition of what the public may see."""

from django.db import models
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce


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


def _public_owner(prefix):
    """Return a Q for rows whose filing or decision (at prefix) is public in a published case."""
    case = f"{prefix}__proceeding__case"
    return models.Q(
        **{f"{prefix}__is_public": True, f"{case}__visibility": "published", f"{case}__published_at__isnull": False}
    )


class DocumentTextQuerySet(models.QuerySet):
    def public(self):
        """Return the texts of public filings' and decisions' documents in published cases."""
        return self.filter(_public_owner("filing") | _public_owner("decision"))

    def of_cases(self, case_ids):
        """Return the texts of these cases' filings and decisions, and those last stored as theirs (moved since)."""
        # One set of ids: under OR, PostgreSQL would test every text against the filings and decisions.
        texts = self.model.objects.order_by()  # SQLite allows no order in a UNION's parts
        stored = texts.filter(case_id__in=case_ids).values("pk")
        filed = texts.filter(filing__proceeding__case_id__in=case_ids).values("pk")
        decided = texts.filter(decision__proceeding__case_id__in=case_ids).values("pk")
        return self.filter(pk__in=stored.union(filed, decided))

    def refresh_placement(self):
        """Store each text's case and whether its filing or decision is public in a published case, as they are now."""
        cases, public = [], []
        for field in ("filing", "decision"):
            owner = self.model._meta.get_field(field).related_model.objects.filter(pk=OuterRef(f"{field}_id"))
            cases.append(Subquery(owner.values("proceeding__case_id")))
            public.append(Exists(owner.public()))
        return self.order_by().update(case_id=Coalesce(*cases), is_public=public[0] | public[1])

    def to_read(self):
        """Return the texts waiting for a reading: new or replaced documents, and re-readings asked for."""
        return self.filter(
            models.Q(status="pending")
            | models.Q(extracted_at__isnull=True)
            | models.Q(requested_at__gt=models.F("extracted_at"))
        )


class DocumentPageQuerySet(models.QuerySet):
    def public(self):
        """Return the pages of public documents (see DocumentTextQuerySet.public), read successfully."""
        return self.filter(
            _public_owner("document__filing") | _public_owner("document__decision"), document__status="done"
        )

    def with_case_id(self):
        """Annotate `case_id`: the case of the filing or decision each page belongs to, as its text stores it."""
        return self.annotate(case_id=models.F("document__case_id"))
