"""The litigation domain: cases, who takes part, where they are heard, what is due."""

from .cache import PublicVersion
from .cases import Case, CaseLink, Counsel, Participation
from .courts import Court
from .deadlines import CalendarOverride, Deadline, ReminderDelivery
from .documents import DocumentPage, DocumentText
from .exports import ExportJob
from .facets import CaseFacets, FacetCount, FacetPair
from .identifiers import DecisionIdentifier, ProceedingNumber
from .parties import Party
from .people import UserProfile
from .proceedings import Decision, Filing, Hearing, Proceeding
from .reminders import ReminderOutage
from .revisions import Revision
from .surveillance import Challenge, Deployment, Remedy, System, Vendor
from .taxonomy import LegalGround, Technology

__all__ = [
    "CalendarOverride",
    "Case",
    "CaseFacets",
    "CaseLink",
    "Challenge",
    "Counsel",
    "Court",
    "Deadline",
    "Deployment",
    "Decision",
    "FacetCount",
    "FacetPair",
    "DocumentPage",
    "DocumentText",
    "ExportJob",
    "DecisionIdentifier",
    "Filing",
    "Hearing",
    "LegalGround",
    "Participation",
    "Party",
    "Proceeding",
    "PublicVersion",
    "ReminderDelivery",
    "ReminderOutage",
    "Remedy",
    "ProceedingNumber",
    "ReminderDelivery",
    "Revision",
    "System",
    "Technology",
    "UserProfile",
    "Vendor",
]
