"""Generate many realistic-looking cases for benchmarks: parties, proceedings, filings, decisions, deadlines."""

import datetime
import random
import secrets
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from cases.cache import invalidate_public_pages
from cases.fake_documents import write_document_pages
from cases.models import (
    Case,
    Challenge,
    Court,
    Deadline,
    Decision,
    Deployment,
    Filing,
    Hearing,
    LegalGround,
    Participation,
    Party,
    Proceeding,
    System,
    Technology,
    Vendor,
)
from cases.search import refresh_search_vectors
from cases.summary import recount_all, write_case_facets

# (country, weight, time zone): most cases in a few countries, a long tail elsewhere.
COUNTRIES = [
    ("RU", 30, "Europe/Moscow"),
    ("GB", 12, "Europe/London"),
    ("FR", 8, "Europe/Paris"),
    ("DE", 8, "Europe/Berlin"),
    ("US", 10, "America/New_York"),
    ("IN", 6, "Asia/Kolkata"),
    ("BR", 5, "America/Sao_Paulo"),
    ("RS", 4, "Europe/Belgrade"),
    ("NL", 4, "Europe/Amsterdam"),
    ("PL", 4, "Europe/Warsaw"),
    ("UA", 4, "Europe/Kyiv"),
    ("ZA", 3, "Africa/Johannesburg"),
    ("AR", 2, "America/Argentina/Buenos_Aires"),
]
LEVELS = ["first_instance", "appeal", "cassation", "supreme"]
STATUSES = [("pending", 40), ("decided", 25), ("on_appeal", 20), ("settled", 5), ("withdrawn", 5), ("closed", 5)]
RESULTS = [("dismissed", 45), ("granted", 12), ("partly_granted", 13), ("struck_out", 8), ("violation", 14)]
RESULTS += [("no_violation", 5), ("settled", 3)]
FILING_KINDS = [("complaint", 10), ("motion", 20), ("brief", 25), ("evidence", 20), ("order", 10)]
FILING_KINDS += [("correspondence", 10), ("other", 5)]
TECHNOLOGIES = [
    ("Face recognition", "face-recognition"),
    ("CCTV", "cctv"),
    ("Bulk interception", "bulk-interception"),
    ("Spyware", "spyware"),
    ("Number-plate recognition", "anpr"),
    ("Biometric databases", "biometric-databases"),
    ("Data retention", "data-retention"),
    ("Predictive policing", "predictive-policing"),
]
GROUNDS = [
    ("Private life (ECHR Art. 8)", "echr-8"),
    ("Freedom of expression (ECHR Art. 10)", "echr-10"),
    ("Freedom of assembly (ECHR Art. 11)", "echr-11"),
    ("Effective remedy (ECHR Art. 13)", "echr-13"),
    ("Data protection (GDPR)", "gdpr"),
    ("Constitutional privacy", "constitutional-privacy"),
]
AGENCIES = ["Department of Information Technology", "Ministry of Interior", "Police Service", "Security Service"]
# (system, its slug, vendor, its slug): fixed slugs, so benchmarks can name their pages.
SYSTEMS = [
    ("Fake city cameras", "fake-city-cameras", "Fake Vision", "fake-vision"),
    ("Fake face search", "fake-face-search", "Fake Vision", "fake-vision"),
    ("Fake phone spyware", "fake-phone-spyware", "Fake Intrusion Group", "fake-intrusion-group"),
]
AGENCIES += ["City Transport Authority", "Data Protection Authority", "Intelligence Agency", "Border Agency"]
# Words for titles and summaries, most common first, drawn with Zipf-like weights as in real text: the
# commonest appears in about half the summaries, the rarest in under one in twenty.
WORDS = [
    "surveillance",
    "camera",
    "court",
    "data",
    "police",
    "city",
    "privacy",
    "government",
    "protest",
    "network",
    "biometric",
    "system",
    "journalist",
    "activist",
    "retention",
    "warrant",
    "interception",
    "identity",
    "database",
    "algorithm",
    "metro",
    "station",
    "rally",
    "oversight",
    "transparency",
    "complaint",
    "ministry",
    "authority",
    "public",
    "access",
    "records",
    "lawful",
    "unlawful",
    "storage",
    "recognition",
    "facial",
    "footage",
    "video",
    "monitoring",
    "tracking",
    "location",
    "phone",
    "mobile",
    "operator",
    "communications",
    "metadata",
    "encryption",
    "messenger",
    "telegram",
    "internet",
    "provider",
    "blocking",
    "censorship",
    "statute",
    "regulation",
    "constitution",
    "article",
    "rights",
    "freedom",
    "expression",
    "assembly",
    "association",
    "remedy",
    "damages",
    "compensation",
    "injunction",
    "appeal",
    "judgment",
    "ruling",
    "hearing",
    "evidence",
    "expert",
    "testimony",
    "secret",
    "classified",
    "intelligence",
    "security",
    "service",
    "agency",
    "border",
    "airport",
    "passport",
    "visa",
    "migrant",
    "asylum",
    "refugee",
    "student",
    "school",
    "university",
    "hospital",
    "health",
    "patient",
    "employer",
    "worker",
    "union",
    "strike",
    "election",
    "voter",
    "candidate",
    "party",
    "opposition",
    "leader",
    "lawyer",
    "advocate",
    "ngo",
    "foundation",
    "report",
    "investigation",
    "leak",
    "whistleblower",
    "press",
    "media",
    "broadcaster",
    "newspaper",
    "blogger",
    "website",
    "platform",
    "social",
    "account",
    "deletion",
    "consent",
    "profiling",
    "scoring",
    "prediction",
    "risk",
    "watchlist",
    "register",
    "fingerprint",
    "dna",
    "iris",
    "voice",
    "gait",
    "drone",
    "satellite",
    "sensor",
    "smart",
    "meter",
    "transport",
    "ticket",
    "card",
    "payment",
    "bank",
    "tax",
    "census",
    "housing",
    "welfare",
    "benefit",
    "fraud",
    "audit",
    "inspector",
    "commissioner",
    "ombudsman",
    "parliament",
    "committee",
    "inquiry",
    "minister",
    "mayor",
    "council",
    "district",
    "region",
]
FIRST = [
    "Anna",
    "Ivan",
    "Maria",
    "Alexei",
    "Olga",
    "Sergei",
    "Elena",
    "Dmitri",
    "Sarah",
    "James",
    "Amir",
    "Priya",
    "Lucas",
    "Sofia",
    "Mateo",
    "Zanele",
]
LAST = [
    "Popova",
    "Glukhin",
    "Ivanova",
    "Petrov",
    "Smith",
    "Khan",
    "Silva",
    "Novak",
    "Kowalski",
    "Dubois",
    "Müller",
    "Shevchenko",
    "Naidoo",
]
BATCH = 1000


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


