"""Demo data: real surveillance cases from public sources, summarised in our own words.

`load_demo()` is idempotent: every record is found by a natural key and saved, through the
actions, only when it is new or differs, so a second run changes nothing (not even history).
"""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .actions.decisions import save_decision
from .actions.publishing import publish_case
from .actions.records import save_record
from .demo_documents import attach_demo_documents
from .models import (
    Case,
    CaseLink,
    Counsel,
    Court,
    Decision,
    Filing,
    Hearing,
    LegalGround,
    Participation,
    Party,
    Proceeding,
    Technology,
)

# Marker strings that leak tests look for: they must never appear on a public surface.
CONFIDENTIAL_FILING_TITLE = "Evidence file: photographs of the metal-detector cameras (staff only)"
INTERNAL_NOTE = "STAFF ONLY: ask Agora whether the Government's observations have been communicated."

TECHNOLOGIES = [
    ("face-recognition", "Face recognition", "Распознавание лиц"),
    ("licence-plate-readers", "Automated licence-plate readers", "Автоматическое распознавание номеров"),
    ("cctv", "CCTV and camera networks", "Видеонаблюдение и сети камер"),
    ("cell-site-location", "Cell-site location data", "Данные о местоположении от базовых станций"),
    ("cell-site-simulators", "Cell-site simulators", "Имитаторы базовых станций"),
    ("bulk-interception", "Bulk interception", "Массовый перехват коммуникаций"),
    ("data-retention", "Communications data retention", "Хранение данных о коммуникациях"),
    ("spyware", "Spyware and hacking", "Шпионские программы и взлом"),
    ("drones", "Drones", "Беспилотники"),
    ("body-worn-cameras", "Body-worn cameras", "Нагрудные камеры"),
    ("predictive-policing", "Predictive policing", "Предиктивная полицейская деятельность"),
    ("gunshot-detection", "Gunshot detection", "Обнаружение выстрелов"),
    ("biometric-databases", "Biometric databases", "Биометрические базы данных"),
    ("social-media-monitoring", "Social-media monitoring", "Мониторинг социальных сетей"),
]

GROUNDS = [
    ("private-life", "Private life (ECHR Art. 8)", "Уважение частной жизни (ст. 8 ЕКПЧ)"),
    ("expression", "Freedom of expression (ECHR Art. 10)", "Свобода выражения мнения (ст. 10 ЕКПЧ)"),
    ("assembly", "Freedom of assembly (ECHR Art. 11)", "Свобода собраний (ст. 11 ЕКПЧ)"),
    ("effective-remedy", "Effective remedy (ECHR Art. 13)", "Эффективное средство правовой защиты (ст. 13 ЕКПЧ)"),
    (
        "data-protection",
        "Data protection (GDPR, national data laws, BIPA)",
        "Защита персональных данных (GDPR, национальные законы, BIPA)",
    ),
    (
        "search-and-seizure",
        "Search and seizure (US Fourth Amendment)",
        "Защита от необоснованных обысков (Четвёртая поправка)",
    ),
    ("non-discrimination", "Non-discrimination and equality", "Недискриминация и равенство"),
]

