"""Crawl every public page and feed; nothing unpublished may appear anywhere."""

import datetime
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile

from cases.actions.documents import add_missing_document_texts, extract_document
from cases.datadump import write_dump
from cases.models import Case, Challenge, Deployment, DocumentPage, DocumentText, Remedy, System, Technology, Vendor
from cases.search import refresh_search_vector
from cases.summary import rebuild_case_facets

from . import factories as f

pytestmark = pytest.mark.django_db
MARKER = "LEAKMARKER"
START = [
    "/",
    "/ru/",
    "/sitemap.xml",
    "/robots.txt",
    "/feeds/latest.atom",
    "/ru/feeds/latest.atom",
    "/stats/",
    "/map/",
    "/systems/",
    "/api/v1/vendors/",
    "/api/v1/systems/",
    "/api/v1/deployments/",
    "/api/v1/cases/",
    "/data/vendors.jsonl",
    "/data/systems.jsonl",
    "/data/deployments.jsonl",
    "/data/cases.jsonl",
]
LINK = re.compile(r"""(?:href|src)="([^"]+)"|<loc>([^<]+)</loc>|<link[^>]* href="([^"]+)\"""")
MAX_PAGES = 600


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_DUMP_ROOT = tmp_path / "data"


@pytest.fixture
def secrets():
    """A public case carrying every kind of non-public record, and a draft case, all marked."""
    public = f.case(
        published=True,
        title="Public case",
        internal_notes=f"{MARKER}-internal-notes",
        filed_on=datetime.date(2019, 10, 7),
    )
    face = Technology.objects.create(name="Face recognition", slug="face-recognition")
    public.technologies.add(face)
    plaintiff = f.participation(public, party=f.party(name="Public plaintiff"))
    proceeding = f.proceeding(public)
    f.filing(proceeding, title="Public claim", filed_by=plaintiff, document=ContentFile(b"public text", "a.txt"))
    f.filing(
        proceeding,
        title=f"{MARKER}-confidential-filing",
        description=f"{MARKER}-confidential-description",
        is_public=False,
        document=ContentFile(f"{MARKER}-confidential-document".encode(), "b.txt"),
    )
    f.hearing(proceeding, place=f"{MARKER}-private-hearing", summary=f"{MARKER}-private", is_public=False)
    f.decision(
        proceeding,
        summary=f"{MARKER}-private-decision",
        is_public=False,
        document=ContentFile(f"The reasons name {MARKER} twice: {MARKER}.".encode(), "c.txt"),
    )
    f.decision(proceeding, summary="Public decision")

    draft = f.case(title=f"{MARKER}-draft-title", summary=f"{MARKER}-draft-summary", country="DE")
    draft.technologies.add(Technology.objects.create(name=f"{MARKER}-draft-technology", slug="draft-tech"))
    draft_proceeding = f.proceeding(draft, court=f.court(name=f"{MARKER}-draft-court"), docket_number="X-1")
    # A public court whose appeals go to a court only drafts use: its slug must not leak through appeals_to.
    public_court = proceeding.court
    public_court.appeals_to = draft_proceeding.court
    public_court.save()
    f.participation(draft, party=f.party(name=f"{MARKER}-draft-party"))
    f.filing(
        draft_proceeding,
        title=f"{MARKER}-draft-filing",
        document=ContentFile(f"A public filing of a draft case says {MARKER}.".encode(), "d.txt"),
    )
    f.decision(draft_proceeding, summary=f"{MARKER}-draft-decision")
    draft.related_cases.add(public)
    surveillance(public, draft)
    for case in Case.objects.all():
        refresh_search_vector(case.pk)
    rebuild_case_facets()
    # Read every document's text, as the worker would: confidential text is then in the database, to be kept in.
    add_missing_document_texts()
    for text in DocumentText.objects.all():
        extract_document(text.pk)
    assert DocumentPage.objects.filter(text__contains=MARKER).count() == 3
    return {"public": public, "draft": draft}


