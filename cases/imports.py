"""Bulk import of cases from the export formats (CSV, JSON, JSON Lines).

One file is one transaction. Every row is tried inside it, each in a savepoint, so the
preview reports every row's errors; a dry run or any error rolls the whole file back.
Cases match by slug (made from the title when blank) or else by a citation of one of their
decisions; proceedings match by court and any of their numbers, decisions by any of their
citations, and the other records by their natural keys, so importing the same file twice
changes nothing. What a case challenges names existing systems and deployments by slug.
Filings, hearings and decisions in a file are public unless a record says `"is_public": false`,
since the file format is the public export's.
The keys that choose deadline rules (a proceeding's `procedure`, a party's `government_level`, a
participation's `is_client`) are left as they are when a record omits them, as the public export does.
"""

import csv
import datetime
import io
import json
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from . import permissions
from .actions.decisions import save_decision
from .actions.publishing import publish_case
from .actions.records import save_record
from .actions.refresh import refresh_once
from .actions.review import needs_review
from .exports import FIELDS, FORMULA_STARTS, LIST_SEPARATOR
from .models import (
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
)
from .slugs import transliterate

REQUIRED = {"title", "country"}
SLUG_LISTS = {"technologies", "grounds", "related_cases"}
NESTED = {"parties", "proceedings", "links", "challenges"}
# Computed on the site, so ignored on import.
IGNORED = {"url", "last_activity_on"}
CASE_TEXT = ["title", "title_ru", "original_title", "summary", "summary_ru", "description", "status", "outcome"]


class ImportFileError(Exception):
    """A file that cannot be read as rows at all: wrong encoding, broken JSON, wrong columns."""


@dataclass
class RowResult:
    number: int
    slug: str = ""
    title: str = ""
    action: str = ""  # "create" or "update"
    errors: list = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.file_errors and not any(row.errors for row in self.rows)

    @property
    def errors(self):
        """Return every problem as (row number or None, message)."""
        return [(None, message) for message in self.file_errors] + [
            (row.number, message) for row in self.rows for message in row.errors
        ]


class RowError(Exception):
    def __init__(self, messages):
        super().__init__(messages)
        self.messages = messages


# Reading files


