"""Demo data: real surveillance cases from public sources, summarised in our own words.

The records live in YAML files beside this module (vocabulary, courts, parties, one file per case, each
opening with its sources); this module only loads them. `load_demo()` is idempotent: every record is
found by a natural key and saved, through the actions, only when it is new or differs, so a second run
changes nothing (not even history).
"""

import datetime
import secrets
from decimal import Decimal
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from ..actions.decisions import save_decision
from ..actions.publishing import publish_case
from ..actions.records import save_record
from ..models import (
    Case,
    CaseLink,
    Challenge,
    Counsel,
    Court,
    Decision,
    DecisionIdentifier,
    Deployment,
    Filing,
    Hearing,
    LegalGround,
    Participation,
    Party,
    Proceeding,
    ProceedingNumber,
    Remedy,
    System,
    Technology,
    Vendor,
)
from .documents import attach_demo_documents

DATA = Path(__file__).resolve().parent

# Marker strings that leak tests look for: they must never appear on a public surface.
CONFIDENTIAL_FILING_TITLE = "Evidence file: photographs of the metal-detector cameras (staff only)"
INTERNAL_NOTE = "STAFF ONLY: ask Agora whether the Government's observations have been communicated."

# Hearing times are not in the sources; the demo uses 10:00 court time.
MORNING = datetime.time(10, 0)


def read(name):
    """Return the parsed YAML file name from the demo data folder."""
    with (DATA / name).open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def read_cases():
    """Return the demo cases, one per file, in file-name order."""
    return [read(path.relative_to(DATA)) for path in sorted((DATA / "cases").glob("*.yaml"))]


def upsert(model, lookup, values, *, save):
    """Return the row matching lookup, creating it or saving changed values through save; untouched if equal."""
    obj = model.objects.filter(**lookup).first()
    if obj is not None and all(getattr(obj, field) == value for field, value in values.items()):
        return obj
    obj = obj or model(**lookup)
    for field, value in values.items():
        setattr(obj, field, value)
    save(obj)
    return obj


