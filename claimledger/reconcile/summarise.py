"""What an event says: its independent sources, status, estimates, contradictions, framing.

- Sources: one per original source (the end of each claim's attribution chain, counted by
  institution: Konashenkov speaks for the Russian Defence Ministry; three outlets repeating
  Zelensky are one source; an outlet's own reporting is its own source, unless the same
  article cites a named source of the event, whose story it then tells; a syndicated copy
  counts as the outlet it copies).
- Contradictions: two claims whose figures of the same (unit, category, party) do not
  overlap; whose outcomes are opposed (captured vs repelled, regrouping vs flight) about the
  same place; or one of which the text disputes or denies, about the same place.
- Status: ``contested`` when there are contradictions; ``corroborated`` when independent
  sources on different sides agree, or a side concedes something against its own interest
  (a Russian source announcing a Russian withdrawal, a Ukrainian one Ukrainian losses, an
  official saying "we left"), which outweighs the disagreements it is not part of;
  else ``single_source``: one side only. ``status_reason`` says why in a sentence naming
  the sources ("the Russian Defence Ministry concedes the withdrawal"). The event also
  carries ``n_sources`` (independent sources) and ``sides``, so "three Western outlets, one
  side" is told apart from one outlet.
- Framing: per side, the words its sources use for the happening (regrouping vs fleeing,
  liberated vs occupied), from the framing lexicon; place spellings (``ua``/``ru``
  transliterations) are kept apart in ``spellings``.
- Estimates, per (unit, category, party): each independent source contributes its figure
  (the largest claim it makes); ``low`` is the smallest lower figure, ``high`` the largest
  upper one, ``best`` the median of the sources' central figures (rule "ucdp"), or the
  lowest (rule "acled", the conservative estimate).
"""
from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter, defaultdict
from functools import lru_cache

from claimledger.extract.lexicon import framing, phrase_regex
from claimledger.extract.slavic_lexicon import lemma_matches
from claimledger.model import Claim, Estimate, Event, When
from claimledger.reconcile.features import Features, figure_range, figures_compare

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


def _narrated(feats: list[Features]) -> dict[str, str]:
    """doc id -> the named source an outlet's own sentences narrate in that document: the one
    its claims of the event cite most (first named on ties). An article that quotes the
    governor and then tells the rest of the story in its own voice reports the governor's
    account, not a second one."""
    cited: dict[str, Counter] = defaultdict(Counter)
    first: dict[tuple[str, str], int] = {}
    for f in feats:
        if not f.source.startswith("outlet:"):
            cited[f.claim.doc_id][f.source] += 1
            first.setdefault((f.claim.doc_id, f.source), f.claim.start)
    return {doc: min(c, key=lambda s: (-c[s], first[doc, s])) for doc, c in cited.items()}


def source_key(f: Features, narrated: dict[str, str]) -> str:
    """The independent source a claim counts as: its origin, or, for an outlet's own sentence
    in an article that also cites a named source of the event, that source. (What the outlet
    concedes in its own voice still counts as a concession: see :func:`_concession`.)"""
    return narrated.get(f.claim.doc_id, f.source) if f.source.startswith("outlet:") else f.source


def _entry(f: Features, key: str) -> dict:
    o = f.claim.claimant.origin
    # a known actor is shown as the institution it speaks for; anyone else by their own name
    name = key if o.actor and not key.startswith("outlet:") else o.name
    return {"name": name, "side": o.side, "kind": o.kind, "claim_ids": [], "outlets": set()}


def sources_of(feats: list[Features]) -> list[dict]:
    by_source: dict[str, dict] = {}
    narrated = _narrated(feats)
    first_of = {}
    for f in feats:
        first_of.setdefault(f.source, f)
    for f in feats:
        key = source_key(f, narrated)  # an outlet narrating a named source counts as that source
        entry = by_source.setdefault(key, _entry(first_of[key], key))
        entry["claim_ids"].append(f.claim.claim_id)
        if f.outlet and f.outlet != entry["name"]:
            entry["outlets"].add(f.outlet)  # who repeats it
    for entry in by_source.values():
        entry["outlets"] = sorted(entry["outlets"])
    return sorted(by_source.values(), key=lambda s: (-len(s["claim_ids"]), s["name"]))


