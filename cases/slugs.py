"""Readable ASCII slugs, including for Cyrillic titles."""

from django.utils.text import slugify

# Russian transliteration after the passport scheme (ICAO 9303), which Russians
# recognise from their own documents.
CYRILLIC_TO_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
}


def transliterate(text):
    """Return text with Cyrillic letters spelled in Latin ones."""
    return "".join(
        CYRILLIC_TO_LATIN.get(char, char) if char.islower() else CYRILLIC_TO_LATIN.get(char.lower(), char).capitalize()
        for char in text
    )


def unique_slug(model, text, *, max_length=80, exclude_pk=None):
    """Return an ASCII slug for text that no other row of model uses yet."""
    base = slugify(transliterate(text))[:max_length].strip("-") or model._meta.model_name
    slug, suffix = base, 2
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        tail = f"-{suffix}"
        slug = base[: max_length - len(tail)] + tail
        suffix += 1
    return slug