def read_records(content, filename):
    """Return [(row number, record dict)] from the bytes of a CSV, JSON or JSON Lines file."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text (bad byte at position %(position)s). Save it as UTF-8 and try again.")
            % {"position": error.start}
        ) from None
    name = filename.lower()
    if name.endswith(".csv"):
        return _read_csv(text)
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        return [
            (number, _json_object(line, number)) for number, line in enumerate(text.splitlines(), 1) if line.strip()
        ]
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportFileError(_("The file is not valid JSON: %(error)s.") % {"error": error}) from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise ImportFileError(_("A JSON file must hold a list of case objects."))
        _check_columns(set().union(*data) if data else set())
        return list(enumerate(data, 1))
    raise ImportFileError(_("Upload a .csv, .json or .jsonl file."))


def _json_object(line, number):
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        message = _("Line %(number)s is not valid JSON: %(error)s.") % {"number": number, "error": error}
        raise ImportFileError(message) from None
    if not isinstance(data, dict):
        raise ImportFileError(_("Line %(number)s is not a JSON object.") % {"number": number})
    _check_columns(set(data))
    return data


def _check_columns(columns):
    unknown = sorted(columns - set(FIELDS))
    missing = sorted(REQUIRED - columns)
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    if missing:
        problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
    if problems:
        allowed = ", ".join(FIELDS)
        raise ImportFileError(" ".join(problems) + " " + _("Allowed columns: %(names)s.") % {"names": allowed})


def _read_csv(text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_columns(set(reader.fieldnames or []))
    rows = []
    for record in reader:
        # Row 1 is the header, as in a spreadsheet.
        rows.append((reader.line_num, _from_cells(record)))
    return rows


def _from_cells(row):
    record = {}
    for name, cell in row.items():
        if name is None:
            record["__extra__"] = cell
            continue
        cell = cell or ""
        if cell[:1] == "'" and cell[1:2] and cell[1:].startswith(FORMULA_STARTS):
            cell = cell[1:]
        if name in SLUG_LISTS:
            record[name] = [item.strip() for item in cell.split(LIST_SEPARATOR.strip()) if item.strip()]
        elif name in NESTED:
            record[name] = cell or "[]"
        else:
            record[name] = cell
    return record


# Importing


def import_file(content, filename, *, actor, dry_run):
    """Import a file of cases as actor in one transaction; write nothing on a dry run or any error."""
    result = ImportResult()
    try:
        records = read_records(content, filename)
    except ImportFileError as error:
        result.file_errors.append(str(error))
        return result
    with transaction.atomic():
        seen = {}
        imported = []
        for number, record in records:
            row = RowResult(number=number, title=str(record.get("title") or ""))
            result.rows.append(row)
            try:
                if "__extra__" in record:
                    raise RowError([_("This row has more cells than the header has columns.")])
                if _holds_nul(record):
                    raise RowError([_("This row holds a NUL character (\\x00), which cannot be stored.")])
                row.slug = _slug_of(record)
                if row.slug in seen:
                    raise RowError(
                        [
                            _("Duplicate of row %(row)s (same slug %(slug)s).")
                            % {"row": seen[row.slug], "slug": row.slug}
                        ]
                    )
                seen[row.slug] = number
                with _row_refresh():
                    case, row.action = _import_case(record, row.slug, actor)
                imported.append((row, case, record))
            except RowError as error:
                row.errors += error.messages
        for row, case, record in imported:
            try:
                with _row_refresh():
                    _set_related(case, record)
            except RowError as error:
                row.errors += error.messages
        result.written = result.ok and not dry_run
        if not result.written:
            transaction.set_rollback(True)
    return result


@contextmanager
def _row_refresh():
    """Save a row's records and refresh its case once, at the end; a refused recomputation is the row's error."""
    try:
        with refresh_once():
            yield
    except ValidationError as error:
        raise RowError(_messages(error)) from None


def _slug_of(record):
    slug = str(record.get("slug") or "").strip() or slugify(transliterate(str(record.get("title") or "")))[:80]
    if not slug:
        raise RowError([_("title: a case needs a title.")])
    return slug


def _messages(error, prefix=""):
    if hasattr(error, "message_dict"):
        return [f"{prefix}{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return [f"{prefix}{message}" for message in error.messages]


def _save(obj, actor, prefix=""):
    try:
        with transaction.atomic():
            if isinstance(obj, Decision):
                return save_decision(obj, actor=actor)
            return save_record(obj, actor=actor)
    except ValidationError as error:
        raise RowError(_messages(error, prefix)) from None
    except (IntegrityError, PermissionDenied) as error:
        raise RowError([f"{prefix}{error}"]) from None


def _date(value, name, *, required=False):
    if value in (None, ""):
        if required:
            raise RowError([_("%(field)s: a date is required.") % {"field": name}])
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        raise RowError([_("%(field)s: %(value)r is not a date; write YYYY-MM-DD.") % {"field": name, "value": value}])
    return parsed


def _datetime(value, name):
    try:
        parsed = parse_datetime(str(value or ""))
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise RowError(
            [_("%(field)s: %(value)r is not a date and time with a UTC offset.") % {"field": name, "value": value}]
        )
    return parsed


def _choice(value, choices, name):
    """Return value if it is one of choices' stored values (blank means unknown), else raise RowError."""
    value = "" if value is None else str(value)
    if value not in choices.values:
        allowed = ", ".join(choice for choice in choices.values if choice)
        raise RowError(
            [_("%(field)s: %(value)r is not one of %(allowed)s.") % {"field": name, "value": value, "allowed": allowed}]
        )
    return value


