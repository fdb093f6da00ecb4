"""Per-language knowledge for Russian and Ukrainian (``data/lang/{ru,uk}.json`` and
``data/lang/actors_cyrillic.tsv``), compiled once per language into lemma lookups.

Lists of words are lemmas and are compared with ``Token.lemma_``; lists named ``*_phrases``
are lower-case surface text matched as whole words. Aliases of actors are lemmatised here
with the same analyser as the text, so a name matches in every case form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimledger.extract.lexicon import actor_index, actors, phrase_regex
from claimledger.extract.morph import analyse
from claimledger.resources import data_path, load_json

_TOKEN = re.compile(r"[\w’'ʼ-]+|[«»\"]")


def fold(word: str) -> str:
    """Lower case, ё as е, one apostrophe: the spelling-insensitive key of a lemma."""
    return word.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")


def _words_of(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text) if w not in "«»\""]


def _lemma(word: str, lang: str) -> str:
    return fold(analyse(word, lang)[0]) if word.isalpha() else fold(word)


def lemma_key(text: str, lang: str) -> tuple[str, ...]:
    """The lemmas of a phrase, as the text pipeline would give them."""
    return tuple(_lemma(w, lang) for w in _words_of(text))


@dataclass(frozen=True)
class LangLex:
    lang: str
    denial_verbs: frozenset[str]
    reporting_verbs: frozenset[str]  # speech verbs and denial verbs
    according: re.Pattern
    media: re.Pattern
    hedge: re.Pattern
    denial: re.Pattern
    unverified: re.Pattern
    pronouns: frozenset[str]
    backref_words: frozenset[str]
    source_prepositions: frozenset[str]
    anonymous: frozenset[str]
    titles: frozenset[str]
    organisations: frozenset[str]
    side_words: dict[str, str]
    party_words: dict[str, str]
    type_words: dict[str, tuple[str, ...]]
    type_phrases: tuple[tuple[re.Pattern, str], ...]
    numbers: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, tuple[float, str]]
    bounds: tuple[tuple[re.Pattern, str], ...]
    units: dict[tuple[str, ...], str]
    categories: dict[str, tuple[str, ...]]
    category_for_unit: dict[str, dict[str, str]]
    non_quantity: frozenset[str]
    regions: dict[str, str]
    region_nouns: frozenset[str]
    region_words: dict[str, str]
    countries: dict[str, str]
    not_places: frozenset[str]
    locative: frozenset[str]
    months: dict[str, int]
    month_pattern: str
    relative_days: dict[str, str]
    weekdays: dict[str, int]
    actors: dict[tuple[str, ...], str]  # lemma key of an alias → actor name
    backward: re.Pattern
    actor_max: int


def _words(xs) -> frozenset[str]:
    return frozenset(fold(x) for x in xs)


def _index(groups: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """word → the groups it is listed under, in the file's order."""
    out: dict[str, list[str]] = {}
    for group, words in groups.items():
        for w in words:
            out.setdefault(fold(w), []).append(group)
    return {w: tuple(g) for w, g in out.items()}


