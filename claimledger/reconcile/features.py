"""What the linker knows about a claim, and the numbers it compares two claims by.

Level one, inside an article: a claim whose sentence names no town or date inherits them
from its context — the nearest town named before it in the article ("the town", "there"),
the article's lead, its publication date — and carries the article's most-named towns and
its headline words. Level two, across articles: :func:`pair_vector` turns two claims into
the feature vector the fitted scorer (``scorer.py``, weights in ``data/linker.json``) reads.

Every feature depends only on the two claims and their own documents, never on the rest
of the ledger, so linking a new batch into an existing ledger gives the same scores as
rebuilding it (see ``cluster.py``).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable

from claimledger.extract.lexicon import affiliations, framing, phrase_regex
from claimledger.extract.slavic_lexicon import lemma_matches, script_language
from claimledger.model import Claim, Place

TOWN_KINDS = ("city", "facility")
LEAD_CHARS = 400  # the lead: where a focused report names its happening
TYPE_GROUPS = {"casualties": "harm", "strike": "harm", "infrastructure": "harm", "humanitarian": "harm",
               "equipment": "harm", "territory": "front", "movement": "front", "statement": "talk",
               "other": "talk"}
UNIT_GROUPS = {"settlements": "places", "areas": "places", "km2": "places"}
_WORD = re.compile(r"[a-zа-яіїєґё][a-zа-яіїєґё'’-]{3,}")
STOP = frozenset("""that this with from have been were they their there which would could about after before
said says also into over more than while when where what will other some such only just against these those
during since under being them then there's it's its your ours year week weeks days told according added
ukraine ukrainian russia russian russians ukrainians forces troops military""".split())


@dataclass(slots=True)
class DocInfo:
    """What the linker needs of a document."""
    doc_id: str
    published: str | None = None
    duplicate_of: str | None = None
    title: str | None = None
    places: tuple[Place, ...] = ()
    outlet: str | None = None


@dataclass(slots=True)
class Features:
    index: int
    claim: Claim
    type: str
    position: int  # rank of the claim in its document
    day: int | None  # the claim's own date (ordinal)
    pub_day: int | None  # its document's publication date
    towns: frozenset[str]  # towns and facilities its sentence names
    ctx_towns: frozenset[str]  # its own towns, else the nearest one named before it
    lead_towns: frozenset[str]  # towns of the article's lead and its most-named towns
    regions: frozenset[str]  # oblasts of its own or inherited places
    figures: tuple[tuple[tuple[str, str, str], float | None, float | None], ...]
    frames: frozenset[str]
    source: str
    side: str
    words: frozenset[str]
    vector: dict[str, float]  # tf-idf of the sentence's stems, unit length
    context: dict[str, float]  # the same of the article's headline, lead and the sentences around the claim
    title_words: frozenset[str]
    origin_doc: str  # the document it copies, or its own
    outlet: str | None = None  # the outlet that published it
    eff_day: int | None = None  # its own date, else its document's
    lang: str | None = None  # "ru"/"uk": a Cyrillic sentence, whose words cannot be compared with English ones

    def __post_init__(self):
        self.eff_day = self.day if self.day is not None else self.pub_day


@lru_cache(maxsize=1)
def frame_patterns() -> list[tuple[str, re.Pattern]]:
    return [(name, phrase_regex(words)) for name, words in framing()["frames"].items()]


def origin_key(claim: Claim, duplicate_of: str | None = None) -> str:
    """Who a claim originally comes from: the end of its chain, by institution."""
    o = claim.claimant.origin
    if o.kind == "outlet":
        return f"outlet:{duplicate_of or o.name}"
    ident = affiliations().get(o.actor, o.actor) if o.actor else None
    return ident or re.sub(r"\s+", " ", o.name.lower()).strip()


def figure_range(q) -> tuple[float | None, float | None]:
    if q.bound == "range":
        return q.low, q.high
    if q.bound == "lower":
        return q.low if q.low is not None else q.value, None
    if q.bound == "upper":
        return None, q.high if q.high is not None else q.value
    if q.bound == "approx":
        return q.value * 0.8, q.value * 1.2
    return q.value, q.value


def _ordinal(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def _town(p: Place) -> str | None:
    return p.gazetteer_id if p.gazetteer_id and p.kind in TOWN_KINDS else None


def _region(p: Place) -> str | None:
    if p.kind == "region" and p.gazetteer_id:
        return f"r:{p.name}"
    if p.kind in TOWN_KINDS and p.admin1:
        return f"r:{p.admin1}"
    return None


def stems(text: str) -> list[str]:
    """Content words, cut to a six-letter stem (retreat/retreated, liberate/liberation)."""
    return [w[:6] for w in _WORD.findall(text.lower()) if w not in STOP]


def words_of(text: str) -> frozenset[str]:
    return frozenset(stems(text))


@dataclass(frozen=True, slots=True)
class Idf:
    """Inverse document frequencies of stems (fitted with the linker), and the value for unseen ones."""
    table: dict[str, float]
    unseen: float

    @classmethod
    def fit(cls, texts: Iterable[str], min_df: int = 2) -> Idf:
        df: Counter = Counter()
        n = 0
        for t in texts:
            df.update(set(stems(t)))
            n += 1
        unseen = math.log((n + 1) / 1) + 1
        return cls({w: round(math.log((n + 1) / (k + 1)) + 1, 4) for w, k in sorted(df.items()) if k >= min_df},
                   round(unseen, 4))

    def vector(self, text: str) -> dict[str, float]:
        tf = Counter(stems(text))
        v = {w: k * self.table.get(w, self.unseen) for w, k in sorted(tf.items())}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}


@lru_cache(maxsize=1)
def default_idf() -> Idf:
    from claimledger.resources import load_json
    d = load_json("linker.json").get("idf") or {}
    return Idf(d.get("table", {}), d.get("unseen", 1.0))


def document_features(doc: DocInfo, claims: list[Claim], start_index: int = 0, idf: Idf | None = None
                      ) -> list[Features]:
    """The features of one document's claims (given in any order; returned in text order)."""
    idf = idf or default_idf()
    claims = sorted(claims, key=lambda c: (c.start, c.claim_id))
    mentions = sorted(((p.start or 0, t) for p in doc.places if (t := _town(p))), key=lambda m: m[0])
    counts = Counter(t for _, t in mentions)
    first = {}
    for pos, t in mentions:
        first.setdefault(t, pos)
    top = sorted(counts, key=lambda t: (-counts[t], first[t]))[:2]
    lead = frozenset({t for pos, t in mentions if pos < LEAD_CHARS} | set(top))
    region_of = {t: r for p in doc.places if (t := _town(p)) and (r := _region(p))}
    pub_day = _ordinal(doc.published)
    lead_text = claims[0].sentence if claims else ""

    def around(k: int) -> str:  # the claim's sentence and its neighbours
        return " ".join(x.sentence for x in claims[max(0, k - 1):k + 2])

    title_words = words_of(doc.title or "")
    out = []
    for rank, c in enumerate(claims):
        towns = frozenset(t for p in c.places if (t := _town(p)))
        ctx = towns
        if not ctx:
            before = [t for pos, t in mentions if pos < c.start]
            ctx = frozenset(before[-1:]) if before else lead
        regions = frozenset(r for p in c.places if (r := _region(p))) | {region_of[t] for t in ctx if t in region_of}
        figures = tuple(((UNIT_GROUPS.get(q.unit, q.unit), q.category, q.party), *figure_range(q))
                        for q in c.quantities)
        text = c.sentence.lower()
        lang = script_language(c.sentence)
        if lang:  # Russian and Ukrainian frames are found by lemma, in the same frame names
            frames = frozenset(g for g, _ in lemma_matches(c.sentence, lang, "frames"))
        else:
            frames = frozenset(name for name, rx in frame_patterns() if rx.search(text))
        out.append(Features(
            lang=lang,
            index=start_index + rank, claim=c, type=c.type, position=rank,
            day=_ordinal(c.when.start) if c.when else None, pub_day=pub_day,
            towns=towns, ctx_towns=ctx, lead_towns=lead, regions=frozenset(regions), figures=figures,
            frames=frames, source=origin_key(c, doc.duplicate_of), side=c.claimant.origin.side,
            words=words_of(c.sentence), vector=idf.vector(c.sentence),
            context=idf.vector(" ".join((doc.title or "", lead_text, around(rank)))), title_words=title_words, origin_doc=doc.duplicate_of or doc.doc_id,
            outlet=doc.outlet))
    return out


