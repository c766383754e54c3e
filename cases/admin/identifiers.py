"""Compact rows for a decision's citations and a proceeding's further numbers."""

from ..models import DecisionIdentifier, ProceedingNumber
from .mixins import ScopedTabularInline


class DecisionIdentifierInline(ScopedTabularInline):
    model = DecisionIdentifier
    fields = ["scheme", "value"]


class ProceedingNumberInline(ScopedTabularInline):
    model = ProceedingNumber
    fields = ["scheme", "value"]
