"""Quantities: the figures of conflict outcomes, with bounds, ranges, units, categories, parties.

``find_quantities(sent)`` scans a sentence's tokens:
1. a number (digits, "2,500", "1.5 million", number words, "a dozen"; "dozens" means at least
   24, "hundreds" at least 200, "thousands" at least 2000) or a range ("eight to nine",
   "8-9", "between 8 and 9");
2. a bound from the words before it ("more than", "up to", "about", ...);
3. the counted noun after it, skipping modifiers ("three armored vehicles",
   "750 Ukrainian soldiers"); miles and square miles become km and km², and a conversion
   in brackets joins the same quantity;
4. the category from the governing verb on the dependency path, else the nearest cue word;
5. the party: whose people or gains — from the noun's modifiers, else the agent of the verb.
Ages, durations, dates, model names ("Mi-26"), distances between places ("73 kilometers
north of Izyum") and figures that are not conflict outcomes are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from spacy.tokens import Span, Token

from claimledger.extract.actors import side_of
from claimledger.extract.lexicon import quantity_lexicon, sides
from claimledger.model import Quantity

OUTCOME_UNITS = {"persons", "vehicles", "artillery", "aircraft", "drones", "equipment", "settlements",
                 "areas", "km", "km2", "formations", "shares"}
EXPORTED_UNIT = {"formations": "other", "shares": "other"}  # battalions, assault units; "70% of Pokrovsk"
_ALLOWED = {
    "persons": ("killed", "wounded", "captured", "missing", "losses", "evacuated", "deployed", "withdrawn"),
    "equipment": ("destroyed", "damaged", "captured", "losses", "seized", "deployed"),
    "territory": ("seized", "withdrawn", "advanced", "losses", "evacuated"),
    "km": ("advanced", "withdrawn", "seized"),
    "formations": ("deployed", "destroyed", "captured", "withdrawn", "losses", "advanced"),
    "shares": ("seized", "withdrawn"),
}
_UNIT_GROUP = {"persons": "persons", "vehicles": "equipment", "artillery": "equipment", "aircraft": "equipment",
               "drones": "equipment", "equipment": "equipment", "settlements": "territory", "areas": "territory",
               "km2": "territory", "km": "km", "other": "persons",
               "formations": "formations", "shares": "shares"}


def allowed_categories(unit: str) -> tuple[str, ...]:
    """The outcome categories a figure counted in ``unit`` can have (people are not seized)."""
    return _ALLOWED[_UNIT_GROUP.get(unit, "persons")]


_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_VAGUE_FIRST = {"dozens", "hundreds", "thousands", "tens"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


@dataclass(frozen=True)
class Lex:
    units: dict[str, str]
    unit_max_words: int
    multiply: dict[str, float]
    military: frozenset[str]
    civilian: frozenset[str]
    categories: dict[str, tuple[str, ...]]  # word → categories it can mean
    number_words: dict[str, float]
    scales: dict[str, float]
    vague: dict[str, float]
    bounds: list[tuple[str, str]]  # (phrase, bound), longest first
    non_quantity: frozenset[str]
    directions: frozenset[str]
    measure_nouns: frozenset[str]  # "a depth of 50 km": the path to the verb runs through them
    light_verbs: frozenset[str]  # "suffered injuries": the object says what happened
    toll_verbs: dict[str, str]  # "the toll rose to 56" → the bound the verb gives
    share_words: frozenset[str]  # "70% of Pokrovsk"
    aliases: dict[str, dict[str, str]]  # per unit group: a category read as another


@lru_cache(maxsize=1)
def lex() -> Lex:
    q = quantity_lexicon()
    cats: dict[str, list[str]] = {}
    for cat, words in q["categories"].items():
        for w in words:
            cats.setdefault(w, []).append(cat)
    bounds = sorted(((p, b) for b, ps in q["bounds"].items() for p in ps), key=lambda x: -len(x[0]))
    return Lex(
        units=q["units"], unit_max_words=max(len(u.split()) for u in q["units"]), multiply=q["multiply"],
        military=frozenset(q["military_nouns"]), civilian=frozenset(sides()["CIV"]),
        categories={k: tuple(v) for k, v in cats.items()}, number_words=q["number_words"],
        scales=q["scales"], vague=q["vague_plurals"], bounds=bounds,
        non_quantity=frozenset(q["non_quantity_nouns"]), directions=frozenset(q["direction_words"]),
        measure_nouns=frozenset(q["measure_nouns"]), light_verbs=frozenset(q["light_verbs"]),
        toll_verbs=q["toll_verbs"], share_words=frozenset(q["share_words"]), aliases=q["category_aliases"],
    )


def number_value(tok: Token) -> float | None:
    t = tok.lower_
    if _DIGITS.match(t):
        return float(t.replace(",", ""))
    return lex().number_words.get(t)


def _number_span(sent: Span, i: int) -> tuple[int, float] | None:
    """The number starting at token i (absolute index): (end index, value)."""
    doc = sent.doc
    L = lex()
    tok = doc[i]
    if tok.lower_ == "a" and i + 1 < sent.end and doc[i + 1].lower_ in ("dozen", "hundred", "thousand"):
        return i + 2, L.number_words["a " + doc[i + 1].lower_]
    value = number_value(tok)
    if value is None:
        return None
    end = i + 1
    # "twenty - five", "1.5 million", "two hundred"
    if end + 1 < sent.end and doc[end].text == "-" and value >= 20 and value % 10 == 0:
        nxt = number_value(doc[end + 1])
        if nxt is not None and nxt < 10 and doc[end + 1].is_alpha:
            value, end = value + nxt, end + 2
    while end < sent.end and doc[end].lower_ in L.scales:
        value *= L.scales[doc[end].lower_]
        end += 1
    return end, value


def _excluded_number(sent: Span, i: int, end: int) -> bool:
    doc = sent.doc
    tok = doc[i]
    if i >= 2 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_ and doc[i - 2].is_alpha \
            and not doc[i - 2].whitespace_:
        return True  # a model name: Mi-26, S-300, T-72
    if i >= 1 and re.match(r"^[A-Za-z]+-$", doc[i - 1].text) and not doc[i - 1].whitespace_:
        return True
    if end < len(doc) and doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in ("year", "years", "month", "day", "week", "hour"):
        return True  # an age or a duration used as an adjective: 62-year-old
    if tok.text.isdigit() and len(tok.text) == 4 and 1900 <= int(tok.text) <= 2100:
        return True  # a year
    if (i > sent.start and doc[i - 1].lower_ in _MONTHS) or (end < sent.end and doc[end].lower_ in _MONTHS):
        return True  # a date
    if i > sent.start + 1 and doc[i - 1].text == "," and doc[i - 2].ent_type_ == "PERSON":
        return True  # "Elena, 52, ..."
    if tok.like_num and tok.text.lower().endswith(("st", "nd", "rd", "th")) and not tok.text.isalpha():
        return True  # an ordinal
    if i > sent.start and doc[i - 1].text in ("$", "€", "£", "№", "#"):
        return True
    return False


def _bound_before(sent: Span, i: int) -> tuple[str, int]:
    doc = sent.doc
    lo = max(sent.start, i - 6)
    kept = [t for t in doc[lo:i] if not t.is_quote]  # "'well over' 100,000"
    words = [t.lower_ for t in kept][-4:]
    kept = kept[-4:]
    for phrase, bound in lex().bounds:
        parts = phrase.split()
        if len(parts) <= len(words) and words[-len(parts):] == parts:
            return bound, kept[-len(parts)].i
    return "exact", i


def _range_after(sent: Span, end: int) -> tuple[int, float] | None:
    doc = sent.doc
    if end + 1 < sent.end and doc[end].lower_ in ("to", "-", "–", "or"):
        nxt = _number_span(sent, end + 1)
        if nxt:
            return nxt
    return None


def _unit_after(sent: Span, end: int) -> tuple[str | None, str | None, int, Token | None]:
    """(unit, unit phrase, end index, noun token) for the counted noun after a number.

    The noun phrase after the number runs over modifiers ("three armored vehicles",
    "23 civilian cars"); the unit is the longest lexicon phrase ending at its last word,
    else any lexicon word inside it."""
    doc = sent.doc
    L = lex()

    def words(a: int, b: int) -> str:
        return " ".join(t.lower_ for t in doc[a:b] if t.text not in ("[", "]"))

    for k in (2, 1):  # "per cent", "years": not a count of anything (whatever the tagger made of "per")
        if end + k <= sent.end and (phrase := words(end, end + k)) in L.non_quantity:
            return None, phrase, end + k, doc[end + k - 1]

    stop = end
    while stop < min(sent.end, end + 6):
        t = doc[stop]
        between_adjectives = (t.pos_ == "CCONJ" or t.text == ",") and stop > end and doc[stop - 1].pos_ == "ADJ" \
            and stop + 1 < sent.end and doc[stop + 1].pos_ == "ADJ"  # "Ukrainian and foreign fighters"
        if t.pos_ in ("ADJ", "PROPN", "NOUN", "NUM") or t.tag_ in ("VBN",) or (t.text == "-" and stop > end) \
                or t.text in ("[", "]") or between_adjectives \
                or (t.lower_ in ("more", "others") and stop == end):  # "2,000 [square] kilometers", "four more"
            stop += 1
            if t.pos_ == "NOUN" and t.tag_ in ("NNS", "NN") and stop < sent.end and doc[stop].pos_ not in ("NOUN", "PROPN") \
                    and doc[stop].text != "-":
                break
            continue
        break
    if stop == end:
        return "other", None, end, None

    if stop < sent.end and doc[stop].lower_ == "of":  # "39 pieces of military equipment"
        for last in range(min(sent.end, stop + 4), stop + 1, -1):
            phrase = words(end, stop) + " of " + words(stop + 1, last)
            if phrase in L.units:  # the noun is the one before 'of': its head is the verb
                return L.units[phrase], phrase, last, doc[stop - 1]
    for last in range(stop, end, -1):
        for first in range(end, last):
            phrase = words(first, last)
            if phrase in L.units:
                return L.units[phrase], phrase, last, doc[last - 1]
            if last - first == 1 and phrase in L.non_quantity:
                return None, phrase, last, doc[first]
    return "other", None, end, None


def _conversion_after(sent: Span, end: int) -> int:
    """'50 kilometers (30 miles)': the index after the bracketed conversion, or ``end``."""
    doc = sent.doc
    if end < sent.end and doc[end].text == "(":
        close = next((k for k in range(end + 1, min(end + 8, sent.end)) if doc[k].text == ")"), None)
        if close and any(number_value(t) is not None for t in doc[end + 1:close]):
            return close + 1
    return end


def _categories_of(tok: Token) -> Iterator[str]:
    """The categories a word can mean, for its form and then its lemma."""
    categories = lex().categories
    for key in (tok.lower_, tok.lemma_.lower()):
        yield from categories.get(key, ())


def _category(noun: Token | None, num: Token, unit: str, sent: Span) -> tuple[str, Token | None]:
    L = lex()
    group = _UNIT_GROUP.get(unit, "persons")
    allowed = _ALLOWED[group]
    aliases = L.aliases.get(group, {})

    def first_allowed(tok: Token) -> str | None:
        return next((c for c in (aliases.get(c, c) for c in _categories_of(tok)) if c in allowed), None)

    def pick(tok: Token) -> str | None:
        cat = first_allowed(tok)
        if cat and tok.lemma_.lower() in L.light_verbs:  # "suffered injuries": the object is the news
            objects = [c for c in tok.children if c.dep_ in ("dobj", "attr") and c.i != num.i]
            if tok.dep_ == "amod":  # parsed as "suffered injuries" = an adjective on its noun
                objects.append(tok.head)
            return next((inner for inner in map(first_allowed, objects) if inner), cat)
        return cat

    # the dependency path upwards; "X of Y" ends it ("the border of two key cities")
    tok = noun or num
    for _ in range(7):
        cat = pick(tok)
        if cat:
            return cat, tok
        head = tok.head
        if head is tok or not (sent.start <= head.i < sent.end):
            break
        if tok.pos_ == "ADP" and head.pos_ in ("NOUN", "PROPN") and head.i != num.i \
                and head.lower_ not in L.measure_nouns:  # "a depth of 50 km": on to the verb
            cat = pick(head)  # "the liberation of 20 settlements"
            return (cat, head) if cat else ("other", None)
        tok = head
    if group in ("territory", "km", "shares"):
        # territory figures need their verb on the path, or its subject or object:
        # "an evacuation was announced in 37 settlements"
        tok = noun or num
        for _ in range(7):
            head = tok.head
            if head is tok or not (sent.start <= head.i < sent.end):
                break
            if head.pos_ in ("VERB", "AUX"):
                for child in head.children:
                    if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.i != tok.i:
                        cat = pick(child)
                        if cat:
                            return cat, child
            tok = head
        return "other", None
    # the verb's own modifiers ("more were injured" → injured is the head)
    head = (noun or num).head
    for child in head.children:
        cat = pick(child)
        if cat:
            return cat, child
    # the nearest cue word in a small window
    centre = (noun or num).i
    for dist in range(1, 7):
        for k in (centre - dist, centre + dist):
            if sent.start <= k < sent.end:
                cat = pick(sent.doc[k])
                if cat:
                    return cat, sent.doc[k]
    return "other", None


def _agent_side(verb: Token | None) -> str:
    """The side of whoever does ``verb``: its subject, or 'by X'."""
    if verb is None:
        return "UNKNOWN"
    tok = verb
    for _ in range(4):
        for child in tok.children:
            if child.dep_ == "nsubj" or child.dep_ == "agent":
                side = side_of(" ".join(t.text for t in child.subtree))
                if side != "UNKNOWN":
                    return side
        if tok.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl", "relcl", "pcomp", "prep", "pobj") and tok.head is not tok:
            tok = tok.head
        else:
            break
    return "UNKNOWN"


def _party(sent: Span, num_i: int, noun: Token | None, unit: str, category: str, verb: Token | None) -> str:
    L = lex()
    doc = sent.doc
    group = _UNIT_GROUP.get(unit, "persons")
    lo, hi = num_i, (noun.i + 1 if noun is not None else num_i + 1)
    span_words = [t.lower_ for t in doc[lo:hi]]
    if noun is not None and noun.i < num_i:  # "Ukrainian military casualties exceeded 12,000": the subject
        span_words = [t.lower_ for t in noun.subtree if t.i < num_i]
    modifier_side = side_of(" ".join(span_words))
    if group == "persons":
        noun_word = noun.lower_ if noun is not None else ""
        if noun_word in L.military:
            if modifier_side in ("RU", "UA"):
                return modifier_side
            owner = _possessor_side(noun)
            if owner != "UNKNOWN":
                return owner
            agent = _agent_side(verb)
            if category in ("losses", "withdrawn", "deployed", "evacuated") or agent not in ("RU", "UA"):
                return agent
            return "UA" if agent == "RU" else "RU"  # the side that killed or captured them
        if category == "losses":
            agent = _agent_side(verb)  # "the Russian army has lost about 1,000 people"
            if agent in ("RU", "UA"):
                return agent
        if any(w in L.civilian for w in span_words) or noun_word in L.civilian or _possessor_civilian(noun):
            return "CIV"
        if noun_word in ("more", "others", "killed", "dead", "injured", "wounded", ""):
            sentence_words = {t.lower_ for t in sent}
            if sentence_words & L.civilian and not sentence_words & L.military:
                return "CIV"
        return modifier_side if modifier_side in ("RU", "UA") else "UNKNOWN"
    if group == "equipment":
        if modifier_side in ("RU", "UA"):
            return modifier_side
        owner = _possessor_side(noun)
        if owner != "UNKNOWN":
            return owner
        side = _agent_side(verb)
        if category in ("losses",):
            return side
        if category in ("destroyed", "damaged", "captured") and side in ("RU", "UA"):
            return "UA" if side == "RU" else "RU"
        return "UNKNOWN"
    # territory and distances: who gains
    if category == "evacuated":
        return "CIV"  # places evacuated: their people
    side = _agent_side(verb)
    if side in ("RU", "UA") and category == "withdrawn":
        return side
    return side if side in ("RU", "UA") else "UNKNOWN"


def _possessor_civilian(noun: Token | None) -> bool:
    """'450 bodies of civilians'."""
    if noun is None:
        return False
    civilian = lex().civilian
    return any(child.dep_ == "prep" and child.lower_ == "of" and any(t.lower_ in civilian for t in child.subtree)
               for child in noun.children)


def _possessor_side(noun: Token | None) -> str:
    """'of the Ukrainian army', 'Ukraine's losses': the owner named next to the noun."""
    if noun is None:
        return "UNKNOWN"
    for child in noun.children:
        if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ == "of"):
            side = side_of(" ".join(t.text for t in child.subtree))
            if side in ("RU", "UA"):
                return side
    if noun.head is not noun and noun.head.lower_ in ("losses", "loss"):
        return _possessor_side(noun.head)
    return "UNKNOWN"


