"""What an event says: its independent sources, status, estimates, contradictions, framing.

- Sources: one per original source (the end of each claim's attribution chain, counted by
  institution: Konashenkov speaks for the Russian Defence Ministry; three outlets repeating
  Zelensky are one source; an outlet's own reporting is its own source, and a syndicated copy
  counts as the outlet it copies).
- Contradictions: two claims whose figures of the same (unit, category, party) do not
  overlap; whose outcomes are opposed (captured vs repelled, regrouping vs flight); or one of
  which the text disputes or denies.
- Status: ``contested`` when there are contradictions; ``corroborated`` when independent
  sources on different sides agree, or a side concedes something against its own interest
  (a Russian source announcing a Russian withdrawal, a Ukrainian one Ukrainian losses);
  else ``single_source``: one side only. The event also carries ``n_sources`` (independent
  sources) and ``sides``, so "three Western outlets, one side" is told apart from one outlet.
- Estimates, per (unit, category, party): each independent source contributes its figure
  (the largest claim it makes); ``low`` is the smallest lower figure, ``high`` the largest
  upper one, ``best`` the median of the sources' central figures (rule "ucdp"), or the
  lowest (rule "acled", the conservative estimate).
"""
from __future__ import annotations

import hashlib
import statistics
from collections import Counter, defaultdict
from functools import lru_cache

from claimledger.extract.lexicon import framing, phrase_regex
from claimledger.model import Claim, Estimate, Event, When
from claimledger.reconcile.link import Features, figure_range

CONCESSIONS = {("RU", "withdrawn", "RU"), ("UA", "withdrawn", "UA"), ("RU", "killed", "RU"),
               ("UA", "killed", "UA"), ("RU", "losses", "RU"), ("UA", "losses", "UA"),
               ("RU", "seized", "UA"), ("UA", "seized", "RU")}


@lru_cache(maxsize=1)
def _outcomes() -> dict[str, object]:
    return {name: phrase_regex(words) for name, words in framing()["outcomes"].items()}


@lru_cache(maxsize=1)
def _terms():
    return phrase_regex(framing()["terms"])


def outcomes_of(claim: Claim) -> set[str]:
    text = claim.sentence.lower()
    return {name for name, rx in _outcomes().items() if rx.search(text)}


def event_id(claim_ids: list[str]) -> str:
    return "e" + hashlib.sha1("|".join(sorted(claim_ids)).encode()).hexdigest()[:15]


def sources_of(feats: list[Features]) -> list[dict]:
    by_source: dict[str, dict] = {}
    for f in feats:
        o = f.claim.claimant.origin
        # a known actor is shown as the institution it speaks for; anyone else by their own name
        name = f.source if o.actor and not f.source.startswith("outlet:") else o.name
        entry = by_source.setdefault(f.source, {"name": name, "side": o.side, "kind": o.kind, "claim_ids": []})
        entry["claim_ids"].append(f.claim.claim_id)
    return sorted(by_source.values(), key=lambda s: (-len(s["claim_ids"]), s["name"]))


def contradictions_of(feats: list[Features], figure_pairs: set[tuple[int, int]]) -> list[dict]:
    out = []
    index = {f.index: f for f in feats}
    for i, j in sorted(figure_pairs):
        if i in index and j in index:
            out.append({"claim_ids": [index[i].claim.claim_id, index[j].claim.claim_id],
                        "reason": "figures outside each other's ranges"})
    opposed = [tuple(p) for p in framing()["opposed_outcomes"]]
    outs = {f.index: outcomes_of(f.claim) for f in feats}
    for x, a in enumerate(feats):
        for b in feats[x + 1:]:
            if a.source == b.source:
                continue
            for p, q in opposed:
                if (p in outs[a.index] and q in outs[b.index]) or (q in outs[a.index] and p in outs[b.index]):
                    out.append({"claim_ids": [a.claim.claim_id, b.claim.claim_id],
                                "reason": f"opposite outcomes: {p} vs {q}"})
                    break
    for f in feats:
        if f.claim.certainty == "disputed":
            others = [g for g in feats if g.source != f.source]
            if others:
                out.append({"claim_ids": [f.claim.claim_id, others[0].claim.claim_id],
                            "reason": "the text disputes or denies the claim"})
    return out


def estimates_of(feats: list[Features], rule: str = "ucdp") -> list[Estimate]:
    per_key: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for f in feats:
        for q in f.claim.quantities:
            per_key[(q.unit, q.category, q.party)][f.source].append((q, f.claim.claim_id))
    out = []
    for (unit, category, party), by_source in sorted(per_key.items()):
        lows, highs, centres, ids = [], [], [], []
        for figures in by_source.values():
            q, _ = max(figures, key=lambda x: x[0].value)
            lo, hi = figure_range(q)
            lows.append(lo if lo is not None else q.value)
            highs.append(hi if hi is not None else q.value)
            centres.append(q.value)
            ids.extend(cid for _, cid in figures)
        best = min(centres) if rule == "acled" else statistics.median(centres)
        out.append(Estimate(unit, category, party, min(lows), best, max(highs), sorted(set(ids))))
    return out


def framing_of(feats: list[Features]) -> dict[str, list[str]]:
    terms: dict[str, Counter] = defaultdict(Counter)
    for f in feats:
        side = f.claim.claimant.origin.side
        for m in _terms().finditer(f.claim.sentence.lower()):
            terms[side][m.group(0)] += 1
        for p in f.claim.places:
            if p.spelling:
                terms[side][f"{p.mention} ({p.spelling} spelling)"] += 1
    return {side: [t for t, _ in c.most_common(12)] for side, c in sorted(terms.items())}


def status_of(feats: list[Features], sources: list[dict], contradictions: list[dict]) -> str:
    if contradictions:
        return "contested"
    sides = {s["side"] for s in sources if s["side"] in ("RU", "UA", "THIRD")}
    if len(sides) >= 2:
        return "corroborated"
    for f in feats:
        side = f.claim.claimant.origin.side
        for q in f.claim.quantities:
            if (side, q.category, q.party) in CONCESSIONS:
                return "corroborated"
        if side == "RU" and "withdrawal" in outcomes_of(f.claim) and f.claim.type == "movement":
            return "corroborated"
    return "single_source"


def summarise(feats: list[Features], figure_pairs: set[tuple[int, int]], rule: str = "ucdp") -> Event:
    claims = [f.claim for f in feats]
    ids = [c.claim_id for c in claims]
    type_ = Counter(c.type for c in claims).most_common(1)[0][0]
    places, seen = [], set()
    for c in claims:
        for p in c.places:
            if p.gazetteer_id and p.gazetteer_id not in seen:
                seen.add(p.gazetteer_id)
                places.append(p)
    dated = [c.when for c in claims if c.when]
    when = When(min(w.start for w in dated), max(w.end for w in dated), dated[0].text) if dated else None
    sources = sources_of(feats)
    contradictions = contradictions_of(feats, figure_pairs)
    return Event(event_id=event_id(ids), type=type_, claim_ids=ids, places=places, when=when, sources=sources,
                  status=status_of(feats, sources, contradictions), estimates=estimates_of(feats, rule),
                  contradictions=contradictions, framing=framing_of(feats))