# 1/(rank + 10): a flattened Zipf curve, so no single word is in every case.
WORD_WEIGHTS = [1 / (rank + 10) for rank in range(len(WORDS))]


def word(rng):
    return rng.choices(WORDS, WORD_WEIGHTS)[0]


def sentence(rng, words=12):
    return " ".join(rng.choices(WORDS, WORD_WEIGHTS, k=words)).capitalize() + "."


class Generator:
    """Builds one batch of cases at a time, with every child record, using bulk_create."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.run = secrets.token_hex(3)  # keeps slugs unique when the command runs again
        self.serial = 0
        self.today = timezone.localdate()
        self.technologies = self._vocabulary(Technology, TECHNOLOGIES)
        self.grounds = self._vocabulary(LegalGround, GROUNDS)
        self.courts = self._courts()
        self.echr = self.courts.get(("", "international"))
        self.agencies = self._parties(
            [(f"{city} {agency}", "agency") for city in ("Moscow", "London", "Paris", "Delhi") for agency in AGENCIES]
            + [(f"{name} NGO", "ngo") for name in ("Privacy", "Digital Rights", "Civil Liberties", "Roskomsvoboda")]
        )
        self.deployments = self._deployments()

    def _vocabulary(self, model, terms):
        for name, slug in terms:
            model.objects.get_or_create(slug=slug, defaults={"name": name})
        return list(model.objects.all())

    def _courts(self):
        courts = {}
        for country, _, zone in COUNTRIES:
            upper = None
            for level in reversed(LEVELS):
                upper, _ = Court.objects.get_or_create(
                    name=f"Fake {country} {level.replace('_', ' ')} court",
                    defaults={"country": country, "level": level, "timezone": zone, "appeals_to": upper},
                )
                courts[(country, level)] = upper
        courts[("", "international")], _ = Court.objects.get_or_create(
            name="Fake European Court of Human Rights",
            defaults={"country": "", "level": "international", "timezone": "Europe/Paris"},
        )
        return courts

    def _deployments(self):
        """Return one deployment of a fake system per agency, most of the city cameras."""
        systems = []
        for name, slug, vendor_name, vendor_slug in SYSTEMS:
            vendor, _ = Vendor.objects.get_or_create(slug=vendor_slug, defaults={"name": vendor_name})
            systems.append(System.objects.get_or_create(slug=slug, defaults={"name": name, "vendor": vendor})[0])
        rows = [
            Deployment(
                system=weighted(self.rng, [(systems[0], 6), (systems[1], 3), (systems[2], 1)]),
                operator=agency,
                slug=self._slug(agency.name),
                country=self.rng.choice(COUNTRIES)[0],
                started_on=self.today - datetime.timedelta(days=self.rng.randint(365, 15 * 365)),
            )
            for agency in self.agencies
            if agency.kind == "agency"
        ]
        return Deployment.objects.bulk_create(rows)

    def _parties(self, names):
        parties = [Party(name=name, kind=kind, slug=self._slug(name)) for name, kind in names]
        return Party.objects.bulk_create(parties)

    def _slug(self, text):
        self.serial += 1
        return f"{slugify(text)[:50]}-{self.run}{self.serial}"

    def _date_after(self, start, max_days):
        return min(start + datetime.timedelta(days=self.rng.randint(1, max_days)), self.today)

    def batch(self, size):
        """Create size cases with their parties, proceedings, filings, hearings, decisions and deadlines."""
        rng = self.rng
        plans = []
        for _ in range(size):
            country, _, zone = rng.choices(COUNTRIES, [weight for _, weight, _ in COUNTRIES])[0]
            filed = self.today - datetime.timedelta(days=rng.randint(30, 15 * 365))
            levels = min(1 + int(rng.expovariate(1.2)), len(LEVELS))
            plans.append({"country": country, "zone": zone, "filed": filed, "levels": levels})
        people = self._parties((f"{rng.choice(FIRST)} {rng.choice(LAST)}", "person") for _ in range(size * 3 // 2))
        cases = []
        for plan in plans:
            title = f"{rng.choice(LAST)} v. {rng.choice(AGENCIES)} ({word(rng)})"
            published = rng.random() < 0.85
            cases.append(
                Case(
                    title=title,
                    slug=self._slug(title),
                    summary=sentence(rng, 25),
                    description="\n\n".join(sentence(rng, 40) for _ in range(3)),
                    country=plan["country"],
                    status=weighted(rng, STATUSES),
                    filed_on=plan["filed"],
                    visibility="published" if published else "draft",
                    published_at=timezone.now() if published else None,
                    internal_notes=sentence(rng, 10),
                )
            )
        cases = Case.objects.bulk_create(cases)
        self._taxonomy(cases)
        self._challenges(cases)
        participations = self._participations(cases, people)
        proceedings = self._proceedings(cases, plans)
        latest = self._children(proceedings, participations)
        for case in cases:
            case.last_activity_on = latest.get(case.pk)
        Case.objects.bulk_update(cases, ["last_activity_on"])
        self._deadlines(cases, proceedings)
        return cases

    def _taxonomy(self, cases):
        links, grounds = [], []
        for case in cases:
            for tech in self.rng.sample(self.technologies, self.rng.randint(1, 3)):
                links.append(Case.technologies.through(case_id=case.pk, technology_id=tech.pk))
            for ground in self.rng.sample(self.grounds, self.rng.randint(1, 2)):
                grounds.append(Case.grounds.through(case_id=case.pk, legalground_id=ground.pk))
        Case.technologies.through.objects.bulk_create(links)
        Case.grounds.through.objects.bulk_create(grounds)

    def _challenges(self, cases):
        # Half the cases challenge a deployment; like defendants, a few deployments are challenged again and again.
        rng, rows = self.rng, []
        for case in cases:
            if rng.random() < 0.5:
                deployment = self.deployments[min(int(rng.paretovariate(1.2)) - 1, len(self.deployments) - 1)]
                rows.append(Challenge(case=case, deployment=deployment, claim=sentence(rng, 12)))
        Challenge.objects.bulk_create(rows)

    def _participations(self, cases, people):
        rng, rows = self.rng, []
        for case in cases:
            for person in rng.sample(people, rng.randint(1, 3)):
                rows.append(Participation(case=case, party=person, role="plaintiff"))
            # Zipf-like: a few agencies are sued again and again.
            agency = self.agencies[min(int(rng.paretovariate(1.2)) - 1, len(self.agencies) - 1)]
            rows.append(Participation(case=case, party=agency, role="defendant"))
            if rng.random() < 0.15:
                rows.append(Participation(case=case, party=rng.choice(self.agencies), role="intervener"))
        return Participation.objects.bulk_create(rows)

    def _proceedings(self, cases, plans):
        """Create each case's appeal chain, one court level per pass so appeals_from can point back."""
        chains = {case.pk: [] for case in cases}
        for depth, level in enumerate(LEVELS):
            rows = []
            for case, plan in zip(cases, plans, strict=True):
                if depth >= plan["levels"]:
                    continue
                before = chains[case.pk][-1] if chains[case.pk] else None
                started = self._date_after(before.started_on, 400) if before else plan["filed"]
                court = self.courts[(plan["country"], level)]
                if level == "supreme" and self.echr and self.rng.random() < 0.5:
                    court = self.echr
                rows.append(
                    Proceeding(
                        case=case,
                        court=court,
                        docket_number=f"{self.rng.randint(1, 99)}a-{self.rng.randint(1, 9999)}/{started.year}",
                        started_on=started,
                        appeals_from=before,
                    )
                )
            for proceeding in Proceeding.objects.bulk_create(rows):
                chains[proceeding.case_id].append(proceeding)
        return [proceeding for chain in chains.values() for proceeding in chain]

    def _children(self, proceedings, participations):
        """Create filings (about ten per case), hearings and decisions; return each case's latest public date."""
        rng = self.rng
        by_case = {}
        for participation in participations:
            by_case.setdefault(participation.case_id, []).append(participation)
        filings, hearings, decisions, latest = [], [], [], {}

        def seen(case_id, day):
            latest[case_id] = max(latest.get(case_id, day), day)

        for proceeding in proceedings:
            start = proceeding.started_on
            for _ in range(rng.randint(2, 12)):
                day = self._date_after(start, 700)
                public = rng.random() < 0.85
                filings.append(
                    Filing(
                        proceeding=proceeding,
                        filed_on=day,
                        kind=weighted(rng, FILING_KINDS),
                        title=sentence(rng, 6)[:-1],
                        description=sentence(rng, 20),
                        filed_by=rng.choice(by_case[proceeding.case_id]),
                        is_public=public,
                    )
                )
                if public:
                    seen(proceeding.case_id, day)
            for _ in range(rng.randint(0, 2)):
                day = self._date_after(start, 500)
                hearings.append(
                    Hearing(
                        proceeding=proceeding,
                        starts_at=datetime.datetime.combine(day, datetime.time(7, 0), tzinfo=datetime.UTC),
                        timezone=proceeding.court.timezone,
                        summary=sentence(rng, 15),
                        is_public=True,
                    )
                )
                seen(proceeding.case_id, day)
            if rng.random() < 0.7:
                announced = self._date_after(start, 600)
                final_form = min(announced + datetime.timedelta(days=rng.randint(0, 20)), self.today)
                decisions.append(
                    Decision(
                        proceeding=proceeding,
                        announced_on=announced,
                        final_form_on=final_form,
                        result=weighted(rng, RESULTS),
                        summary=sentence(rng, 30),
                        is_final=rng.random() < 0.4,
                        is_public=True,
                    )
                )
                seen(proceeding.case_id, announced)
        Filing.objects.bulk_create(filings, batch_size=5000)
        Hearing.objects.bulk_create(hearings, batch_size=5000)
        Decision.objects.bulk_create(decisions, batch_size=5000)
        return latest

    def _deadlines(self, cases, proceedings):
        rng, rows = self.rng, []
        last = {proceeding.case_id: proceeding for proceeding in proceedings}
        for case in cases:
            if rng.random() >= 0.3:
                continue
            for _ in range(rng.randint(1, 2)):
                due = self.today + datetime.timedelta(days=rng.randint(-30, 120))
                done = due < self.today and rng.random() < 0.8
                rows.append(
                    Deadline(
                        case=case,
                        proceeding=last.get(case.pk),
                        title=f"File the {rng.choice(['appeal', 'reply', 'cassation complaint', 'observations'])}",
                        kind=rng.choice(["appeal", "cassation", "submission", "other"]),
                        due_on=due,
                        status="done" if done else "open",
                        completed_at=timezone.now() if done else None,
                        reminder_offsets=[14, 7, 3, 1, 0],
                    )
                )
        Deadline.objects.bulk_create(rows)


