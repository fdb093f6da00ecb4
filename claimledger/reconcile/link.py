"""Linking claims into events: blocking, pair scores, union-find.

The rule (documented in the README):

1. Claims are compared only inside blocks: the same claim type, and one shared key among
   their places (gazetteer id or oblast), their figures' (unit, category, party), their frame
   classes ("withdrawal", "capture", ...) or their document — each key further split by the
   week of the claim's date. Blocks larger than ``MAX_BLOCK`` compare each claim with its
   ``WINDOW`` neighbours in date order, so cost grows with the number of claims, not its square.
2. A pair scores: same type +1; a shared town or facility +1, a shared oblast +0.5, places
   on both sides but none shared −1; dates
   within 3 days +0.5 (more than 7 days apart: never linked); a figure of the same
   (unit, category, party) in both, with overlapping ranges +2 (not overlapping: +1, and a
   contradiction); figures in both but none comparable −1.5; a shared frame class +1; the
   same original source +0.5 (not for an outlet's own reporting, which covers many
   happenings); the same document with a shared town (or no towns) +0.5; shared words (≥ 40% of the
   smaller claim's content words) +1; the same source with a shared frame class on the same
   day (or undated) +1 more: a source restating the same happening.
3. Pairs scoring ≥ ``THRESHOLD`` are linked — across documents, pairs sharing no figure,
   town or original source need ``CROSS_DOC_WEAK`` — and events are the connected components.
   A component of more than ``REFINE_ABOVE`` claims (a chain through a busy town and week)
   is linked again inside itself with the threshold raised by ``REFINE_STEP``, twice at most.
Claims without a place or a date still link when the rest agrees.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from claimledger.extract.lexicon import affiliations, framing, phrase_regex
from claimledger.model import Claim

THRESHOLD = 3.5
REFINE_ABOVE = 12  # components larger than this are re-linked with a stricter threshold
REFINE_STEP = 1.0
CROSS_DOC_WEAK = 4.0  # cross-document links with no shared figure, town or source need more
MAX_BLOCK = 200
WINDOW = 40
UNIT_GROUPS = {"settlements": "places", "areas": "places"}
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
STOP = frozenset("""that this with from have been were they their there which would could about after before
said says also into over more than while when where what will other some such only just against these those
during since under being them then there's it's its your ours year week weeks days""".split())


@dataclass(slots=True)
class Features:
    index: int
    claim: Claim
    type: str
    day: int | None  # ordinal of the claim's date (its own date, else the document's)
    places: frozenset[str]
    regions: frozenset[str]
    figures: tuple[tuple[tuple[str, str, str], float | None, float | None], ...]
    frames: frozenset[str]
    source: str
    words: frozenset[str]


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


def features(i: int, claim: Claim, published: str | None, duplicate_of: str | None) -> Features:
    when = claim.when.start if claim.when else published
    day = None
    if when:
        try:
            day = date.fromisoformat(when).toordinal()
        except ValueError:
            day = None
    places = frozenset(p.gazetteer_id for p in claim.places if p.gazetteer_id and p.kind != "region")
    regions = frozenset((p.gazetteer_id if p.kind == "region" else f"admin1:{p.country}:{p.admin1}")
                        for p in claim.places if p.gazetteer_id)
    figures = tuple(((UNIT_GROUPS.get(q.unit, q.unit), q.category, q.party), *figure_range(q))
                    for q in claim.quantities)
    text = claim.sentence.lower()
    frames = frozenset(name for name, rx in frame_patterns() if rx.search(text))
    words = frozenset(w for w in _WORD.findall(text) if w not in STOP)
    return Features(i, claim, claim.type, day, places, regions, figures, frames,
                    origin_key(claim, duplicate_of), words)


def ranges_overlap(a: tuple, b: tuple) -> bool:
    a_lo, a_hi = a
    b_lo, b_hi = b
    lo = max(x for x in (a_lo, b_lo) if x is not None) if (a_lo is not None or b_lo is not None) else None
    hi = min(x for x in (a_hi, b_hi) if x is not None) if (a_hi is not None or b_hi is not None) else None
    if lo is None or hi is None:
        return True
    return lo <= hi * 1.05


def pair_score(a: Features, b: Features) -> tuple[float, bool]:
    """(score, figures contradict) for two claims of the same block."""
    if a.day is not None and b.day is not None and abs(a.day - b.day) > 7:
        return -99.0, False
    s = 1.0 if a.type == b.type else 0.0
    if a.places & b.places:
        s += 1.0
    elif a.regions & b.regions:
        s += 0.5
    elif (a.places or a.regions) and (b.places or b.regions):
        s -= 1.0  # both say where, and not the same place
    if a.day is not None and b.day is not None and abs(a.day - b.day) <= 3:
        s += 0.5
    contradicts = False
    anchored = bool(a.places & b.places) or (a.source == b.source and not a.source.startswith("outlet:"))
    if a.figures and b.figures:
        shared = [(fa, fb) for fa in a.figures for fb in b.figures if fa[0] == fb[0]]
        anchored = anchored or bool(shared)
        if not shared:
            s -= 1.5
        elif any(ranges_overlap(fa[1:], fb[1:]) for fa, fb in shared):
            s += 2.0
        else:
            s += 1.0
            contradicts = True
    if a.frames & b.frames:
        s += 1.0
    reported = not a.source.startswith("outlet:")  # an outlet's own reporting covers many happenings
    if a.source == b.source and reported:
        s += 0.5
        same_day = a.day is None or b.day is None or abs(a.day - b.day) <= 1
        if same_day and a.frames & b.frames:
            s += 1.0  # one source restating the same happening
    if a.claim.doc_id == b.claim.doc_id and (a.places & b.places or not (a.places or b.places)):
        s += 0.5
    small = min(len(a.words), len(b.words))
    if small and len(a.words & b.words) / small >= 0.4:
        s += 1.0
    if a.claim.doc_id != b.claim.doc_id and not anchored:
        s -= CROSS_DOC_WEAK - THRESHOLD
    return s, contradicts


def block_keys(f: Features) -> list[tuple]:
    """The blocks a claim sits in: (type, key, week of its date)."""
    week = f.day // 7 if f.day is not None else None
    keys = [("place", p) for p in f.places] + [("region", r) for r in f.regions]
    keys += [("figure", fig[0]) for fig in f.figures] + [("frame", fr) for fr in f.frames]
    keys.append(("doc", f.claim.doc_id))
    return [(f.type, k, week) for k in keys]


def _pairs(members: list[int], feats: list[Features], others: list[int] | None = None):
    """Pairs inside a block (or between a block and the next week's), windowed when large."""
    if others is None:
        if len(members) <= MAX_BLOCK:
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    yield members[x], members[y]
            return
        ordered = sorted(members, key=lambda i: (feats[i].day or 0, i))  # feats: index → Features
        for x in range(len(ordered)):
            for y in range(x + 1, min(len(ordered), x + 1 + WINDOW)):
                yield ordered[x], ordered[y]
        return
    if len(members) * len(others) <= MAX_BLOCK * MAX_BLOCK // 4:
        for i in members:
            for j in others:
                yield i, j
        return
    ordered = sorted(members + others, key=lambda i: (feats[i].day or 0, i))
    mine = set(members)
    for x in range(len(ordered)):
        for y in range(x + 1, min(len(ordered), x + 1 + WINDOW)):
            if (ordered[x] in mine) != (ordered[y] in mine):
                yield ordered[x], ordered[y]


class UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link(feats: list[Features], threshold: float = THRESHOLD, depth: int = 0
         ) -> tuple[list[list[int]], set[tuple[int, int]]]:
    """Group claims: (components as lists of indexes into ``feats``, contradicting linked pairs)."""
    pos = {f.index: k for k, f in enumerate(feats)}
    blocks: dict[tuple, list[int]] = {}
    for f in feats:
        for key in block_keys(f):
            blocks.setdefault(key, []).append(f.index)
    by_index = {f.index: f for f in feats}
    uf = UnionFind(len(feats))
    contradictions: set[tuple[int, int]] = set()
    for (type_, key, week), members in blocks.items():
        batches = [_pairs(members, by_index)]
        if week is not None and (type_, key, week + 1) in blocks:
            batches.append(_pairs(members, by_index, blocks[(type_, key, week + 1)]))
        for pairs in batches:
            for i, j in pairs:
                a, b = pos[i], pos[j]
                if uf.find(a) == uf.find(b) and not (by_index[i].figures and by_index[j].figures):
                    continue  # already together, and no figures to compare
                score, contradicts = pair_score(by_index[i], by_index[j])
                if score >= threshold:
                    uf.union(a, b)
                    if contradicts:
                        contradictions.add((min(i, j), max(i, j)))
    groups: dict[int, list[int]] = {}
    for f in feats:
        groups.setdefault(uf.find(pos[f.index]), []).append(f.index)
    out: list[list[int]] = []
    for members in groups.values():
        if len(members) > REFINE_ABOVE and depth < 2:
            sub, sub_contra = link([by_index[i] for i in members], threshold + REFINE_STEP, depth + 1)
            out.extend(sub)
            contradictions = {p for p in contradictions if not (p[0] in members and p[1] in members)} | sub_contra
        else:
            out.append(members)
    return out, contradictions