def same_place(a: Features, b: Features) -> bool:
    """Could two claims be about one place: they share a town (named or inherited from the
    context), or one of them has none to compare?"""
    return not (a.ctx_towns and b.ctx_towns) or bool(a.ctx_towns & b.ctx_towns)


def contradictions_of(feats: list[Features]) -> list[dict]:
    """Pairs of claims by the opposing belligerents that cannot both hold, in the claims' order.

    Only Russian × Ukrainian pairs are compared (so an event of one side costs nothing): a side
    does not contest itself, and differing estimates of third parties (a rising toll, an updated
    count, another day's figure) are estimates, not a dispute."""
    out = []
    ru = [i for i, f in enumerate(feats) if f.side == "RU"]
    ua = [i for i, f in enumerate(feats) if f.side == "UA"]
    opposing = sorted((min(i, j), max(i, j)) for i in ru for j in ua)
    for x, y in opposing:
        a, b = feats[x], feats[y]
        if a.figures and b.figures and figures_compare(a, b)[1]:
            out.append({"claim_ids": [a.claim.claim_id, b.claim.claim_id],
                        "reason": "figures outside each other's ranges"})
    opposed = [tuple(p) for p in framing()["opposed_outcomes"]]
    outs = {f.claim.claim_id: outcomes_of(f.claim) for f in feats}
    for x, y in opposing:
        a, b = feats[x], feats[y]
        if not same_place(a, b):
            continue  # "taken" in one town and "held" in another is no dispute
        oa, ob = outs[a.claim.claim_id], outs[b.claim.claim_id]
        for p, q in opposed:
            if (p in oa and q in ob) or (q in oa and p in ob):
                out.append({"claim_ids": [a.claim.claim_id, b.claim.claim_id],
                            "reason": f"opposite outcomes: {p} vs {q}"})
                break
    by_side = {"RU": [feats[i] for i in ru], "UA": [feats[i] for i in ua]}
    for f in feats:
        # a source that disputes or denies (not an outlet noting it could not verify a claim)
        # the other side's first claim about the same place
        if f.claim.certainty == "disputed" and f.claim.claimant.origin.kind != "outlet" and f.side in by_side:
            other = next((g for g in by_side["UA" if f.side == "RU" else "RU"] if same_place(f, g)), None)
            if other is not None:
                out.append({"claim_ids": [f.claim.claim_id, other.claim.claim_id],
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


def _ranked(counts: dict[str, Counter]) -> dict[str, list[str]]:
    return {side: [t for t, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:12]]
            for side, c in sorted(counts.items())}


def framing_of(feats: list[Features]) -> dict[str, list[str]]:
    """Per side, the framing words its claims use, most used first."""
    terms: dict[str, Counter] = defaultdict(Counter)
    for f in feats:
        if f.lang:  # each side's words in its own language, found by lemma ("освободили", "звільнили")
            for _, written in lemma_matches(f.claim.sentence, f.lang, "terms"):
                terms[f.side][written] += 1
            continue
        for m in _terms().finditer(f.claim.sentence.lower()):
            terms[f.side][re.sub(r"\s+", " ", m.group(0))] += 1
    return _ranked(terms)


def spellings_of(feats: list[Features]) -> dict[str, list[str]]:
    """Per side, place names written in one side's transliteration ("Kharkov (ru)")."""
    names: dict[str, Counter] = defaultdict(Counter)
    for f in feats:
        for p in f.claim.places:
            if p.spelling:
                names[f.side][f"{p.mention} ({p.spelling})"] += 1
    return _ranked(names)


SIDE_NAMES = {"RU": "Russian", "UA": "Ukrainian", "THIRD": "third-party"}


def _names(sources: list[dict], limit: int = 3) -> str:
    names = [s["name"] for s in sources[:limit]]
    more = len(sources) - limit
    text = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] if names else "no named source"
    return text + (f" and {more} more" if more > 0 else "")