def find_quantities(sent: Span) -> list[Quantity]:
    doc = sent.doc
    L = lex()
    out: list[Quantity] = []
    internal: list[str] = []  # each figure's unit before export ("formations" → "other")
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        vague = None
        if tok.lower_ in _VAGUE_FIRST:
            for phrase, val in L.vague.items():
                n = len(phrase.split())
                if " ".join(t.lower_ for t in doc[i:i + n]) == phrase:
                    vague = (i + n, val)
        elif not (tok.like_num or tok.lower_ == "a"):
            i += 1
            continue
        num = vague or _number_span(sent, i)
        if num is None or (vague is None and _excluded_number(sent, i, num[0])):
            i += 1
            continue
        end, value = num
        low = high = None
        bound, text_start = _bound_before(sent, i)
        if vague:
            bound, low = "lower", value
        rng = None if vague else _range_after(sent, end)
        if rng is None and i - 1 >= sent.start and doc[i - 1].lower_ == "between":
            if end + 1 < sent.end and doc[end].lower_ == "and":
                rng = _number_span(sent, end + 1)
                text_start = i - 1
        if rng:
            end, high = rng
            low, bound = value, "range"
        elif bound == "lower":
            low = value
        elif bound == "upper":
            high = value
        if vague and end < sent.end and doc[end].lower_ == "of":
            end += 1  # "dozens of civilians"
        unit, phrase, unit_end, noun = _unit_after(sent, end)
        if unit is None and phrase in L.share_words:
            share = _share_of_place(sent, unit_end)  # "70% of Pokrovsk"
            if share:
                unit, unit_end, noun = "shares", share[0], share[1]
        if unit is None:  # a duration, a percentage, money...
            i = unit_end
            continue
        if noun is not None and noun.lower_ in ("others", "more") and out:  # "… and 13 others": what came before
            unit = internal[-1]
        category, cue = None, None
        if unit == "other" and noun is None:
            bare = _bare_figure(sent, i)  # "injured 28", "casualties exceeded 12,000"
            if bare:
                unit, noun, category, toll_bound = bare
                cue = noun
                if bound == "exact" and toll_bound != "exact":
                    bound, low = toll_bound, value
        factor = L.multiply.get(phrase or "", 1.0)
        stop = _conversion_after(sent, unit_end)  # a bracketed conversion joins this quantity
        if category is None:
            category, cue = _category(noun, doc[i], unit, sent)
        if unit == "shares" and category == "other":
            category = "seized"
        after = doc[stop].lower_ if stop < sent.end else ""
        if unit == "km" and after in L.directions and category not in ("advanced", "withdrawn"):
            i = stop
            continue  # a distance between places
        if (category == "other" and unit != "formations") or unit not in OUTCOME_UNITS:
            i = stop
            continue
        verb = cue if cue is not None and cue.pos_ in ("VERB", "AUX", "NOUN") else None
        party = _party(sent, i, noun, unit, category, verb)
        scale = (lambda v: None if v is None else round(v * factor, 3))
        q = Quantity(text=doc[text_start:stop].text, value=scale(value), low=scale(low), high=scale(high),
                     bound=bound, unit=EXPORTED_UNIT.get(unit, unit), category=category, party=party,
                     start=doc[text_start].idx)
        if party == "UNKNOWN" and out:  # "4,000 troops were killed and another 8,000 injured": the same party
            before = out[-1].party
            if (before in ("RU", "UA") or (before == "CIV" and _UNIT_GROUP.get(internal[-1]) == _UNIT_GROUP.get(unit))):
                q.party = before
        internal.append(unit)
        out.append(q)
        i = stop
    return out