class Loader:
    """Load the demo records, attributing every change to actor (None: the system itself)."""

    def __init__(self, actor=None):
        self.actor = actor

    def save(self, obj):
        save_record(obj, actor=self.actor)

    def save_decision(self, obj):
        save_decision(obj, actor=self.actor)

    def vocabulary(self, model, terms):
        return {
            term["slug"]: upsert(model, {"slug": term["slug"]}, pick(term, "name", "name_ru"), save=self.save)
            for term in terms
        }

    def courts(self, rows):
        # The file lists a court after the court its appeals go to.
        courts = {}
        for row in rows:
            values = pick(row, "name", "name_ru", "country", "level", "timezone")
            values["appeals_to"] = courts[row["appeals_to"]] if row["appeals_to"] else None
            courts[row["slug"]] = upsert(Court, {"slug": row["slug"]}, values, save=self.save)
        return courts

    def parties(self, rows):
        return {
            row["slug"]: upsert(
                Party, {"slug": row["slug"]}, pick(row, "name", "name_ru", "kind", "country"), save=self.save
            )
            for row in rows
        }

    def case(self, data, *, technologies, grounds, courts, parties):
        fields = ["title", "title_ru", "original_title", "country", "status", "outcome", "summary", "summary_ru"]
        values = pick(data, *fields, "description", "internal_notes") | {"filed_on": data.get("filed_on")}
        case = upsert(Case, {"slug": data["slug"]}, values, save=self.save)
        case.technologies.set([technologies[slug] for slug in data["technologies"]])
        case.grounds.set([grounds[slug] for slug in data["grounds"]])

        roles = {}
        for row in data["participations"]:
            party, role = parties[row["party"]], row["role"]
            lookup = {"case": case, "party": party, "role": role}
            participation = upsert(Participation, lookup, pick(row, "note"), save=self.save)
            roles[(row["party"], role)] = participation
            for counsel in row.get("counsel") or []:
                organisation = parties[counsel["organisation"]] if counsel.get("organisation") else None
                lookup = {"participation": participation, "organisation": organisation} | pick(counsel, "name")
                upsert(Counsel, lookup, {}, save=self.save)

        proceedings = {}
        for item in data["proceedings"]:
            proceedings[item["key"]] = self.proceeding(case, item, courts=courts, roles=roles, earlier=proceedings)

        for link in data.get("links") or []:
            values = pick(link, "kind", "title") | {"published_on": link.get("published_on")}
            upsert(CaseLink, {"case": case, "url": link["url"]}, values, save=self.save)
        return case

    def proceeding(self, case, item, *, courts, roles, earlier):
        # A demo case has one proceeding per court, so the court finds it even when its number is corrected.
        court = courts[item["court"]]
        values = pick(item, "docket_number", "procedure") | {
            "started_on": item.get("started_on"),
            "ended_on": item.get("ended_on"),
            "appeals_from": earlier[item["appeals_from"]] if item.get("appeals_from") else None,
        }
        proceeding = upsert(Proceeding, {"case": case, "court": court}, values, save=self.save)
        for number in item.get("other_numbers") or []:
            lookup = {"proceeding": proceeding, "value": number["value"]}
            upsert(ProceedingNumber, lookup, {"scheme": number["scheme"]}, save=self.save)
        for filing in item.get("filings") or []:
            filed_by = filing.get("filed_by")
            values = pick(filing, "kind", "description") | {
                "filed_on": filing["filed_on"],
                "is_public": filing["is_public"],
                "filed_by": roles[(filed_by["party"], filed_by["role"])] if filed_by else None,
            }
            upsert(Filing, {"proceeding": proceeding, "title": filing["title"]}, values, save=self.save)
        for hearing in item.get("hearings") or []:
            starts_at = datetime.datetime.combine(hearing["day"], MORNING, tzinfo=court.zone)
            values = pick(hearing, "place", "summary") | {"is_public": hearing["is_public"], "timezone": court.timezone}
            upsert(Hearing, {"proceeding": proceeding, "starts_at": starts_at}, values, save=self.save)
        for row in item.get("decisions") or []:
            values = pick(row, "result", "summary") | {
                "final_form_on": row.get("final_form_on"),
                "is_final": row.get("is_final", False),
                "is_public": True,
            }
            lookup = {"proceeding": proceeding, "announced_on": row["announced_on"]}
            decision = upsert(Decision, lookup, values, save=self.save_decision)
            for identifier in row.get("identifiers") or []:
                lookup = {"decision": decision, "scheme": identifier["scheme"], "value": identifier["value"]}
                upsert(DecisionIdentifier, lookup, {}, save=self.save)
        return proceeding

    def surveillance(self, data, *, technologies, parties):
        """Load the vendors, systems, deployments and what the demo cases challenge, with their outcomes."""
        vendors = {}
        for row in data["vendors"]:
            values = pick(row, "name", "country", "website", "description") | {"aliases": lines(row)}
            vendors[row["slug"]] = upsert(Vendor, {"slug": row["slug"]}, values, save=self.save)
        systems = {}
        for row in data["systems"]:
            values = pick(row, "name", "description") | {"aliases": lines(row)}
            values["vendor"] = vendors.get(row.get("vendor"))
            system = upsert(System, {"slug": row["slug"]}, values, save=self.save)
            system.technologies.set([technologies[slug] for slug in row["technologies"]])
            systems[row["slug"]] = system
        deployments = {}
        for row in data["deployments"]:
            fields = ["country", "region", "city", "status", "legal_basis", "scale", "scale_source_url"]
            values = pick(row, *fields) | {
                "system": systems[row["system"]],
                "operator": parties[row["operator"]],
                "latitude": Decimal(row["latitude"]) if row.get("latitude") else None,
                "longitude": Decimal(row["longitude"]) if row.get("longitude") else None,
                "started_on": row.get("started_on"),
                "ended_on": row.get("ended_on"),
            }
            deployments[row["slug"]] = upsert(Deployment, {"slug": row["slug"]}, values, save=self.save)
        for row in data["challenges"]:
            lookup = {
                "case": Case.objects.get(slug=row["case"]),
                "deployment": deployments.get(row.get("deployment")),
                "system": systems.get(row.get("system")),
            }
            challenge = upsert(Challenge, lookup, pick(row, "claim"), save=self.save)
            for remedy in row.get("remedies") or []:
                lookup = {"challenge": challenge, "kind": remedy["kind"], "date": remedy["date"]}
                upsert(Remedy, lookup, pick(remedy, "source_url", "public_note"), save=self.save)


def lines(row):
    """Return a row's aliases as the one-per-line text the models keep."""
    return "\n".join(row.get("aliases") or [])


def pick(row, *fields):
    """Return the text fields of a data row, blank where the file leaves them out."""
    return {field: row.get(field) or "" for field in fields}


@transaction.atomic
def load_demo(*, actor=None):
    """Create or update the demo vocabulary, courts, parties, cases and what they challenge; publish the cases."""
    loader = Loader(actor)
    vocabulary = read("vocabulary.yaml")
    technologies = loader.vocabulary(Technology, vocabulary["technologies"])
    grounds = loader.vocabulary(LegalGround, vocabulary["grounds"])
    courts = loader.courts(read("courts.yaml"))
    parties = loader.parties(read("parties.yaml"))
    cases = [
        loader.case(data, technologies=technologies, grounds=grounds, courts=courts, parties=parties)
        for data in read_cases()
    ]
    loader.surveillance(read("surveillance.yaml"), technologies=technologies, parties=parties)
    for case in cases:
        publish_case(case, actor=actor)
    attach_demo_documents(
        Case.objects.get(slug=LAWYER_CASE), save_record=loader.save, save_decision=loader.save_decision
    )
    return cases


DEMO_ACCOUNTS = [("editor", "Editors"), ("lawyer", "Lawyers")]
LAWYER_CASE = "popova-and-milov-v-moscow-dit"


@transaction.atomic
def create_demo_accounts():
    """Create the demo editor and lawyer when DEBUG is on; return [(username, password or None if it existed)]."""
    if not settings.DEBUG:
        return []
    User = get_user_model()
    accounts = []
    for username, group_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(
                username=username, email=f"{username}@example.org", password=password, is_staff=True
            )
        user.groups.add(Group.objects.get(name=group_name))
        accounts.append((username, password))
    lawyer = User.objects.get(username="lawyer")
    Case.objects.get(slug=LAWYER_CASE).team.add(lawyer)
    return accounts