def _nested(record, name):
    value = record.get(name) or []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise RowError([_("%(field)s: not valid JSON (%(error)s).") % {"field": name, "error": error}]) from None
    return _objects(value, name)


def _objects(value, name):
    """Return value if it is a list of objects (or empty), else raise RowError naming the field."""
    value = value or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RowError([_("%(field)s: must be a list of objects.") % {"field": name}])
    return value


def _holds_nul(value):
    """Tell whether value, or any text nested in it, holds a NUL character, which PostgreSQL text refuses."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _slugs(value, name):
    value = value or []
    if isinstance(value, str):
        value = value.split(LIST_SEPARATOR.strip())
    if not isinstance(value, list):
        raise RowError([_("%(field)s: must be a list of slugs.") % {"field": name}])
    return [str(slug).strip() for slug in value if str(slug).strip()]


def _terms(model, slugs, label):
    found = {term.slug: term for term in model.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise RowError([_("unknown %(kind)s: %(slugs)s.") % {"kind": label, "slugs": ", ".join(unknown)}])
    return list(found.values())


def _import_case(record, slug, actor):
    """Create or update one case and everything nested in its record; return (case, action)."""
    errors = []
    country = str(record.get("country") or "").strip().upper()
    if country not in countries:
        errors.append(_("country: unknown country code %(code)r (use ISO codes such as RU, GB).") % {"code": country})
    collected = {}
    for name, label, model in (
        ("technologies", _("technology"), Technology),
        ("grounds", _("legal ground"), LegalGround),
    ):
        try:
            collected[name] = _terms(model, _slugs(record.get(name), name), label)
        except RowError as error:
            errors += error.messages
    try:
        filed_on = _date(record.get("filed_on"), "filed_on")
    except RowError as error:
        errors += error.messages
    if errors:
        raise RowError(errors)

    case = Case.objects.filter(slug=slug).first() or _case_by_citations(record, actor)
    if case is not None and actor is not None and not Case.objects.editable_by(actor).filter(pk=case.pk).exists():
        raise RowError([_("You may not change the existing case %(slug)s.") % {"slug": case.slug}])
    if case is not None and needs_review(case, actor):
        raise RowError(
            [_("The case %(slug)s is published: an editor must import changes to it.") % {"slug": case.slug}]
        )
    action = "update" if case else "create"
    case = case or Case(slug=slug)
    for name in CASE_TEXT:
        if name in record:
            setattr(case, name, str(record[name] or ""))
    case.country, case.filed_on = country, filed_on
    _save(case, actor)
    if action == "create" and actor is not None:
        # Whoever imports a new case starts on its team, as in the admin; its records are theirs to add.
        case.team.add(actor)
    case.technologies.set(collected["technologies"])
    case.grounds.set(collected["grounds"])

    participations = _import_parties(case, _nested(record, "parties"), actor)
    _import_proceedings(case, _nested(record, "proceedings"), participations, actor)
    _import_links(case, _nested(record, "links"), actor)
    _import_challenges(case, _nested(record, "challenges"), actor)
    if record.get("published_at") and not case.is_published:
        try:
            publish_case(case, actor=actor)
        except PermissionDenied as error:
            raise RowError([str(error)]) from None
    return case, action


# Citations that name one decision only; a source address or an application number may be shared.
UNIQUE_SCHEMES = [DecisionIdentifier.Scheme.NEUTRAL, DecisionIdentifier.Scheme.ECLI, DecisionIdentifier.Scheme.REPORT]


def _citations(items):
    """Return the (scheme, value) pairs of a list of identifier records, skipping malformed ones."""
    return [
        (str(item.get("scheme") or ""), " ".join(str(item.get("value") or "").split()))
        for item in items
        if isinstance(item, dict) and item.get("value")
    ]


def _case_by_citations(record, actor):
    """Return the existing case with a decision that has one of record's neutral, ECLI or report citations.

    Only citations actor may read count: a confidential decision's citation must not reveal another team's case.
    """
    pairs = []
    for proceeding in _nested(record, "proceedings"):
        for decision in proceeding.get("decisions") or []:
            if isinstance(decision, dict) and isinstance(decision.get("identifiers"), list):
                pairs += [pair for pair in _citations(decision["identifiers"]) if pair[0] in UNIQUE_SCHEMES]
    if not pairs:
        return None
    matches = Q()
    for scheme, value in pairs:
        matches |= Q(scheme=scheme, value=value)
    identifiers = DecisionIdentifier.objects.filter(matches)
    if actor is not None and not permissions.is_editor(actor):
        own = permissions.team_cases(actor)
        identifiers = identifiers.filter(Q(decision__is_public=True) | Q(decision__proceeding__case__in=own))
    identifier = identifiers.select_related("decision__proceeding__case").first()
    return identifier.decision.proceeding.case if identifier else None


def _party(data, actor, prefix):
    if not isinstance(data, dict) or not data.get("name"):
        raise RowError([_("%(prefix)sa party needs a name.") % {"prefix": prefix}])
    slug = data.get("slug") or slugify(transliterate(data["name"]))[:80]
    party = Party.objects.filter(slug=slug).first() or Party(slug=slug)
    for name in ("name", "name_ru", "kind", "country", "website", "description"):
        if name in data:
            setattr(party, name, data[name] or "")
    if "government_level" in data:
        party.government_level = _choice(data["government_level"], Party.GovernmentLevel, prefix + "government_level")
    return _save(party, actor, prefix)


def _import_parties(case, items, actor):
    participations = {}
    for index, item in enumerate(items, 1):
        prefix = f"parties[{index}]."
        party = _party(item.get("party"), actor, prefix)
        participation = Participation.objects.filter(case=case, party=party, role=item.get("role") or "").first()
        participation = participation or Participation(case=case, party=party, role=item.get("role") or "")
        participation.note = item.get("note") or ""
        if "is_client" in item:
            if not isinstance(item["is_client"], bool):
                raise RowError([_("%(field)s: write true or false.") % {"field": prefix + "is_client"}])
            participation.is_client = item["is_client"]
        _save(participation, actor, prefix)
        participations[(party.slug, participation.role)] = participation
        for counsel_item in _objects(item.get("counsel"), prefix + "counsel"):
            organisation = None
            if counsel_item.get("organisation"):
                organisation = _party(counsel_item["organisation"], actor, prefix + "counsel.")
            name = counsel_item.get("name") or ""
            if not Counsel.objects.filter(participation=participation, name=name, organisation=organisation).exists():
                _save(Counsel(participation=participation, name=name, organisation=organisation), actor, prefix)
    return participations


def _court(data, actor, prefix):
    if not isinstance(data, dict) or not (data.get("slug") or data.get("name")):
        raise RowError([_("%(prefix)sa proceeding needs a court.") % {"prefix": prefix}])
    court = Court.objects.filter(slug=data.get("slug") or slugify(transliterate(data["name"]))[:80]).first()
    if court is None:
        court = Court.objects.filter(name=data.get("name")).first()
    if court is None:
        court = Court(slug=data.get("slug") or "")
        for name in ("name", "name_ru", "country", "level", "timezone"):
            setattr(court, name, data.get(name) or "")
        court = _save(court, actor, prefix + "court.")
    return court


def _import_proceedings(case, items, participations, actor):
    by_file_id = {}
    for index, item in enumerate(items, 1):
        prefix = f"proceedings[{index}]."
        court = _court(item.get("court"), actor, prefix)
        docket = item.get("docket_number") or ""
        others = _citations(_objects(item.get("other_numbers"), prefix + "other_numbers"))
        proceeding = _match_proceeding(case, court, docket, [value for _scheme, value in others])
        proceeding = proceeding or Proceeding(case=case, court=court, docket_number=docket)
        proceeding.started_on = _date(item.get("started_on"), prefix + "started_on")
        proceeding.ended_on = _date(item.get("ended_on"), prefix + "ended_on")
        proceeding.judges = item.get("judges") or ""
        if "procedure" in item:
            proceeding.procedure = _choice(item["procedure"], Proceeding.Procedure, prefix + "procedure")
        if item.get("appeals_from") is not None:
            proceeding.appeals_from = by_file_id.get(item["appeals_from"])
        _save(proceeding, actor, prefix)
        by_file_id[item.get("id")] = proceeding
        for index, (scheme, value) in enumerate(others, 1):
            if not proceeding.numbers.filter(value=value).exists():
                number = ProceedingNumber(proceeding=proceeding, scheme=scheme, value=value)
                _save(number, actor, f"{prefix}other_numbers[{index}].")
        _import_filings(proceeding, _objects(item.get("filings"), prefix + "filings"), participations, actor, prefix)
        _import_hearings(proceeding, _objects(item.get("hearings"), prefix + "hearings"), actor, prefix)
        _import_decisions(proceeding, _objects(item.get("decisions"), prefix + "decisions"), actor, prefix)


def _match_proceeding(case, court, docket, others):
    """Return the case's proceeding at court that has any of the numbers, or with no number if there are none."""
    proceedings = Proceeding.objects.filter(case=case, court=court)
    numbers = [number for number in [docket, *others] if number]
    if not numbers:
        return proceedings.filter(docket_number="").first()
    return proceedings.filter(Q(docket_number__in=numbers) | Q(numbers__value__in=numbers)).first()


