"""Search keys that read the same in Russian and Latin script: Попова and Popova, НтехЛаб and NtechLab.

A name's key is its Cyrillic letters spelled in Latin, then the spellings transliteration schemes disagree on
folded to one (kh, ch and h; ya and ia; w and v…). Search indexes the keys of names next to the names, and
looks up the keys of the query's words too, so either script finds both. Keys are for matching only: two
different names may share one.
"""

import re

CYRILLIC = {
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
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
    "ї": "i",
    "є": "e",
    "ґ": "g",
}

# Latin spellings of one Russian sound, folded to one; longest first, applied left to right in one pass.
FOLDS = {
    "shch": "sh",
    "tsch": "h",
    "sch": "sh",
    "kh": "h",
    "ch": "h",
    "zh": "j",
    "ts": "c",
    "tz": "c",
    "ya": "ia",
    "ja": "ia",
    "yu": "iu",
    "ju": "iu",
    "yo": "e",
    "ye": "e",
    "ie": "e",
    "ks": "x",
    "w": "v",
    "y": "i",
}
_FOLD = re.compile("|".join(sorted(FOLDS, key=len, reverse=True)))


def search_key(text):
    """Return text in lower-case Latin letters with transliteration variants folded, for matching only."""
    latin = "".join(CYRILLIC.get(char, char) for char in text.lower())
    return _FOLD.sub(lambda match: FOLDS[match.group()], latin)
