"""The litigation domain: cases, who takes part, where they are heard, what is due."""

from .cases import Case, CaseLink, Counsel, Participation
from .courts import Court
from .deadlines import CalendarOverride, Deadline, ReminderDelivery
from .identifiers import DecisionIdentifier, ProceedingNumber
from .parties import Party
from .people import UserProfile
from .proceedings import Decision, Filing, Hearing, Proceeding
from .revisions import Revision
from .taxonomy import LegalGround, Technology

__all__ = [
    "CalendarOverride",
    "Case",
    "CaseLink",
    "Counsel",
    "Court",
    "Deadline",
    "Decision",
    "DecisionIdentifier",
    "Filing",
    "Hearing",
    "LegalGround",
    "Participation",
    "Party",
    "Proceeding",
    "ProceedingNumber",
    "ReminderDelivery",
    "Revision",
    "Technology",
    "UserProfile",
]