def _import_filings(proceeding, items, participations, actor, prefix):
    for index, item in enumerate(items, 1):
        here = f"{prefix}filings[{index}]."
        filed_on = _date(item.get("filed_on"), here + "filed_on", required=True)
        title = item.get("title") or ""
        filing = Filing.objects.filter(proceeding=proceeding, filed_on=filed_on, title=title).first()
        filing = filing or Filing(proceeding=proceeding, filed_on=filed_on, title=title)
        filing.kind = item.get("kind") or ""
        filing.description = item.get("description") or ""
        filing.is_public = item.get("is_public", True)
        filed_by = item.get("filed_by") if isinstance(item.get("filed_by"), dict) else {}
        filing.filed_by = participations.get((filed_by.get("party"), filed_by.get("role")))
        _save(filing, actor, here)


def _import_hearings(proceeding, items, actor, prefix):
    for index, item in enumerate(items, 1):
        here = f"{prefix}hearings[{index}]."
        starts_at = _datetime(item.get("starts_at"), here + "starts_at")
        hearing = Hearing.objects.filter(proceeding=proceeding, starts_at=starts_at).first()
        hearing = hearing or Hearing(proceeding=proceeding, starts_at=starts_at)
        hearing.timezone = item.get("timezone") or proceeding.court.timezone
        hearing.place = item.get("place") or ""
        hearing.summary = item.get("summary") or ""
        hearing.is_public = item.get("is_public", True)
        _save(hearing, actor, here)