def features_for(claims: Iterable[Claim], docs: dict[str, DocInfo], idf: Idf | None = None) -> list[Features]:
    """Features of many claims, grouped by document, indexes in the order returned."""
    by_doc: dict[str, list[Claim]] = {}
    for c in claims:
        by_doc.setdefault(c.doc_id, []).append(c)
    out: list[Features] = []
    for doc_id in sorted(by_doc):
        out.extend(document_features(docs.get(doc_id) or DocInfo(doc_id), by_doc[doc_id], len(out), idf))
    return out


def ranges_overlap(a: tuple, b: tuple) -> bool:
    a_lo, a_hi = a
    b_lo, b_hi = b
    los = [x for x in (a_lo, b_lo) if x is not None]
    his = [x for x in (a_hi, b_hi) if x is not None]
    if not los or not his:
        return True
    return max(los) <= min(his) * 1.05


def figures_compare(a: Features, b: Features) -> tuple[bool, bool, bool]:
    """(a figure of the same kind agrees, one disagrees, both have figures but none of a kind)."""
    if not (a.figures and b.figures):
        return False, False, False
    shared = [(fa, fb) for fa in a.figures for fb in b.figures if fa[0] == fb[0]]
    agree = any(ranges_overlap(fa[1:], fb[1:]) for fa, fb in shared)
    disagree = bool(shared) and not agree
    return agree, disagree, not shared