# Listed so that a court comes after the court its appeals go to.
COURTS = [
    (
        "ru-supreme",
        "Supreme Court of the Russian Federation",
        "Верховный суд Российской Федерации",
        "RU",
        "supreme",
        "Europe/Moscow",
        None,
    ),
    (
        "ru-2nd-cassation",
        "Second Cassation Court of General Jurisdiction",
        "Второй кассационный суд общей юрисдикции",
        "RU",
        "cassation",
        "Europe/Moscow",
        "ru-supreme",
    ),
    (
        "moscow-city",
        "Moscow City Court",
        "Московский городской суд",
        "RU",
        "appeal",
        "Europe/Moscow",
        "ru-2nd-cassation",
    ),
    (
        "savyolovsky",
        "Savyolovsky District Court of Moscow",
        "Савёловский районный суд города Москвы",
        "RU",
        "first_instance",
        "Europe/Moscow",
        "moscow-city",
    ),
    (
        "tverskoy",
        "Tverskoy District Court of Moscow",
        "Тверской районный суд города Москвы",
        "RU",
        "first_instance",
        "Europe/Moscow",
        "moscow-city",
    ),
    (
        "meshchansky",
        "Meshchansky District Court of Moscow",
        "Мещанский районный суд города Москвы",
        "RU",
        "first_instance",
        "Europe/Moscow",
        "moscow-city",
    ),
    (
        "echr-grand-chamber",
        "European Court of Human Rights, Grand Chamber",
        "Большая палата Европейского суда по правам человека",
        "",
        "international",
        "Europe/Paris",
        None,
    ),
    (
        "echr",
        "European Court of Human Rights",
        "Европейский суд по правам человека",
        "",
        "international",
        "Europe/Paris",
        "echr-grand-chamber",
    ),
    (
        "cjeu",
        "Court of Justice of the European Union",
        "Суд Европейского союза",
        "",
        "international",
        "Europe/Luxembourg",
        None,
    ),
    ("ie-supreme", "Supreme Court of Ireland", "Верховный суд Ирландии", "IE", "supreme", "Europe/Dublin", None),
    (
        "ie-appeal",
        "Court of Appeal of Ireland",
        "Апелляционный суд Ирландии",
        "IE",
        "appeal",
        "Europe/Dublin",
        "ie-supreme",
    ),
    ("ie-high", "High Court of Ireland", "Высокий суд Ирландии", "IE", "first_instance", "Europe/Dublin", "ie-appeal"),
    (
        "us-supreme",
        "Supreme Court of the United States",
        "Верховный суд США",
        "US",
        "supreme",
        "America/New_York",
        None,
    ),
    (
        "us-6th-circuit",
        "United States Court of Appeals for the Sixth Circuit",
        "Апелляционный суд США шестого округа",
        "US",
        "appeal",
        "America/New_York",
        "us-supreme",
    ),
    ("il-supreme", "Supreme Court of Illinois", "Верховный суд Иллинойса", "US", "supreme", "America/Chicago", None),
    (
        "il-appellate-1",
        "Appellate Court of Illinois, First District",
        "Апелляционный суд Иллинойса, первый округ",
        "US",
        "appeal",
        "America/Chicago",
        "il-supreme",
    ),
    (
        "cook-county",
        "Circuit Court of Cook County, Illinois",
        "Окружной суд округа Кук, Иллинойс",
        "US",
        "first_instance",
        "America/Chicago",
        "il-appellate-1",
    ),
]

PARTIES = [
    ("alena-popova", "Alena Popova", "Алёна Попова", "person", "RU"),
    ("vladimir-milov", "Vladimir Milov", "Владимир Милов", "person", "RU"),
    (
        "moscow-dit",
        "Moscow Department of Information Technology",
        "Департамент информационных технологий города Москвы",
        "government",
        "RU",
    ),
    (
        "gu-mvd-moscow",
        "Main Directorate of the Ministry of Internal Affairs for Moscow (GU MVD)",
        "Главное управление МВД России по г. Москве",
        "agency",
        "RU",
    ),
    ("agora", "Agora International Human Rights Group", "Международная правозащитная группа «Агора»", "ngo", "RU"),
    ("nikolay-glukhin", "Nikolay Glukhin", "Николай Глухин", "person", "RU"),
    ("russia", "Russian Federation", "Российская Федерация", "government", "RU"),
    ("big-brother-watch", "Big Brother Watch", "Big Brother Watch", "ngo", "GB"),
    ("united-kingdom", "United Kingdom", "Соединённое Королевство", "government", "GB"),
    ("timothy-carpenter", "Timothy Carpenter", "Тимоти Карпентер", "person", "US"),
    ("united-states", "United States", "Соединённые Штаты", "government", "US"),
    ("aclu", "American Civil Liberties Union", "Американский союз защиты гражданских свобод", "ngo", "US"),
    ("aclu-illinois", "ACLU of Illinois", "ACLU штата Иллинойс", "ngo", "US"),
    ("caase", "Chicago Alliance Against Sexual Exploitation", "", "ngo", "US"),
    ("swop-chicago", "Sex Workers Outreach Project Chicago", "", "ngo", "US"),
    ("illinois-pirg", "Illinois State Public Interest Research Group", "", "ngo", "US"),
    ("mujeres-latinas", "Mujeres Latinas en Accion", "", "ngo", "US"),
    ("clearview-ai", "Clearview AI, Inc.", "Clearview AI", "company", "US"),
    ("irish-dpc", "Data Protection Commissioner (Ireland)", "Комиссар по защите данных Ирландии", "agency", "IE"),
    ("facebook-ireland", "Facebook Ireland Ltd", "Facebook Ireland", "company", "IE"),
    ("max-schrems", "Maximillian Schrems", "Максимилиан Шремс", "person", "AT"),
]