def surveillance(public, draft):
    """Mark what a draft case challenges, a system no public case challenges, and a public remedy's private note."""
    vendor = Vendor.objects.create(name="Public vendor", slug="public-vendor")
    system = System.objects.create(name="Public system", slug="public-system", vendor=vendor)
    operator = f.party(name="Public operator", kind="agency")
    deployment = Deployment.objects.create(
        slug="public-deployment",
        system=system,
        operator=operator,
        country="RU",
        city="Moscow",
        latitude="55.75583",
        longitude="37.61730",
    )
    challenge = Challenge.objects.create(case=public, deployment=deployment, claim="Public claim")
    Remedy.objects.create(
        challenge=challenge,
        kind="none",
        date=datetime.date(2020, 3, 1),
        source_url="https://example.org/remedy",
        public_note="Public remedy note",
        private_note=f"{MARKER}-private-remedy-note",
    )
    hidden = System.objects.create(
        name=f"{MARKER}-unpublished-system",
        slug="unpublished-system",
        aliases=f"{MARKER}-system-alias",
        description=f"{MARKER}-system-description",
        vendor=Vendor.objects.create(name=f"{MARKER}-draft-vendor", slug="draft-vendor"),
    )
    draft_deployment = Deployment.objects.create(
        slug="draft-deployment",
        system=hidden,
        operator=f.party(name=f"{MARKER}-draft-operator", slug="draft-operator", kind="agency"),
        country="DE",
        city=f"{MARKER}-draft-city",
        latitude="52.52000",
        longitude="13.40500",
    )
    Challenge.objects.create(case=draft, deployment=draft_deployment, claim=f"{MARKER}-draft-deployment-link")
    # A deployment public on its own that only the draft case challenges: no filter may tie it to the draft.
    kazan = Deployment.objects.create(
        slug="published-deployment",
        system=system,
        operator=operator,
        country="RU",
        city="Kazan",
        latitude="55.79639",
        longitude="49.10889",
        is_published=True,
    )
    Challenge.objects.create(case=draft, deployment=kazan, claim=f"{MARKER}-draft-published-deployment-link")
    # A draft case challenging a public system must not show on the system's page either.
    Challenge.objects.create(case=draft, system=system, claim=f"{MARKER}-draft-system-claim")


