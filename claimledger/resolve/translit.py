"""Transliteration rules: Ukrainian (KMU 2010, the official national system) and Russian
(the common news spelling, BGN-like), and a folded key that makes the two spellings of
one place meet (Kupyansk/Kupiansk, Balakleya/Balakliia, Krasnarmeysk/Krasnoarmeysk).
"""
from __future__ import annotations

import re
import unicodedata

UK = {"а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
      "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
      "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
      "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": ""}
UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
RU = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
      "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
      "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y",
      "ь": "", "э": "e", "ю": "yu", "я": "ya"}
UK_LETTERS = set("іїєґʼ")
RU_LETTERS = set("ыэъё")
OTHER_CYRILLIC = set("ђјљњћџѓќѕўӣӯ")  # Serbian, Macedonian, Belarusian, Tajik...
_VOWELS = set("aeiouy")


def is_cyrillic(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all("CYRILLIC" in unicodedata.name(c, "") for c in letters)


def _translit(s: str, table: dict, initial: dict | None = None, ru: bool = False) -> str:
    out = []
    words = s.lower().split()
    for w in words:
        res = []
        for i, ch in enumerate(w):
            prev = w[i - 1] if i else ""
            if initial and (i == 0 or prev in " -") and ch in initial:
                res.append(initial[ch])
            elif ru and ch == "е" and (i == 0 or prev in "аеёиоуыэюяьъ"):
                res.append("ye")
            elif ch == "г" and prev == "з" and not ru:
                res.append("gh")
            else:
                res.append(table.get(ch, ch if not ch.isalpha() else ""))
        out.append("".join(res))
    return " ".join(w[:1].upper() + w[1:] for w in out).replace(" - ", "-")


def ukrainian(s: str) -> str:
    return _translit(s, UK, UK_INITIAL)


def russian(s: str) -> str:
    return _translit(s, RU, ru=True)


def language_of_cyrillic(s: str) -> str | None:
    """'uk', 'ru', 'both' (spelt the same in either) or None (another Cyrillic language)."""
    chars = set(s.lower())
    if chars & OTHER_CYRILLIC:
        return None
    if chars & UK_LETTERS or chars & set("'’"):
        return "uk"  # і, ї, є, ґ or an apostrophe (Russian writes ъ/ь instead)
    if chars & RU_LETTERS:
        return "ru"
    return "both"


def normalise(s: str) -> str:
    """Lower case, no diacritics, no apostrophes, single spaces: the exact-lookup key."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower().replace("’", "").replace("'", "").replace("ʼ", "").replace("`", "")
    return re.sub(r"[\s\-]+", " ", s).strip()


_FOLD = [("shch", "sc"), ("sch", "sc"), ("zh", "z"), ("kh", "h"), ("ts", "c"), ("ch", "c"), ("sh", "s"),
         ("j", "i"), ("y", "i"), ("w", "v")]


def fold(s: str) -> str:
    """Transliteration-insensitive key: digraphs merged, y→i, vowel runs collapsed."""
    s = normalise(s).replace(" ", "")
    for a, b in _FOLD:
        s = s.replace(a, b)
    s = re.sub(r"[aeiou]+", lambda m: m.group(0)[-1] if len(m.group(0)) > 1 else m.group(0), s)
    return re.sub(r"(.)\1+", r"\1", s)


def skeleton(s: str) -> str:
    """First letter plus consonants: the key for near misses (Krasnarmeysk ~ Krasnoarmeysk)."""
    f = fold(s)
    return f[:1] + "".join(c for c in f[1:] if c not in _VOWELS)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