# Hearing times are not in the sources; the demo uses 10:00 court time.
MORNING = datetime.time(10, 0)

CASES = [
    {
        "slug": "popova-and-milov-v-moscow-dit",
        "title": "Popova and Milov v. Moscow Department of Information Technology",
        "title_ru": "Попова и Милов против Департамента информационных технологий Москвы",
        "original_title": "Попова А. В., Милов В. С. против ДИТ г. Москвы",
        "country": "RU",
        "status": "pending",
        "outcome": "",
        "filed_on": datetime.date(2019, 10, 7),
        "summary": (
            "Two Moscow suits against the city's live facial recognition, run by the Department of Information "
            "Technology on a network of about 105,000 cameras. Alena Popova first sued the department and the city "
            "police to stop the recognition and erase her biometric data; the Savyolovsky District Court dismissed "
            "the claim on 6 November 2019. With Vladimir Milov she then challenged the cameras fitted to the "
            "metal-detector frames at a sanctioned rally on Sakharov Avenue, asking for a ban at mass events; that "
            "claim was dismissed on 3 March 2020. An application to the European Court of Human Rights followed."
        ),
        "summary_ru": (
            "Два иска против системы распознавания лиц, которую Департамент информационных технологий Москвы "
            "использует в сети примерно из 105 000 камер. Сначала Алёна Попова потребовала прекратить распознавание и "
            "удалить её биометрические данные; Савёловский районный суд отказал 6 ноября 2019 года. Затем вместе с "
            "Владимиром Миловым она оспорила камеры на рамках металлоискателей на согласованном митинге на проспекте "
            "Сахарова и потребовала запретить распознавание на массовых мероприятиях; 3 марта 2020 года суд отказал. "
            "После этого заявители обратились в Европейский суд по правам человека."
        ),
        "description": (
            "The city says footage is deleted after five days (120 hours) unless the public or the police ask for "
            "it. It spent at least 3.3 billion roubles on hardware and completed the rollout with a software "
            "contract in December 2019. During the 2020 quarantine the city said it used the same system to "
            "enforce home isolation."
        ),
        "internal_notes": INTERNAL_NOTE,
        "technologies": ["face-recognition", "cctv"],
        "grounds": ["private-life", "assembly", "data-protection"],
        "participations": [
            ("alena-popova", "plaintiff", "", [("Kirill Koroteev", "agora"), ("Sarkis Darbinyan", None)]),
            ("vladimir-milov", "plaintiff", "Second suit and the ECHR application.", [("Kirill Koroteev", "agora")]),
            ("moscow-dit", "defendant", "", []),
            ("gu-mvd-moscow", "defendant", "First suit only.", []),
        ],
        "proceedings": [
            {
                "key": "suit-1",
                "court": "savyolovsky",
                "docket_number": "",
                "started_on": datetime.date(2019, 10, 7),
                "ended_on": datetime.date(2019, 11, 6),
                "filings": [
                    {
                        "title": "Statement of claim against the DIT and the Moscow police",
                        "filed_on": datetime.date(2019, 10, 7),
                        "kind": "complaint",
                        "filed_by": ("alena-popova", "plaintiff"),
                        "is_public": True,
                        "description": "Asks the court to stop facial recognition and delete the claimant's data.",
                    },
                ],
                "hearings": [
                    {
                        "day": datetime.date(2019, 11, 6),
                        "place": "Savyolovsky District Court, Moscow",
                        "summary": "Both sides were heard and the judge dismissed the claim the same day.",
                        "is_public": True,
                    },
                ],
                "decisions": [
                    {
                        "announced_on": datetime.date(2019, 11, 6),
                        "result": "dismissed",
                        "summary": "Claim dismissed: the court found the recognition system lawful.",
                    },
                ],
            },
            {
                "key": "suit-2",
                "court": "tverskoy",
                "docket_number": "",
                "started_on": None,
                "ended_on": datetime.date(2020, 3, 3),
                "filings": [
                    {
                        "title": CONFIDENTIAL_FILING_TITLE,
                        "filed_on": datetime.date(2020, 1, 31),
                        "kind": "evidence",
                        "filed_by": ("alena-popova", "plaintiff"),
                        "is_public": False,
                        "description": "Demo record: a confidential filing that must stay inside the admin.",
                    },
                ],
                "hearings": [
                    {
                        "day": datetime.date(2020, 3, 3),
                        "place": "Tverskoy District Court, Moscow",
                        "summary": "Final hearing; the claim to ban recognition at mass events was dismissed.",
                        "is_public": True,
                    },
                ],
                "decisions": [
                    {
                        "announced_on": datetime.date(2020, 3, 3),
                        "result": "dismissed",
                        "summary": "Claim dismissed: the court saw no breach of privacy at the rally.",
                    },
                ],
            },
            {
                "key": "echr",
                "court": "echr",
                "docket_number": "",
                "started_on": None,
                "ended_on": None,
                "filings": [
                    {
                        "title": "Application under Articles 8 and 11 of the Convention",
                        "filed_on": datetime.date(2020, 7, 6),
                        "kind": "application",
                        "filed_by": ("alena-popova", "plaintiff"),
                        "is_public": True,
                        "description": "Reported in the press on 6 July 2020. The outcome is not yet known.",
                    },
                ],
            },
        ],
        # No press links until their addresses are verified: a wrong link misleads readers.
        "links": [],
    },
    {
        "slug": "glukhin-v-russia",
        "title": "Glukhin v. Russia",
        "title_ru": "Глухин против России",
        "original_title": "Glukhin v. Russia, no. 11519/20",
        "country": "RU",
        "status": "decided",
        "outcome": "violation",
        "filed_on": None,
        "summary": (
            "In August 2019 Nikolay Glukhin stood alone in the Moscow metro holding a cardboard cut-out of the "
            "jailed protester Konstantin Kotov. Police traced him with facial recognition and a district court "
            "fined him 20,000 roubles. In the first Strasbourg judgment on facial recognition, the European Court "
            "found that Russia had breached his freedom of expression and his right to private life."
        ),
        "summary_ru": (
            "В августе 2019 года Николай Глухин провёл одиночный пикет в московском метро с картонной фигурой "
            "Константина Котова. Полиция нашла его с помощью распознавания лиц, а районный суд оштрафовал на 20 000 "
            "рублей. В первом решении о распознавании лиц Европейский суд признал нарушение свободы выражения мнения "
            "и права на уважение частной жизни."
        ),
        "technologies": ["face-recognition", "cctv"],
        "grounds": ["private-life", "expression"],
        "participations": [
            ("nikolay-glukhin", "plaintiff", "", []),
            ("russia", "defendant", "", []),
        ],
        "proceedings": [
            {
                "key": "district",
                "court": "meshchansky",
                "docket_number": "",
                "started_on": None,
                "ended_on": None,
            },
            {
                "key": "echr",
                "court": "echr",
                "docket_number": "11519/20",
                "started_on": None,
                "ended_on": datetime.date(2023, 10, 4),
                "decisions": [
                    {
                        "announced_on": datetime.date(2023, 7, 4),
                        "final_form_on": datetime.date(2023, 7, 4),
                        "result": "violation",
                        "is_final": True,
                        "summary": (
                            "Third Section judgment: violations of Article 10 and Article 8, including the use of "
                            "live facial recognition. Final on 4 October 2023."
                        ),
                    },
                ],
            },
        ],
        "links": [
            ("source", "Glukhin v. Russia on HUDOC", 'https://hudoc.echr.coe.int/eng#{"appno":["11519/20"]}', None),
        ],
    },
    {
        "slug": "big-brother-watch-v-united-kingdom",
        "title": "Big Brother Watch and Others v. the United Kingdom",
        "title_ru": "«Big Brother Watch» и другие против Соединённого Королевства",
        "original_title": "",
        "country": "GB",
        "status": "decided",
        "outcome": "violation",
        "filed_on": datetime.date(2013, 9, 4),
        "summary": (
            "Challenges to British bulk interception and intelligence sharing, brought after Edward Snowden's "
            "disclosures. The Grand Chamber held that the bulk interception regime and the regime for obtaining "
            "communications data breached private life, and that journalists' freedom of expression was violated; "
            "receiving material from foreign services was not a violation."
        ),
        "summary_ru": (
            "Жалобы на британский массовый перехват и обмен разведданными, поданные после разоблачений Эдварда "
            "Сноудена. Большая палата признала, что режим массового перехвата и получения данных о коммуникациях "
            "нарушал право на частную жизнь, а также свободу выражения мнения журналистов; получение данных от "
            "иностранных спецслужб нарушением не признано."
        ),
        "technologies": ["bulk-interception", "data-retention"],
        "grounds": ["private-life", "expression"],
        "participations": [
            ("big-brother-watch", "plaintiff", "Lead applicant of the joined applications.", []),
            ("united-kingdom", "defendant", "", []),
        ],
        "proceedings": [
            {
                "key": "chamber",
                "court": "echr",
                "docket_number": "58170/13, 62322/14, 24960/15",
                "started_on": datetime.date(2013, 9, 4),
                "ended_on": datetime.date(2018, 9, 13),
                "decisions": [
                    {
                        "announced_on": datetime.date(2018, 9, 13),
                        "final_form_on": datetime.date(2018, 9, 13),
                        "result": "violation",
                        "summary": "Chamber: violations of Articles 8 and 10; no violation on intelligence sharing.",
                    },
                ],
            },
            {
                "key": "grand-chamber",
                "court": "echr-grand-chamber",
                "docket_number": "58170/13, 62322/14, 24960/15",
                "started_on": None,
                "ended_on": datetime.date(2021, 5, 25),
                "appeals_from": "chamber",
                "decisions": [
                    {
                        "announced_on": datetime.date(2021, 5, 25),
                        "final_form_on": datetime.date(2021, 5, 25),
                        "result": "violation",
                        "is_final": True,
                        "summary": (
                            "Grand Chamber: violations of Article 8 (bulk interception under section 8(4) RIPA and "
                            "the Chapter II communications-data regime) and of Article 10."
                        ),
                    },
                ],
            },
        ],
        "links": [
            (
                "source",
                "Big Brother Watch and Others v. the United Kingdom on HUDOC",
                'https://hudoc.echr.coe.int/eng#{"appno":["58170/13"]}',
                None,
            ),
        ],
    },
    {
        "slug": "carpenter-v-united-states",
        "title": "Carpenter v. United States",
        "title_ru": "Карпентер против США",
        "original_title": "",
        "country": "US",
        "status": "decided",
        "outcome": "granted",
        "filed_on": None,
        "summary": (
            "Police collected 127 days of Timothy Carpenter's cell-site location records, 12,898 points, without a "
            "warrant. The Supreme Court held 5-4 that obtaining such records is a search under the Fourth "
            "Amendment, so the police generally need a warrant, and sent the case back."
        ),
        "summary_ru": (
            "Полиция без ордера получила данные о местоположении телефона Тимоти Карпентера за 127 дней — 12 898 "
            "точек. Верховный суд США большинством 5 голосов против 4 решил, что получение таких данных является "
            "обыском по Четвёртой поправке и, как правило, требует ордера."
        ),
        "technologies": ["cell-site-location"],
        "grounds": ["search-and-seizure"],
        "participations": [
            ("timothy-carpenter", "plaintiff", "Petitioner.", [("", "aclu")]),
            ("united-states", "defendant", "Respondent.", []),
        ],
        "proceedings": [
            {
                "key": "sixth-circuit",
                "court": "us-6th-circuit",
                "docket_number": "",
                "started_on": None,
                "ended_on": None,
            },
            {
                "key": "supreme",
                "court": "us-supreme",
                "docket_number": "16-402",
                "started_on": None,
                "ended_on": datetime.date(2018, 6, 22),
                "appeals_from": "sixth-circuit",
                "hearings": [
                    {
                        "day": datetime.date(2017, 11, 29),
                        "place": "Supreme Court of the United States, Washington, D.C.",
                        "summary": "Oral argument.",
                        "is_public": True,
                    },
                ],
                "decisions": [
                    {
                        "announced_on": datetime.date(2018, 6, 22),
                        "final_form_on": datetime.date(2018, 6, 22),
                        "result": "granted",
                        "is_final": True,
                        "summary": "Roberts CJ for the Court: a Fourth Amendment search; reversed and remanded.",
                    },
                ],
            },
        ],
        "links": [
            (
                "source",
                "Opinion of the Court",
                "https://www.supremecourt.gov/opinions/17pdf/16-402_h315.pdf",
                datetime.date(2018, 6, 22),
            ),
        ],
    },
    {
        "slug": "schrems-ii",
        "title": "Data Protection Commissioner v. Facebook Ireland and Maximillian Schrems (Schrems II)",
        "title_ru": "Комиссар по защите данных против Facebook Ireland и Максимилиана Шремса («Шремс II»)",
        "original_title": "",
        "country": "IE",
        "status": "decided",
        "outcome": "partly_granted",
        "filed_on": None,
        "summary": (
            "Irish proceedings over Facebook's transfers of personal data to the United States led to a reference "
            "to the Court of Justice. Because of US surveillance law (FISA section 702 and Executive Order 12333), "
            "the Court struck down the EU-US Privacy Shield but upheld standard contractual clauses."
        ),
        "summary_ru": (
            "Ирландское дело о передаче Facebook персональных данных в США дошло до Суда ЕС. Из-за американского "
            "законодательства о слежке (раздел 702 FISA и указ 12333) Суд признал недействительным «Щит "
            "конфиденциальности» ЕС–США, но сохранил стандартные договорные условия."
        ),
        "technologies": ["bulk-interception"],
        "grounds": ["data-protection", "private-life", "effective-remedy"],
        "participations": [
            ("irish-dpc", "plaintiff", "", []),
            ("facebook-ireland", "defendant", "", []),
            ("max-schrems", "defendant", "", []),
        ],
        "proceedings": [
            {
                "key": "high-court",
                "court": "ie-high",
                "docket_number": "",
                "started_on": None,
                "ended_on": None,
                "filings": [
                    {
                        "title": "Order referring questions to the Court of Justice (Costello J)",
                        "filed_on": datetime.date(2018, 5, 4),
                        "kind": "order",
                        "filed_by": None,
                        "is_public": True,
                        "description": "",
                    },
                ],
            },
            {
                "key": "supreme",
                "court": "ie-supreme",
                "docket_number": "[2019] IESC 46",
                "started_on": None,
                "ended_on": datetime.date(2019, 5, 31),
                "appeals_from": "high-court",
                "decisions": [
                    {
                        "announced_on": datetime.date(2019, 5, 31),
                        "final_form_on": datetime.date(2019, 5, 31),
                        "result": "dismissed",
                        "is_final": True,
                        "summary": "Facebook's appeal against the reference dismissed.",
                    },
                ],
            },
            {
                "key": "cjeu",
                "court": "cjeu",
                "docket_number": "C-311/18",
                "started_on": None,
                "ended_on": datetime.date(2020, 7, 16),
                "decisions": [
                    {
                        "announced_on": datetime.date(2020, 7, 16),
                        "final_form_on": datetime.date(2020, 7, 16),
                        "result": "partly_granted",
                        "is_final": True,
                        "summary": (
                            "Grand Chamber: Privacy Shield decision 2016/1250 invalid; standard contractual clauses "
                            "decision 2010/87 valid."
                        ),
                    },
                ],
            },
        ],
        "links": [
            ("source", "Case C-311/18 on CURIA", "https://curia.europa.eu/juris/liste.jsf?num=C-311/18", None),
        ],
    },
    {
        "slug": "aclu-v-clearview-ai",
        "title": "ACLU v. Clearview AI",
        "title_ru": "ACLU против Clearview AI",
        "original_title": "American Civil Liberties Union et al. v. Clearview AI, Inc.",
        "country": "US",
        "status": "settled",
        "outcome": "settled",
        "filed_on": datetime.date(2020, 5, 28),
        "summary": (
            "Civil-liberties and community groups sued Clearview AI under the Illinois Biometric Information "
            "Privacy Act for building faceprints from photos scraped off the internet. After the court refused to "
            "dismiss the case, a consent order barred Clearview from selling its faceprint database to most private "
            "companies nationwide and to any Illinois entity, police included, for five years."
        ),
        "summary_ru": (
            "Правозащитные и общественные организации подали иск к Clearview AI по закону Иллинойса о биометрической "
            "информации (BIPA) за создание шаблонов лиц из фотографий, собранных в интернете. Суд отказал в "
            "прекращении дела, а мировое соглашение запретило Clearview продавать свою базу большинству частных "
            "компаний в США и любым организациям в Иллинойсе, включая полицию, на пять лет."
        ),
        "technologies": ["face-recognition", "biometric-databases"],
        "grounds": ["data-protection"],
        "participations": [
            ("aclu", "plaintiff", "", []),
            ("aclu-illinois", "plaintiff", "", []),
            ("caase", "plaintiff", "", []),
            ("swop-chicago", "plaintiff", "", []),
            ("illinois-pirg", "plaintiff", "", []),
            ("mujeres-latinas", "plaintiff", "", []),
            ("clearview-ai", "defendant", "", []),
        ],
        "proceedings": [
            {
                "key": "circuit",
                "court": "cook-county",
                "docket_number": "2020CH04353",
                "started_on": datetime.date(2020, 5, 28),
                "ended_on": datetime.date(2022, 5, 11),
                "filings": [
                    {
                        "title": "Complaint under the Biometric Information Privacy Act",
                        "filed_on": datetime.date(2020, 5, 28),
                        "kind": "complaint",
                        "filed_by": ("aclu", "plaintiff"),
                        "is_public": True,
                        "description": "",
                    },
                ],
                "decisions": [
                    {
                        "announced_on": datetime.date(2022, 5, 11),
                        "final_form_on": datetime.date(2022, 5, 11),
                        "result": "settled",
                        "is_final": True,
                        "summary": "Consent order limiting faceprint database sales; Illinois residents can opt out.",
                    },
                ],
            },
        ],
        "links": [
            (
                "organisation",
                "ACLU v. Clearview AI (ACLU case page)",
                "https://www.aclu.org/cases/aclu-v-clearview-ai",
                None,
            ),
        ],
    },
]


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
            slug: upsert(model, {"slug": slug}, {"name": name, "name_ru": name_ru}, save=self.save)
            for slug, name, name_ru in terms
        }

    def courts(self):
        courts = {}
        for key, name, name_ru, country, level, zone, appeals_to in COURTS:
            values = {
                "name": name,
                "name_ru": name_ru,
                "country": country,
                "level": level,
                "timezone": zone,
                "appeals_to": courts[appeals_to] if appeals_to else None,
            }
            courts[key] = upsert(Court, {"slug": key}, values, save=self.save)
        return courts

    def parties(self):
        return {
            slug: upsert(
                Party,
                {"slug": slug},
                {"name": name, "name_ru": name_ru, "kind": kind, "country": country},
                save=self.save,
            )
            for slug, name, name_ru, kind, country in PARTIES
        }

    def case(self, data, *, technologies, grounds, courts, parties):
        fields = ["title", "title_ru", "original_title", "country", "status", "outcome", "filed_on", "summary"]
        fields += ["summary_ru", "description", "internal_notes"]
        values = {field: data.get(field, "") for field in fields}
        case = upsert(Case, {"slug": data["slug"]}, values, save=self.save)
        case.technologies.set([technologies[slug] for slug in data["technologies"]])
        case.grounds.set([grounds[slug] for slug in data["grounds"]])

        roles = {}
        for party_slug, role, note, counsel in data["participations"]:
            participation = upsert(
                Participation,
                {"case": case, "party": parties[party_slug], "role": role},
                {"note": note},
                save=self.save,
            )
            roles[(party_slug, role)] = participation
            for name, organisation in counsel:
                lookup = {"participation": participation, "name": name, "organisation": parties.get(organisation)}
                upsert(Counsel, lookup, {}, save=self.save)

        proceedings = {}
        for item in data["proceedings"]:
            proceedings[item["key"]] = self.proceeding(case, item, courts=courts, roles=roles, earlier=proceedings)

        for kind, title, url, published_on in data["links"]:
            upsert(
                CaseLink,
                {"case": case, "url": url},
                {"kind": kind, "title": title, "published_on": published_on},
                save=self.save,
            )
        return case

    def proceeding(self, case, item, *, courts, roles, earlier):
        court = courts[item["court"]]
        values = {
            "started_on": item["started_on"],
            "ended_on": item["ended_on"],
            "appeals_from": earlier[item["appeals_from"]] if item.get("appeals_from") else None,
        }
        lookup = {"case": case, "court": court, "docket_number": item["docket_number"]}
        proceeding = upsert(Proceeding, lookup, values, save=self.save)
        for filing in item.get("filings", []):
            filed_by = roles[filing["filed_by"]] if filing["filed_by"] else None
            values = {key: filing[key] for key in ("filed_on", "kind", "is_public", "description")}
            upsert(
                Filing,
                {"proceeding": proceeding, "title": filing["title"]},
                values | {"filed_by": filed_by},
                save=self.save,
            )
        for hearing in item.get("hearings", []):
            starts_at = datetime.datetime.combine(hearing["day"], MORNING, tzinfo=court.zone)
            values = {key: hearing[key] for key in ("place", "summary", "is_public")} | {"timezone": court.timezone}
            upsert(Hearing, {"proceeding": proceeding, "starts_at": starts_at}, values, save=self.save)
        for decision in item.get("decisions", []):
            values = {
                "final_form_on": decision.get("final_form_on"),
                "result": decision["result"],
                "summary": decision["summary"],
                "is_final": decision.get("is_final", False),
                "is_public": True,
            }
            upsert(
                Decision,
                {"proceeding": proceeding, "announced_on": decision["announced_on"]},
                values,
                save=self.save_decision,
            )
        return proceeding


@transaction.atomic
def load_demo(*, actor=None):
    """Create or update the demo vocabulary, courts, parties and cases, and publish the cases."""
    loader = Loader(actor)
    technologies = loader.vocabulary(Technology, TECHNOLOGIES)
    grounds = loader.vocabulary(LegalGround, GROUNDS)
    courts = loader.courts()
    parties = loader.parties()
    cases = [
        loader.case(data, technologies=technologies, grounds=grounds, courts=courts, parties=parties) for data in CASES
    ]
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
