"""Generated document text for benchmarks: pages of English and Russian court prose, stored as extraction stores them.

`write_document_pages()` gives some of a batch's filings and decisions a read document, about pages_per_case
pages per case on average, written with bulk_create and with each page's search vector computed in the same
INSERT (the expression the site uses), so no page is written twice; each document's vector is then gathered
from its pages' in one UPDATE per batch.
"""

import itertools
import random
import secrets

from django.db import connection, reset_queries
from django.db.models import TextField, Value
from django.utils import timezone

from .document_search import index_documents, page_vector
from .models import Decision, DocumentPage, DocumentText, Filing

PAGE_BATCH = 1000
# Most frequent first: function words, then the language of judgments, then the subject matter. Each list is
# drawn with Zipf-like weights, so a page has the stop words and the long tail of real text.
ENGLISH = """the of and to in that a is by for was be on with as not which or it this at from court
applicant an has he her his had been were are its their would under any such if have no there all also
government respondent claimant defendant judgment paragraph section article law case decision appeal
application evidence interference right rights privacy data personal processing surveillance authority
police measure measures order domestic legal lawful unlawful necessary proportionate proportionality
legitimate aim democratic society accordance convention act regulation statute provision provisions
protection retention access information system camera cameras recognition facial biometric images footage
warrant interception communications metadata operator provider service security intelligence national
complaint submissions submitted argued found held considered concluded accepted rejected dismissed granted
remedy damages costs tribunal judge judges chamber grand first instance hearing proceedings party parties
counsel witness expert report assessment impact controller processor consent purpose purposes storage period
safeguards oversight independent review supervisory commissioner ministry interior department city
transport metro station public place places persons person individual individuals identity identification
database databases records record monitoring tracking location mobile phone network internet journalist
activist protest protesters assembly expression freedom association discrimination effective violation
respect private family life home correspondence quality foreseeability arbitrariness abuse margin
appreciation pressing social need relevant sufficient reasons scope extent duration deletion destruction
notification subsequent judicial authorisation authorised authorization prior urgent exceptional
circumstances general principles applies applied application's government's state member states
contracting respondent's claimant's legislation legislative framework code criminal administrative
procedure offence offences suspect suspects investigation investigating prosecutor prosecution detention
arrest identified match matched matching algorithm algorithms accuracy error errors false positive
watchlist watchlists deployment deployed trial trials pilot vendor contract procurement equality duty
policy policies guidance impact assessment"""
RUSSIAN = """и в не на что с по о к из как от за а это при для также его ее их который которые суд
суда судом решение решения определение постановление жалоба жалобы заявитель заявителя административный
административного истец истца ответчик ответчика дело дела делу статья статьи статьей закона закон
федерального федеральный конституции российской федерации права право прав свобод свободы гражданина
граждан персональные персональных данные данных биометрические биометрических обработка обработки
видеонаблюдение видеонаблюдения система системы камеры камер распознавания лиц изображения изображений
метрополитена москвы города департамент департамента информационных технологий полиции органы органов
внутренних дел мвд согласие согласия субъекта оператор оператора хранение хранения удаление уничтожение
сведения сведений информации информация доступ доступа частной жизни неприкосновенность тайна переписки
телефонных переговоров сообщений связи провайдер операторы мессенджер блокировка ограничение
ограничения доступа роскомнадзор прокуратура прокурор следователь уголовного административного
правонарушения митинг митинге участник участников публичного мероприятия задержание задержан
протокол протокола доказательства доказательств экспертиза эксперт показания свидетеля рассмотрев
установил установлено пришел выводу оснований основания удовлетворения удовлетворить отказать
отказано оставить без изменения апелляционную апелляционной кассационной инстанции первой районный
районного городской городского верховный верховного европейский европейского суда человека
конвенции нарушение нарушения нарушены законных интересов требования требований иска иск
заявленные возражения доводы доводов представитель представителя ходатайство ходатайства заседание
заседания судебное судебного акт акта вынесено вынесенное вступает силу законную"""
# Phrases researchers look for, each in about one page in a hundred of its language.
PHRASES = {
    "en": ["data protection impact assessment", "live facial recognition", "in accordance with the law"],
    "ru": ["биометрические персональные данные", "система распознавания лиц", "вмешательство в частную жизнь"],
}
# Real text's long tail: names, places and rare terms that only a few pages hold. Generated from syllables
# (the same words on every run), so a rare-word search matches tens of pages, not a third of them.
SYLLABLES = {
    "en": "ba be bi bo ca co da de di do fa fe ga go ha he ka la le li lo ma me mi mo na ne no pa pe "
    "po ra re ri ro sa se si so ta te ti to va ve vi wa we ya za ber con der fer gar hol ker lin mar "
    "nor par ren sel ton ver wel",
    "ru": "ба бе би бо ва ве ви во га го да де ди до жа за зе зи ка ко ку ла ле ли ло ма ме ми мо на не "
    "ни но па пе по ра ре ри ро са се си со та те ти то фа ха це ча ше бор вин гор дар кин лев мир "
    "нов пол рат сан тов хар",
}
TAIL_WORDS = 20_000