@lru_cache(maxsize=1)
def cyrillic_aliases() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(actor name, aliases) rows; every actor named must exist in actors.tsv."""
    known = {a.name for a in actors()}
    rows = []
    with data_path("lang/actors_cyrillic.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip() or line.startswith("actor\t"):
                continue
            name, aliases = (line.rstrip("\n").split("\t") + [""])[:2]
            if name not in known:
                raise ValueError(f"lang/actors_cyrillic.tsv: {name!r} is not in actors.tsv")
            rows.append((name, tuple(a.strip() for a in aliases.split("|") if a.strip())))
    return tuple(rows)


@lru_cache(maxsize=4)
def lexicon(lang: str) -> LangLex:
    d = load_json(f"lang/{lang}.json")
    units: dict[tuple[str, ...], str] = {}
    for unit, words in d["units"].items():
        for w in words:
            units.setdefault(lemma_key(w, lang) if " " in w else (fold(w),), unit)
    index: dict[tuple[str, ...], str] = {}
    from claimledger.extract.morph import analyzer
    for name, aliases in cyrillic_aliases():
        for alias in aliases:
            if " " in alias:
                index.setdefault(lemma_key(alias, lang), name)
                continue
            # one word: as spelt, and its lemmas as a name, organisation or place only (Песков is
            # also the genitive plural of песок: that reading must not name Peskov)
            index.setdefault((fold(alias),), name)
            for p in analyzer(lang).parse(alias.replace("’", "'")):
                if {"Surn", "Name", "Orgn", "Geox", "Abbr"} & set(str(p.tag).replace(" ", ",").split(",")):
                    index.setdefault((fold(p.normal_form),), name)
    for alias, actor in sorted(actor_index().items()):  # Latin names in Cyrillic text: RT, Humvee, ISW
        key = tuple(fold(w) for w in _TOKEN.findall(alias))
        if key and (len(key) > 1 or len(alias) >= 2):
            index.setdefault(key, actor.name)
    return LangLex(
        lang=lang, denial_verbs=_words(d["denial_verbs"]),
        reporting_verbs=_words(d["speech_verbs"] + d["denial_verbs"]),
        according=phrase_regex(d["according_phrases"]), media=phrase_regex(d["media_phrases"]),
        hedge=phrase_regex(d["hedge_phrases"]), denial=_prefix_regex(d["denial_phrases"]),
        unverified=phrase_regex(d["unverified_phrases"]),
        pronouns=_words(d["pronouns"]), backref_words=_words(d["backref_words"]),
        source_prepositions=_words(d["source_prepositions"]), anonymous=_words(d["anonymous_words"]),
        titles=_words(d["official_titles"]), organisations=_words(d["organisation_nouns"]),
        side_words={fold(w): side for side, ws in d["side_words"].items() for w in ws},
        party_words={fold(w): side for side, ws in d["party_words"].items() for w in ws},
        type_words=_index(d["types"]),
        type_phrases=tuple((phrase_regex(ps), t) for t, ps in d["type_phrases"].items()),
        numbers={fold(k): float(v) for k, v in d["numbers"].items()},
        scales={fold(k): float(v) for k, v in d["scales"].items()},
        vague={fold(k): (float(v[0]), v[1]) for k, v in d["vague"].items()},
        bounds=tuple((re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(p).replace(r"\ ", r"\s+") for p in sorted(ps, key=lambda p: (-len(p), p)))
            + r")\s*$", re.IGNORECASE), bound) for bound, ps in d["bound_phrases"].items()),
        units=units, categories=_index(d["categories"]), category_for_unit=d["category_for_unit"],
        non_quantity=_words(d["non_quantity_nouns"]), regions={fold(k): v for k, v in d["regions"].items()},
        region_nouns=_words(d["region_nouns"]), region_words={fold(k): v for k, v in d["region_words"].items()},
        countries={fold(k): v for k, v in d["countries"].items()}, not_places=_words(d["not_places"]),
        locative=_words(d["locative_prepositions"]),
        months=d["months"], month_pattern=d["month_pattern"], relative_days=d["relative_days"],
        weekdays=d["weekdays"], actors=index, backward=phrase_regex(d["backward_phrases"]), actor_max=max((len(k) for k in index), default=1))


def _prefix_regex(phrases) -> re.Pattern:
    """Whole-word phrases where a trailing word may be a stem ('недостовірн' → недостовірна)."""
    alts = sorted({p.strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + r")",
                      re.IGNORECASE)


_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")


def script_language(text: str) -> str | None:
    """'uk', 'ru' or None (not Cyrillic) for a sentence, by the letters only one language has."""
    low = text.lower()
    cyr = sum(1 for ch in low if "а" <= ch <= "я" or ch in _UK_LETTERS or ch == "ё")
    if cyr < max(8, len(low) // 4):
        return None
    letters = set(low)
    if letters & _UK_LETTERS and not letters & _RU_LETTERS:
        return "uk"
    return "ru"


@lru_cache(maxsize=4)
def _lemma_groups(lang: str, key: str) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Lemma key of each listed word or phrase → the groups ('frames') or itself ('terms')."""
    d = load_json(f"lang/{lang}.json")
    out: dict[tuple[str, ...], list[str]] = {}
    if key == "terms":
        for term in d["terms"]:
            out.setdefault(lemma_key(term, lang), []).append(term)
    else:
        for group, words in d[key].items():
            for w in words:
                out.setdefault(lemma_key(w, lang), []).append(group)
    return {k: tuple(v) for k, v in out.items()}


def lemma_matches(text: str, lang: str, key: str) -> list[tuple[str, str]]:
    """(group, the words as written) for each word or phrase of ``data/lang/{lang}.json[key]``
    found in ``text`` by lemma, in text order."""
    groups = _lemma_groups(lang, key)
    longest = max((len(k) for k in groups), default=1)
    words = _words_of(text)
    lemmas = [_lemma(w, lang) for w in words]
    out, i = [], 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            hit = groups.get(tuple(lemmas[i:i + n]))
            if hit:
                out.extend((g, " ".join(words[i:i + n]).lower()) for g in hit)
                i += n
                break
        else:
            i += 1
    return out
