"""Geoparsing: find place mentions in a Doc and resolve them on the gazetteer.

Recognition joins three finders: named features ("Zaporizhzhia Nuclear Power Plant",
"Oskil River"), regions ("Kharkiv region", "the Donbass region") and a gazetteer matcher
over capitalised tokens, reconciled with spaCy's NER (which calls Poltava an ORG and
Krasnarmeysk a PERSON). Not places: adjectives ("Moscow-led"), a capital acting as its
government ("Kyiv said", "the Kyiv regime"), words inside a person's name.

Resolution scores each candidate: population (log), the front's countries (UA, then RU), an
oblast named in the same sentence, nearness to the document's unambiguous places, and a
penalty for matching only a historical alternate name. Mentions that match nothing are
kept with null coordinates when NER calls them places.
"""
from __future__ import annotations

import bisect
import math
import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.extract.lexicon import phrase_regex, side_words
from claimledger.model import Place
from claimledger.resolve import translit
from claimledger.resolve.gazetteer import Entry, gazetteer
from claimledger.resources import data_path, load_json

CAPITALS = {"kyiv", "kiev", "moscow", "washington", "london", "berlin", "paris", "beijing", "minsk", "warsaw",
            "brussels", "ankara", "tehran", "tokyo", "rome", "madrid"}
METONYMY_NEXT = {"regime", "government", "authorities", "officials", "troops", "forces", "leadership",
                 "administration", "army", "military", "'s", "’s", "side", "command"}
LOCATIVE = {"in", "near", "of", "to", "from", "towards", "toward", "outside", "around", "at", "into", "past",
            "across", "through", "on", "by", "between", "and", "encircled", "over", "via", "within"}
FUZZY_MAX_KM = 400  # a near-miss spelling farther than this from every other place in the story is not guessed
_REGION = re.compile(r"(?P<base>[A-Z][\w'’]*(?:[ -][A-Z][\w'’]*)?)\s+(?P<suf>[Rr]egions?|[Oo]blast|[Pp]rovince|[Rr]egion’s|[Rr]egion's)\b")


