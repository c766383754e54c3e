"""Public pages."""

from .case_list import case_list, case_list_download
from .cases import case_detail
from .documents import document_text
from .entities import court_detail, party_detail, technology_detail
from .map import world_map_page
from .pages import home, robots_txt, stats
from .surveillance import deployment_detail, system_detail, system_list, vendor_detail

__all__ = [
    "case_detail",
    "case_list",
    "case_list_download",
    "court_detail",
    "deployment_detail",
    "document_text",
    "home",
    "party_detail",
    "robots_txt",
    "stats",
    "system_detail",
    "system_list",
    "technology_detail",
    "vendor_detail",
    "world_map_page",
]