def _cosine(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(v * y[k] for k, v in x.items() if k in y)


def _dice(x: frozenset, y: frozenset) -> float:
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def _shared(x: frozenset, y: frozenset) -> tuple[float, float]:
    """(they share one, both have some and share none)."""
    if x & y:
        return 1.0, 0.0
    return 0.0, float(bool(x and y))


FEATURES = (
    "same_type", "same_type_group", "both_statement", "both_territory", "both_movement", "front_mixed",
    "both_harm", "place_figures_both", "withdrawal_both", "capture_both", "advance_both",
    "towns_one_side", "word_cos", "days_8_14", "generic_both", "type_region", "type_town", "type_close",
    "type_figures", "ctx_cos", "disputed_either", "disputed_same_town",
    "town_shared", "town_conflict", "ctx_town_shared", "ctx_town_conflict", "lead_town_shared",
    "region_shared", "region_conflict",
    "days_0_1", "days_2_3", "days_4_7", "days_over_7", "own_dates_both", "pub_days_log",
    "figure_agree", "figure_disagree", "figure_kinds_apart",
    "frame_shared", "frame_apart",
    "same_source", "same_side", "opposite_sides",
    "word_dice", "title_dice",
    "copy", "distance_log",
)


def cross_script(a: Features, b: Features) -> bool:
    """One claim is Russian/Ukrainian and the other is not (its own model scores the pair)."""
    return (a.lang is None) != (b.lang is None)


def pair_vector(a: Features, b: Features) -> tuple[float, ...]:
    """The features of a pair, in the order of :data:`FEATURES`."""
    town_s, town_c = _shared(a.towns, b.towns)
    ctx_s, ctx_c = _shared(a.ctx_towns, b.ctx_towns)
    lead_s, _ = _shared(a.lead_towns, b.lead_towns)
    reg_s, reg_c = _shared(a.regions, b.regions)
    da, db = a.eff_day, b.eff_day
    gap = abs(da - db) if da is not None and db is not None else None
    pub_gap = abs(a.pub_day - b.pub_day) if a.pub_day is not None and b.pub_day is not None else 30
    agree, disagree, apart = figures_compare(a, b)
    reported = not a.source.startswith("outlet:")
    same_doc = a.claim.doc_id == b.claim.doc_id
    sides = {a.side, b.side}
    disputed = "disputed" in (a.claim.certainty, b.claim.certainty)
    types = {a.type, b.type}
    ga, gb = TYPE_GROUPS.get(a.type), TYPE_GROUPS.get(b.type)
    place_figs = any(f[0][0] in ("places", "km") for f in a.figures) and any(f[0][0] in ("places", "km") for f in b.figures)
    both_frames = a.frames & b.frames
    return (
        float(a.type == b.type), float(ga == gb),
        float(a.type == b.type == "statement"), float(types == {"territory"}), float(types == {"movement"}),
        float(types == {"territory", "movement"}), float(ga == gb == "harm"), float(place_figs),
        float("withdrawal" in both_frames), float("capture" in both_frames), float("advance" in both_frames),
        float(bool(a.towns) != bool(b.towns)), _cosine(a.vector, b.vector),
        float(gap is not None and 8 <= gap <= 14),
        float(not a.towns and not b.towns and a.type == b.type), float(a.type == b.type) * reg_s,
        float(a.type == b.type) * town_s, float(a.type == b.type and gap is not None and gap <= 3),
        float(a.type == b.type and agree), _cosine(a.context, b.context),
        float(disputed), float(disputed) * ctx_s,
        town_s, town_c, ctx_s, ctx_c, lead_s, reg_s, reg_c,
        float(gap is not None and gap <= 1), float(gap is not None and 2 <= gap <= 3),
        float(gap is not None and 4 <= gap <= 7), float(gap is not None and gap > 7),
        float(a.day is not None and b.day is not None), math.log1p(min(pub_gap, 365)),
        float(agree), float(disagree), float(apart),
        float(bool(a.frames & b.frames)), float(bool(a.frames and b.frames and not a.frames & b.frames)),
        float(a.source == b.source and reported), float(a.side == b.side and a.side != "UNKNOWN"),
        float(sides == {"RU", "UA"}),
        _dice(a.words, b.words), _dice(a.title_words, b.title_words),
        float(not same_doc and a.origin_doc == b.origin_doc),
        math.log1p(abs(a.position - b.position)) if same_doc else 0.0,
    )