def _import_decisions(proceeding, items, actor, prefix):
    for index, item in enumerate(items, 1):
        here = f"{prefix}decisions[{index}]."
        announced_on = _date(item.get("announced_on"), here + "announced_on", required=True)
        result = item.get("result") or ""
        citations = _citations(_objects(item.get("identifiers"), here + "identifiers"))
        decision = (
            _match_decision(proceeding, citations)
            or Decision.objects.filter(proceeding=proceeding, announced_on=announced_on, result=result).first()
        )
        decision = decision or Decision(proceeding=proceeding)
        decision.announced_on, decision.result = announced_on, result
        decision.final_form_on = _date(item.get("final_form_on"), here + "final_form_on")
        decision.summary = item.get("summary") or ""
        decision.is_final = bool(item.get("is_final", False))
        decision.is_public = item.get("is_public", True)
        _save(decision, actor, here)
        for number, (scheme, value) in enumerate(citations, 1):
            if not decision.identifiers.filter(scheme=scheme, value=value).exists():
                identifier = DecisionIdentifier(decision=decision, scheme=scheme, value=value)
                _save(identifier, actor, f"{here}identifiers[{number}].")


def _match_decision(proceeding, citations):
    """Return the proceeding's decision that has any of the citations, if one does."""
    if not citations:
        return None
    matches = Q()
    for scheme, value in citations:
        matches |= Q(identifiers__scheme=scheme, identifiers__value=value)
    return Decision.objects.filter(matches, proceeding=proceeding).first()