def _share_of_place(sent: Span, at: int) -> tuple[int, Token] | None:
    """After '70%': 'of Pokrovsk' → (end index, the place's last token)."""
    doc = sent.doc
    if at + 1 < sent.end and doc[at].lower_ == "of":
        k = at + 1
        if doc[k].lower_ == "the" and k + 1 < sent.end:
            k += 1
        last = None
        while k < sent.end and (doc[k].pos_ == "PROPN" or doc[k].ent_type_ in ("GPE", "LOC")):
            last = doc[k]
            k += 1
        if last is not None:
            return k, last
    return None


def _bare_figure(sent: Span, i: int) -> tuple[str, Token, str, str] | None:
    """A number with no counted noun after it, counted by its verb: 'injured 28' (the verb's
    object), 'the toll rose to 56', 'casualties exceeded 12,000' (the verb's subject).
    Returns (unit, the noun or verb that says what, category, bound) or None."""
    L = lex()
    doc = sent.doc
    tok = doc[i]
    if tok.dep_ == "pobj" and tok.head.pos_ == "ADP":
        tok = tok.head
    verb = tok.head
    if verb is tok or not (sent.start <= verb.i < sent.end) or verb.pos_ not in ("VERB", "AUX", "NOUN"):
        return None
    lemma = verb.lemma_.lower()
    if lemma in L.toll_verbs:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        for t in sorted(subject.subtree, key=lambda t: (t.i != subject.i, t.i)):  # the head noun first
            cat = next((c for c in _categories_of(t) if c in _ALLOWED["persons"]), None)
            if cat:
                return "persons", subject, cat, L.toll_verbs[lemma]
        return None
    if doc[i].dep_ == "dobj" and verb.pos_ == "VERB":
        cat = next((c for c in _categories_of(verb) if c in ("killed", "wounded", "captured", "evacuated")), None)
        if cat:
            return "persons", verb, cat, "exact"
    return None


