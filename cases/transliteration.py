"""Search keys that read the same in Russian and Latin script: Попова and Popova, НтехЛаб and NtechLab.

A name's key is its Cyrillic letters spelled in Latin, then the spellings transliteration schemes disagree on
folded to one (kh, ch and h; ya and ia; w and v…). Search indexes the keys of names next to the names, and
looks up the keys of the query's words too, so either script finds both. Keys are for matching only: two
different names may share one.
"""

import re

from .slugs import CYRILLIC_TO_LATIN

# The slugs' passport spelling, but a hard sign is silent here (Подъезд ~ Podezd, not Podiezd).
CYRILLIC = {**CYRILLIC_TO_LATIN, "ъ": ""}

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