def _import_links(case, items, actor):
    for index, item in enumerate(items, 1):
        link = CaseLink.objects.filter(case=case, url=item.get("url") or "").first()
        link = link or CaseLink(case=case, url=item.get("url") or "")
        link.kind = item.get("kind") or CaseLink.Kind.PRESS
        link.title = item.get("title") or ""
        link.published_on = _date(item.get("published_on"), f"links[{index}].published_on")
        _save(link, actor, f"links[{index}].")


def _challenge_target(item, prefix):
    """Return the deployment or system a challenge record names by slug, as Challenge fields."""
    deployment_slug, system_slug = (str(item.get(name) or "").strip() for name in ("deployment", "system"))
    if deployment_slug:
        deployment = Deployment.objects.select_related("system").filter(slug=deployment_slug).first()
        if deployment is None:
            raise RowError(
                [
                    _("%(field)s: unknown deployment %(slug)s.")
                    % {"field": prefix + "deployment", "slug": deployment_slug}
                ]
            )
        # The export names a deployment's system too; a different one means the file mixes up two records.
        if system_slug and deployment.system.slug != system_slug:
            message = _("%(field)s: the deployment %(deployment)s is of the system %(actual)s, not %(slug)s.")
            values = {"deployment": deployment_slug, "actual": deployment.system.slug, "slug": system_slug}
            raise RowError([message % {"field": prefix + "system", **values}])
        return {"deployment": deployment, "system": None}
    if not system_slug:
        raise RowError([_("%(prefix)sa challenge needs a system or a deployment.") % {"prefix": prefix}])
    system = System.objects.filter(slug=system_slug).first()
    if system is None:
        raise RowError([_("%(field)s: unknown system %(slug)s.") % {"field": prefix + "system", "slug": system_slug}])
    return {"deployment": None, "system": system}


def _import_challenges(case, items, actor):
    for index, item in enumerate(items, 1):
        prefix = f"challenges[{index}]."
        target = _challenge_target(item, prefix)
        challenge = Challenge.objects.filter(case=case, **target).first() or Challenge(case=case, **target)
        challenge.claim = str(item.get("claim") or "")
        _save(challenge, actor, prefix)
        for number, remedy_item in enumerate(_objects(item.get("remedies"), prefix + "remedies"), 1):
            here = f"{prefix}remedies[{number}]."
            kind = _choice(remedy_item.get("kind"), Remedy.Kind, here + "kind")
            date = _date(remedy_item.get("date"), here + "date", required=True)
            # The private note is not in the file (the export never carries it): an update keeps it.
            remedy = Remedy.objects.filter(challenge=challenge, kind=kind, date=date).first()
            remedy = remedy or Remedy(challenge=challenge, kind=kind, date=date)
            remedy.source_url = str(remedy_item.get("source_url") or "")
            remedy.public_note = str(remedy_item.get("public_note") or "")
            _save(remedy, actor, here)


def _set_related(case, record):
    slugs = _slugs(record.get("related_cases"), "related_cases")
    if not slugs:
        return
    related = list(Case.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {other.slug for other in related})
    if unknown:
        raise RowError([_("related_cases: unknown cases %(slugs)s.") % {"slugs": ", ".join(unknown)}])
    case.related_cases.add(*related)