def crawl(client):
    seen, queue, bodies = set(), deque(START), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])  # e.g. the full CSV export is the dump's file
            continue
        assert response.status_code in (200, 404), (url, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[url] = body.decode("utf-8", errors="replace")
        if "html" not in response.get("Content-Type", "") and "xml" not in response.get("Content-Type", ""):
            continue
        for match in LINK.finditer(bodies[url]):
            link = next(group for group in match.groups() if group).replace("&amp;", "&")
            parts = urlsplit(urljoin("http://testserver" + url, link))
            if parts.netloc != "testserver" or parts.path.startswith(("/admin", "/ru/admin", "/static/")):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return bodies


def test_no_unpublished_data_anywhere_public(client, secrets):
    write_dump()
    bodies = crawl(client)
    assert "Public system" in bodies["/data/systems.jsonl"]
    assert any(secrets["public"].get_absolute_url() in url for url in bodies)
    assert any(url.startswith("/documents/") for url in bodies), "the public document should be reachable"
    assert any(url.endswith("/text/") for url in bodies), "the public document's text should be reachable"
    assert any(url.startswith("/ru/cases/") for url in bodies)
    for page in ["/systems/public-system/", "/vendors/public-vendor/", "/deployments/"]:
        assert any(url.startswith(page) for url in bodies), f"{page} should be reachable"
    assert "Public remedy note" in bodies[secrets["public"].get_absolute_url()]
    leaks = {
        url: body[body.index(MARKER) - 60 : body.index(MARKER) + 60] for url, body in bodies.items() if MARKER in body
    }
    assert not leaks


@pytest.mark.parametrize(
    "url",
    [
        f"/cases/?q={MARKER.lower()}",
        "/cases/?q=draft",
        "/cases/?country=DE",
        "/cases/?technology=draft-tech",
        "/cases/export.csv?q=draft",
        "/cases/feed.atom?country=DE",
        "/map/?country=DE",
        "/map/?technology=draft-tech",
        f"/map/?q={MARKER.lower()}",
        f"/cases/export.json?q={MARKER.lower()}",
        f"/cases/feed.atom?q={MARKER.lower()}",
        f"/api/v1/cases/?q={MARKER.lower()}",
        "/cases/?system=unpublished-system",
        "/cases/?vendor=draft-vendor",
        "/cases/?operator=draft-operator",
        "/cases/?system=public-system",
        "/cases/?q=unpublished+system",
        "/api/v1/systems/",
        "/api/v1/vendors/",
        "/api/v1/deployments/?country=DE",
        "/api/v1/cases/?system=public-system",
        "/cases/export.json?system=public-system",
        "/cases/export.csv",
        "/systems/public-system/",
        "/ru/systems/public-system/",
        "/vendors/public-vendor/",
    ],
)
def test_searching_and_filtering_for_secrets_finds_nothing(client, secrets, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert MARKER not in body.decode()


def test_the_map_counts_no_draft(client, secrets):
    rebuild_case_facets()
    for url in ["/map/", "/map/?q=draft", "/map/?country=DE", "/map/?technology=draft-tech"]:
        body = client.get(url).content.decode()
        # Germany has only the draft case: neither shaded nor in the table (it may be named as the filter asked).
        assert "Germany: " not in body and ">Germany</a></th>" not in body, url
    body = client.get("/map/").content.decode()
    assert "Russia: 1 case<" in body and "Germany" not in body


def test_the_map_places_no_unpublished_deployment(client, secrets):
    points = re.compile(r'<a href="(/deployments/[^"]+/)"><circle class="map-point')
    rows = re.compile(r'<tr><th scope="row"><a href="(/deployments/[^"]+/)">')
    body = client.get("/map/").content.decode()
    # Unfiltered: every public deployment with coordinates, the draft case's own deployment nowhere.
    assert (
        points.findall(body)
        == rows.findall(body)
        == ["/deployments/published-deployment/", "/deployments/public-deployment/"]  # Kazan, then Moscow
    )
    assert MARKER not in body and "draft-deployment" not in body and "52.52" not in body
    # Filtered to what only the draft case matches: no deployment, not even the public one the draft challenges.
    for url in ["/map/?country=DE", "/map/?q=draft", f"/map/?q={MARKER.lower()}"]:
        body = client.get(url).content.decode()
        assert points.findall(body) == rows.findall(body) == [], url
        assert MARKER not in body and "Deployments on the map" not in body, url
    # A filter naming what only the draft uses is ignored, as on the list: the map is the unfiltered one.
    body = client.get("/map/?technology=draft-tech").content.decode()
    assert "not recognised" in body and "draft-deployment" not in body and MARKER not in body
    body = client.get("/map/?technology=face-recognition").content.decode()
    assert points.findall(body) == rows.findall(body) == ["/deployments/public-deployment/"]


def test_unpublished_records_are_404(client, secrets):
    draft = secrets["draft"]
    for url in [
        draft.get_absolute_url(),
        f"/cases/{draft.slug}/feed.atom",
        "/technologies/draft-tech/",
        draft.participations.get().party.get_absolute_url(),
        draft.proceedings.get().court.get_absolute_url(),
        "/systems/unpublished-system/",
        "/vendors/draft-vendor/",
        "/deployments/draft-deployment/",
        "/api/v1/systems/unpublished-system/",
        "/api/v1/vendors/draft-vendor/",
        "/api/v1/deployments/draft-deployment/",
    ]:
        assert client.get(url).status_code == 404, url


def test_surveillance_facets_count_only_public_challenges(client, secrets):
    response = client.get("/cases/")
    groups = {group["name"]: group["options"] for group in response.context["facets"]}
    assert [(option["value"], option["count"]) for option in groups["system"]] == [("public-system", 1)]
    assert [(option["value"], option["count"]) for option in groups["vendor"]] == [("public-vendor", 1)]
    assert [option["label"] for option in groups["operator"]] == ["Public operator"]
    assert client.get("/api/v1/cases/", {"system": "unpublished-system"}).status_code == 400


@pytest.mark.usefixtures("require_postgres")
def test_confidential_document_text_is_in_no_search_result_snippet_count_or_dump(client, secrets, tmp_path):
    for query in [MARKER.lower(), f"{MARKER.lower()} twice", "draft case says"]:
        response = client.get("/cases/", {"q": query})
        assert response.context["page"].paginator.count == 0
        assert all(option["count"] == 0 for group in response.context["facets"] for option in group["options"])
        assert client.get("/api/v1/cases/", {"q": query}).json()["results"] == []
    assert client.get("/cases/", {"q": "public text"}).context["page"].paginator.count == 1
    write_dump(tmp_path / "dump")
    for path in (tmp_path / "dump").iterdir():
        assert MARKER not in path.read_text(errors="replace"), path.name


def test_a_document_made_confidential_after_the_dump_was_built_is_not_served(
    client, settings, tmp_path, editor, django_capture_on_commit_callbacks, no_cached_pages
):
    from cases.actions.records import save_record

    settings.DATA_DUMP_ROOT = tmp_path / "data"
    case = f.case(published=True, title="Public case")
    filing = f.filing(f.proceeding(case), document=ContentFile(f"Witness statement of {MARKER}.".encode(), "w.txt"))
    add_missing_document_texts()
    extract_document(DocumentText.objects.get().pk)
    write_dump()
    assert MARKER in (tmp_path / "data" / "documents.jsonl").read_text()

    filing.is_public = False
    with django_capture_on_commit_callbacks(execute=True):
        save_record(filing, actor=editor)

    response = client.get("/data/documents.jsonl")
    assert response.status_code == 200
    assert MARKER not in b"".join(response.streaming_content).decode()


@pytest.mark.usefixtures("tasks_run_here")
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
@pytest.mark.parametrize("query", ["", f"?q={MARKER.lower()}", "?country=DE", "?q=draft"])
def test_background_export_jobs_hold_nothing_unpublished(
    client, secrets, settings, tmp_path, fmt, query, django_capture_on_commit_callbacks
):
    settings.EXPORT_JOB_ROOT = tmp_path / "exports"
    settings.EXPORT_JOB_RATE = 1000  # each parameter starts a job from the same address
    with django_capture_on_commit_callbacks(execute=True):
        page_url = client.post(f"/cases/exports/{fmt}/{query}")["Location"]
    page = client.get(page_url).content.decode()
    download = client.get(f"{page_url}file")
    assert download.status_code == 200
    assert MARKER not in page and MARKER not in b"".join(download.streaming_content).decode()
    for path in (tmp_path / "exports").iterdir():
        assert MARKER not in path.read_text(), path.name