@lru_cache(maxsize=1)
def _features() -> re.Pattern:
    aliases = [a for f in load_json("features.json")["features"] for a in f["aliases"]]
    return phrase_regex(aliases)


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    text = data_path("not_places.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def outlet_names() -> re.Pattern:
    """Names of media outlets ("Ukrainska Pravda", "Kyiv Independent"): never places."""
    from claimledger.extract.lexicon import actors
    return phrase_regex([al for a in actors() if a.kind == "media" and a.type == "org"
                         for al in a.aliases if len(al) > 4], flags=re.IGNORECASE)


@lru_cache(maxsize=1)
def known_surnames() -> frozenset[str]:
    """Surnames of people in the actor table: "Orlov said" is a person, not the town of Orlov."""
    from claimledger.extract.lexicon import actors
    return frozenset(alias.split()[-1].title() for a in actors() if a.type == "person"
                     for alias in a.aliases if " " in alias)


@lru_cache(maxsize=1)
def _admin1_names() -> dict[tuple[str, str], str]:
    return {(r["country"], r["admin1"]): r["name"] for r in load_json("regions.json")["regions"] if r.get("admin1")}


def _distance_km(a: Entry, b: Entry) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def to_place(mention: str, entry: Entry | None, start: int) -> Place:
    if entry is None:
        return Place(mention, mention, "other", None, None, None, None, None, start, None)
    admin1 = _admin1_names().get((entry.country, entry.admin1), entry.admin1) if entry.kind != "region" else None
    return Place(mention, entry.name, entry.kind, entry.lat, entry.lon, entry.country, admin1, entry.id, start,
                 gazetteer().spelling(mention, entry))


class Mention:
    __slots__ = ("start", "end", "text", "candidates", "sent", "fuzzy", "country", "key")

    def __init__(self, start, end, text, candidates, sent, fuzzy=False, country=None, key=None):
        self.start, self.end, self.text, self.candidates, self.sent = start, end, text, candidates, sent
        self.fuzzy, self.country = fuzzy, country
        self.key = key  # the name looked up, when it is not the text (a Cyrillic lemma, transliterated)


@Language.factory("claimledger_places")
def make_places(nlp: Language, name: str):
    return PlaceFinder()


class PlaceFinder:
    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def set_annotations(self, doc: Doc, places: list[Place]) -> None:
        doc._.places = places

    # --- recognition ------------------------------------------------------------
    def find_mentions(self, doc: Doc) -> list[Mention]:
        g = gazetteer()
        ents = list(doc.ents)  # doc.ents rebuilds its spans on every access: read it once
        self.ent_at = {i: e for e in ents for i in range(e.start, e.end)}
        self.surnames = {e[-1].text for e in ents if e.label_ == "PERSON" and len(e) > 1} | known_surnames()
        text = self.text = doc.text  # Doc.text re-joins every token on each access
        taken = bytearray(len(text) + 1)  # 1 where a mention already is: checks cost the mention's length
        mentions: list[Mention] = []

        def free(a: int, b: int) -> bool:
            return taken.find(1, a, b) < 0

        def take(a: int, b: int) -> None:
            taken[a:b] = b"\x01" * (b - a)

        sent_starts = [(s.start_char, s.start) for s in doc.sents]

        def sent_of(a: int) -> int:
            k = bisect.bisect_right(sent_starts, (a, float("inf"))) - 1
            return sent_starts[k][1] if k >= 0 else 0

        for m in outlet_names().finditer(text):
            if m.group(0)[:1].isupper():
                take(*m.span())
        for m in _features().finditer(text):
            hits = g.lookup(m.group(0))
            if hits:
                mentions.append(Mention(m.start(), m.end(), m.group(0), hits, sent_of(m.start())))
                take(*m.span())
        for m in _REGION.finditer(text):
            entry = g.region(m.group("base"))
            if entry and free(*m.span()):
                mentions.append(Mention(m.start(), m.end(), m.group(0), [entry], sent_of(m.start())))
                take(*m.span())
        i = 0
        n_tokens = len(doc)
        while i < n_tokens:
            tok = doc[i]
            if not (tok.text[:1].isupper() and tok.is_alpha) or not free(tok.idx, tok.idx + len(tok)):
                i += 1
                continue
            found = None
            for n in (3, 2, 1):
                j = i + n
                if j > n_tokens:
                    continue
                span_text = text[tok.idx:doc[j - 1].idx + len(doc[j - 1])]
                country = g.countries.get(translit.normalise(span_text))
                if country and (n > 1 or tok.ent_type_ in ("GPE", "LOC", "NORP", "")) and span_text[-1:] != "-":
                    found = (j, span_text, country, False)
                    break
            for n in (3, 2, 1) if found is None else ():
                j = i + n
                if j > n_tokens or (n > 1 and not all(t.text[:1].isupper() or t.text == "-" for t in doc[i:j])) \
                        or doc[j - 1].text == "-":
                    continue
                span_text = text[tok.idx:doc[j - 1].idx + len(doc[j - 1])]
                hits = g.lookup(span_text)
                if hits and self.acceptable(doc, i, j, hits):
                    found = (j, span_text, hits, False)
                    break
            if found is None and self.fuzzy_candidate(doc, i):
                hits = [e for e in g.lookup(tok.text, fuzzy=True) if e.country in ("UA", "RU")]
                if hits and self.acceptable(doc, i, i + 1, hits, fuzzy=True):
                    found = (i + 1, tok.text, hits, True)
            if found and isinstance(found[2], tuple):  # a country or continent
                j, span_text, (kind, code), _ = found
                mentions.append(Mention(tok.idx, tok.idx + len(span_text), span_text, [], sent_of(tok.idx),
                                        country=(kind, code)))
                take(tok.idx, tok.idx + len(span_text))
                i = j
            elif found:
                j, span_text, hits, fuzzy = found
                mentions.append(Mention(tok.idx, tok.idx + len(span_text), span_text, hits, sent_of(tok.idx), fuzzy))
                take(tok.idx, tok.idx + len(span_text))
                i = j
            else:
                i += 1
        for ent in ents:  # places NER is sure of but the gazetteer does not know: kept, never guessed
            if ent.label_ in ("GPE", "LOC") and free(ent.start_char, ent.end_char) and ent.text[:1].isupper() \
                    and ent.root.pos_ == "PROPN" and ent.root.lower_ not in not_places() \
                    and ent.root.lower_ not in side_words() and not ent.root.lower_.endswith(("ian", "ians", "ese")) \
                    and not (ent.end < len(doc) and doc[ent.end].text == "-"):
                text_ = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
                mentions.append(Mention(ent.end_char - len(text_), ent.end_char, text_, [], sent_of(ent.start_char)))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def acceptable(self, doc: Doc, i: int, j: int, hits: list[Entry], fuzzy: bool = False) -> bool:
        text = self.text
        first, last = doc[i], doc[j - 1]
        end = last.idx + len(last)
        if end + 1 < len(text) and text[end] == "-" and text[end + 1].islower():
            return False  # an adjective: Moscow-led, Kyiv-retaken
        if j == i + 1 and (first.lower_ in not_places() or len(first.text) < 3 or
                           (first.text.isupper() and len(first.text) <= 4) or first.text in self.surnames):
            return False  # common words, acronyms (US, EU, NATO), surnames (Dmytro Orlov → "Orlov")
        if first.ent_type_ == "PERSON":
            ent = self.ent_at.get(i)
            if ent is not None and (ent.end - ent.start) > (j - i):
                return False  # part of a person's name
            prev = doc[i - 1].lower_ if i > 0 else ""
            if prev not in LOCATIVE:
                return False
        key = translit.normalise(first.text)
        ent = self.ent_at.get(i)
        if ent is not None and ent.label_ in ("ORG", "WORK_OF_ART", "EVENT", "LAW") and len(ent) >= 2 \
                and ent.start != i:
            return False  # a word inside an organisation's name ("U.N. High Commissioner for Human Rights")
        span_key = translit.normalise(text[first.idx:end])
        primary = any(span_key in (translit.normalise(e.name), translit.normalise(e.ru_name or ""))
                      or e.kind != "city" for e in hits) or span_key in gazetteer().styles
        if not primary and not fuzzy and first.ent_type_ not in ("GPE", "LOC", "FAC"):
            return False  # matched only through an alternate name: NER must agree it is a place
        if key in CAPITALS or any(e.population > 1_000_000 for e in hits):
            nxt = doc[j].lower_ if j < len(doc) else ""
            if nxt in METONYMY_NEXT:
                return False
            if first.dep_ in ("nsubj", "nsubjpass", "poss") and first.head.pos_ in ("VERB", "AUX", "NOUN"):
                return False  # "Kyiv said", "Moscow accused": an actor, not a place
        front = any(e.country in ("UA", "RU", "BY", "MD") or e.kind != "city" for e in hits)
        if front:
            # a front-line place named by its own name is taken whatever the tagger thought of it
            # (spaCy tags "Balakliia" a NOUN); other matches need a proper noun or a locative cue
            return first.ent_type_ in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "") and (
                primary or first.pos_ == "PROPN" or first.ent_type_ in ("GPE", "LOC", "FAC") or
                (i > 0 and doc[i - 1].lower_ in LOCATIVE))
        return first.ent_type_ in ("GPE", "LOC", "FAC")

    def fuzzy_candidate(self, doc: Doc, i: int) -> bool:
        tok = doc[i]
        if len(tok.text) < 6 or tok.is_stop:
            return False
        prev = doc[i - 1].lower_ if i > 0 else ""
        return tok.ent_type_ in ("GPE", "LOC") or (tok.pos_ == "PROPN" and prev in LOCATIVE)

    # --- resolution -------------------------------------------------------------
    def match(self, doc: Doc) -> list[Place]:
        mentions = self.find_mentions(doc)
        anchors = [m.candidates[0] for m in mentions if len(m.candidates) == 1 and not m.fuzzy and not m.country]
        anchors = list({id(e): e for e in anchors}.values())  # each place once: a long text repeats them
        near = [a for a in anchors if a.kind == "city"]
        regions_by_sent: dict[int, set[str]] = {}
        for m in mentions:
            for e in m.candidates[:1] if not m.country else ():
                if e.kind == "region" and e.admin1:
                    regions_by_sent.setdefault(m.sent, set()).add(e.admin1)
        places = []
        for m in mentions:
            if m.country:
                kind, code = m.country
                places.append(Place(m.text, m.text, kind, None, None, code if kind == "country" else None,
                                    None, None, m.start, None))
                continue
            if not m.candidates:
                places.append(to_place(m.text, None, m.start))
                continue
            best = max(m.candidates, key=lambda e: self.score(m, e, anchors, regions_by_sent.get(m.sent, set())))
            if m.fuzzy and near and min(_distance_km(best, a) for a in near) > FUZZY_MAX_KM:
                places.append(to_place(m.text, None, m.start))  # a near-miss far from the story: not guessed
                continue
            places.append(to_place(m.text, best, m.start))
        return places

    @staticmethod
    def score(m: Mention, e: Entry, anchors: list[Entry], sent_regions: set[str]) -> float:
        s = math.log10(e.population + 10)
        s += {"UA": 4, "RU": 2}.get(e.country or "", 0)
        if e.admin1 and e.admin1 in sent_regions and e.kind != "region":
            s += 5
        near = [a for a in anchors if a is not e and a.kind == "city"]
        if near and min(_distance_km(e, a) for a in near) < 150:
            s += 3
        name = m.key or m.text
        key = translit.normalise(name)
        if e.kind == "city" and key not in (translit.normalise(e.name), translit.normalise(e.ru_name or "")) \
                and translit.fold(name) not in (translit.fold(e.name), translit.fold(e.ru_name or "")):
            s -= 3  # matched only through a historical or foreign alternate name
        return s