def compact_cases():
    """Rewrite the case table without the dead rows left by filling in activity dates and search vectors.

    Each generated case row is written three times (insert, activity date, search vector); without this the
    table would be about three times its size and every scan slower. Skipped inside a transaction (tests),
    where PostgreSQL cannot vacuum.
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM FULL ANALYZE cases_case")


class Command(BaseCommand):
    help = "Add N fake cases (with about ten filings each, parties, decisions and deadlines) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--document-pages", type=int, default=0, help="Pages of read document text per case, on average."
        )

    def handle(self, *args, cases, seed, document_pages, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        started = time.monotonic()
        generator = Generator(seed)
        made = pages = 0
        while made < cases:
            with transaction.atomic():
                batch = generator.batch(min(BATCH, cases - made))
                pages += write_document_pages(generator.rng, batch, document_pages) if document_pages else 0
            refresh_search_vectors([case.pk for case in batch])
            write_case_facets([case.pk for case in batch])
            made += len(batch)
            self.stdout.write(f"{made}/{cases} cases, {pages} document pages ({time.monotonic() - started:.0f}s)")
        recount_all()
        compact_cases()
        invalidate_public_pages()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {cases} cases; now {Case.objects.count()} cases, {Filing.objects.count()} filings "
                f"in {time.monotonic() - started:.0f}s."
            )
        )