def _tail(language):
    rng, syllables, words = random.Random(language), SYLLABLES[language].split(), set()
    while len(words) < TAIL_WORDS:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    words = sorted(words)  # a set's order changes between runs
    rng.shuffle(words)
    return words


VOCABULARY = {language: words.split() + _tail(language) for language, words in (("en", ENGLISH), ("ru", RUSSIAN))}
# Zipf's law, s = 1.3: the hand-written head is about two thirds of the words on a page, the generated tail
# the rest, and a tail word is on one page in a few hundred to a few hundred thousand.
CUMULATIVE_WEIGHTS = {
    language: list(itertools.accumulate(1 / (rank + 8) ** 1.3 for rank in range(len(words))))
    for language, words in VOCABULARY.items()
}
# Countries whose courts write in Russian.
RUSSIAN_COUNTRIES = {"RU", "UA"}


def page_text(rng, language):
    """Return one page of generated court prose in language ("en" or "ru"): 150 to 450 words in paragraphs."""
    words, weights = VOCABULARY[language], CUMULATIVE_WEIGHTS[language]
    paragraphs, sentences, left = [], [], rng.randint(150, 450)
    while left > 0:
        length = min(rng.randint(8, 30), left)
        sentence = rng.choices(words, cum_weights=weights, k=length)
        if rng.random() < 0.03:
            sentence.insert(rng.randrange(len(sentence)), rng.choice(PHRASES[language]))
        sentences.append(" ".join(sentence).capitalize() + ".")
        left -= length
        if len(sentences) >= rng.randint(3, 7) or left <= 0:
            paragraphs.append(" ".join(sentences))
            sentences = []
    return "\n\n".join(paragraphs)


def write_document_pages(rng, cases, pages_per_case):
    """Give some of the cases' filings and decisions read documents, pages_per_case pages per case in all."""
    languages = {case.pk: "ru" if case.country in RUSSIAN_COUNTRIES else "en" for case in cases}
    owners = []
    for kind, model in (("filing", Filing), ("decision", Decision)):
        records = model.objects.filter(proceeding__case__in=cases)
        public = set(records.public().values_list("pk", flat=True))
        for pk, case_id in records.values_list("pk", "proceeding__case_id"):
            owners.append((kind, pk, case_id, pk in public))
    rng.shuffle(owners)
    left, texts, page_counts = pages_per_case * len(cases), [], []
    for kind, pk, case_id, public in owners:
        if left <= 0:
            break
        # Heavy-tailed like real filings: mostly a few pages, now and then a long judgment.
        count = min(left, int(rng.paretovariate(1.5) * 2), 300)
        method = DocumentText.Method.OCR if rng.random() < 0.2 else DocumentText.Method.TEXT_LAYER
        texts.append(
            DocumentText(
                **{kind + "_id": pk},
                case_id=case_id,
                is_public=public,
                file_name=f"documents/generated/{kind}-{pk}.pdf",
                sha256=secrets.token_hex(32),
                status=DocumentText.Status.DONE,
                method=method,
                language=languages[case_id],
                page_count=count,
                pages_read=count,
                extracted_at=timezone.now(),
            )
        )
        page_counts.append(count)
        left -= count
    texts = DocumentText.objects.bulk_create(texts, batch_size=PAGE_BATCH)
    pages = []
    for text, count in zip(texts, page_counts, strict=True):
        for number in range(1, count + 1):
            body = page_text(rng, text.language)
            pages.append(DocumentPage(document=text, number=number, text=body, search_vector=_vector(body)))
            if len(pages) >= PAGE_BATCH:
                _insert(pages)
                pages = []
    _insert(pages)
    index_documents(DocumentText.objects.filter(pk__in=[text.pk for text in texts]))
    return sum(page_counts)


def _insert(pages):
    DocumentPage.objects.bulk_create(pages)
    # With DEBUG on, Django keeps the last 9,000 statements, each here with a thousand pages' text in it.
    reset_queries()


def _vector(body):
    if connection.vendor != "postgresql":
        return None
    return page_vector(Value(body, output_field=TextField()))
