"""A small published dataset with every kind of public and non-public record, for the open-data tests."""

import datetime

from cases.actions.events import case_changed
from cases.models import CaseLink, Counsel, LegalGround, Technology
from tests import factories


def taxonomy():
    face = Technology.objects.get_or_create(slug="face-recognition", defaults={"name": "Face recognition"})[0]
    cctv = Technology.objects.get_or_create(slug="cctv", defaults={"name": "CCTV", "name_ru": "Видеонаблюдение"})[0]
    privacy = LegalGround.objects.get_or_create(slug="art-8", defaults={"name": "Private life (ECHR Art. 8)"})[0]
    return face, cctv, privacy


def dataset():
    """Return (public case, other public case, draft case); the draft and secret records carry SECRET."""
    face, cctv, privacy = taxonomy()
    popova = factories.case(
        published=True,
        title="Popova v. Moscow DIT",
        title_ru="Попова против ДИТ Москвы",
        summary="Challenge to facial recognition at protests.",
        description="Long *markdown* account.",
        filed_on=datetime.date(2019, 10, 1),
        status="on_appeal",
        outcome="dismissed",
    )
    popova.technologies.set([face, cctv])
    popova.grounds.set([privacy])
    plaintiff = factories.participation(
        popova, party=factories.party(name="Alena Popova", name_ru="Алёна Попова"), note="Activist"
    )
    defendant = factories.participation(
        popova, role="defendant", party=factories.party(name="Moscow DIT", kind="government", country="RU")
    )
    Counsel.objects.create(
        participation=plaintiff,
        name="Kirill Koroteev",
        organisation=factories.party(name="Agora", kind="ngo", country="RU"),
    )
    Counsel.objects.create(participation=defendant, name="City lawyer")
    district = factories.court(name="Tverskoy District Court", level="first_instance", slug="tverskoy")
    appeal = factories.court(name="Moscow City Court", level="appeal", slug="moscow-city")
    first = factories.proceeding(popova, court=district, docket_number="2a-577/2019")
    second = factories.proceeding(
        popova, court=appeal, docket_number="33a-707/2020", started_on=datetime.date(2020, 1, 10), appeals_from=first
    )
    factories.filing(first, title="Administrative claim", filed_by=plaintiff)
    factories.filing(first, title="SECRET strategy memo", is_public=False)
    factories.hearing(first, place="Courtroom 7")
    factories.hearing(first, place="SECRET closed hearing", is_public=False)
    factories.decision(first, summary="Claim dismissed.")
    factories.decision(
        second, announced_on=datetime.date(2020, 1, 20), final_form_on=None, result="dismissed", is_final=True
    )
    CaseLink.objects.create(case=popova, title="Press report", url="https://example.org/popova")

    bridges = factories.case(published=True, title="Bridges v. South Wales Police", country="GB", outcome="violation")
    bridges.technologies.set([face])
    bridges.related_cases.add(popova)
    factories.participation(bridges, party=factories.party(name="Ed Bridges"))

    draft = factories.case(title="SECRET draft case", country="RU")
    draft.technologies.set([face])
    for case in (popova, bridges, draft):
        # As the actions would after each edit: refresh what derives from the records.
        case_changed(case.pk)
        case.refresh_from_db()
    return popova, bridges, draft