def _concession(feats: list[Features]) -> tuple[Features, str] | None:
    """A claim in which a side concedes against its own interest, and what it concedes."""
    for f in feats:
        for q in f.claim.quantities:
            if (f.side, q.category, q.party) in CONCESSIONS:
                if q.party != f.side:
                    return f, f"the other side's gains ({q.text})"
                return f, f"its own side's {'withdrawal' if q.category == 'withdrawn' else 'losses'} ({q.text})"
        if f.side == "RU" and f.claim.type == "movement" and "withdrawal" in outcomes_of(f.claim):
            return f, "the withdrawal"
        if f.side in ("RU", "UA") and f.claim.claimant.origin.kind != "outlet" and \
                (said := _outcomes()["own_loss"].search(f.claim.sentence.lower())):
            return f, f"the loss (“{said.group(0)}”)"
    return None


def status_of(feats: list[Features], sources: list[dict], contradictions: list[dict]) -> tuple[str, str]:
    """(status, the reason in words). A concession outweighs disagreements it takes no part
    in: when the Russian Defence Ministry announces the pull-back, a war correspondent's "held"
    is dissent on the conceding side, and the event is corroborated (the disagreements stay
    listed, and the reason names them)."""
    conceded = _concession(feats)
    disputed = {cid for c in contradictions for cid in c["claim_ids"]}
    if conceded and conceded[0].claim.claim_id in disputed:
        conceded = None  # a concession that is itself disputed settles nothing
    dissent = ""
    if contradictions:
        first = contradictions[0]
        by_id = {f.claim.claim_id: f for f in feats}
        a, b = (by_id[cid] for cid in first["claim_ids"])
        who = lambda f: f.claim.claimant.origin.name
        dissent = f"{who(a)} and {who(b)} disagree ({first['reason']})" + (
            f"; {len(contradictions) - 1} more disagreement{'s' * (len(contradictions) > 2)}" if len(contradictions) > 1 else "")
        if not conceded:
            return "contested", dissent
    sides = sorted({s["side"] for s in sources if s["side"] in ("RU", "UA", "THIRD")})
    concession = None
    if conceded:  # the stronger reason, first
        f, what = conceded
        concession = f"{f.claim.claimant.origin.name} ({SIDE_NAMES.get(f.side, f.side)}) concedes {what}"
        if dissent:
            return "corroborated", f"{concession}, although {dissent}"
    if len(sides) >= 2:
        parts = [f"{SIDE_NAMES[side]} ({_names([s for s in sources if s['side'] == side], 2)})" for side in sides]
        reported = "independent sources on different sides report it: " + "; ".join(parts)
        return "corroborated", f"{concession}; {reported}" if concession else reported
    if concession:
        return "corroborated", concession
    if len(sources) == 1:
        return "single_source", f"only {sources[0]['name']} reports it"
    side = SIDE_NAMES.get(sides[0], "one") if sides else "unknown"
    return "single_source", f"all {len(sources)} sources are on the {side} side: {_names(sources)}"


def summarise(feats: list[Features], rule: str = "ucdp") -> Event:
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
    contradictions = contradictions_of(feats)
    status, reason = status_of(feats, sources, contradictions)
    return Event(event_id=event_id(ids), type=type_, claim_ids=ids, places=places, when=when, sources=sources,
                 status=status, status_reason=reason, estimates=estimates_of(feats, rule),
                 contradictions=contradictions, framing=framing_of(feats), spellings=spellings_of(feats))
