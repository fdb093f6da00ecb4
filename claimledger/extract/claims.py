"""Claims: which sentences assert a checkable conflict fact, their type and certainty.

A sentence is a claim when something checkable happens in it (an event word, a figure or a
statement verb) and its evidence outweighs its commentary:
  +2 a source says it, +2 an event word (+1 more when it is the main predicate),
  +2 a conflict figure, +1 a statement word; −2 for each commentary cue (at most −4),
  −1 for a bare forecast. Score ≥ 2 is a claim. Headings (short lines without a full stop)
  and sentences that only comment on the one before ("These claims remain unverified") are
  never claims — the latter make the claim before them ``disputed``.

Type: trigger words per type (data/claim_types.json), weighted by where they sit (the main
predicate, or what a speech verb reports, weighs 3) plus the categories of the sentence's
figures (4 each); ties go to the type listed first in ``priority``.

Both the claim decision and the type have fitted counterparts (``claim_model``, ``type_model``,
fitted by ``make fit``) that the pipeline uses in their place when they beat these rules under
cross-validation; the rules stay as their evidence and their fallback.

Certainty: ``disputed`` (denials, "unverified", or disputed by the next sentence) over
``hedged`` (hedge words outside a "citing ..." clause, or a distancing speech verb such as
"claimed") over ``attributed`` (a source) over ``asserted``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Span

from claimledger.extract.actors import outlet_source
from claimledger.extract.attribution import SentenceAttribution
from claimledger.extract.lexicon import claim_types, compiled, cues, phrase_regex, speech_verbs
from claimledger.model import Attribution, Quantity, Source

_TERMINAL = re.compile(r"[.!?…\"”’'»)]\s*$")
_MODALS = {"will", "would", "could", "should", "might", "may", "can"}


@dataclass(frozen=True)
class TypeLex:
    single: dict[str, tuple[str, ...]]  # word → types
    phrases: list[tuple[str, re.Pattern]]  # (type, multi-word pattern)
    equipment_nouns: re.Pattern
    priority: tuple[str, ...]
    weights: dict[str, float]
    from_category: dict[str, str]


@lru_cache(maxsize=1)
def type_lexicon() -> TypeLex:
    data = claim_types()
    single: dict[str, list[str]] = {}
    phrases = []
    for type_, words in data["triggers"].items():
        multi = [w for w in words if " " in w]
        for w in words:
            if " " not in w:
                single.setdefault(w, []).append(type_)
        if multi:
            phrases.append((type_, phrase_regex(multi)))
    return TypeLex({k: tuple(v) for k, v in single.items()}, phrases, phrase_regex(data["equipment_nouns"]),
                   tuple(data["priority"]), data["weights"], data["quantity_category_type"])


def main_tokens(sent: Span) -> set[int]:
    """The main predicate and what a speech verb reports: its object and clause heads."""
    speech = speech_verbs()
    main = set()
    for tok in sent:
        if tok.dep_ == "ROOT":
            main.add(tok.i)
            if tok.lemma_.lower() in speech:
                for child in tok.children:
                    if child.dep_ in ("ccomp", "dobj", "xcomp", "advcl", "conj"):
                        main.add(child.i)
                    if child.dep_ == "prep":  # "accused Moscow of annihilating towns"
                        main.update(g.i for g in child.children if g.dep_ == "pcomp")
            for child in tok.children:
                if child.dep_ == "conj" and child.pos_ == "VERB":
                    main.add(child.i)
    return main


def type_scores(sent: Span, quantities: list[Quantity]) -> dict[str, float]:
    lex = type_lexicon()
    w = lex.weights
    scores: dict[str, float] = {}
    main = main_tokens(sent)
    for tok in sent:
        types = lex.single.get(tok.lower_) or lex.single.get(tok.lemma_.lower())
        if not types:
            continue
        weight = w["main_predicate"] if tok.i in main else w["trigger"]
        for t in types:
            scores[t] = scores.get(t, 0) + weight
    text = sent.text
    for type_, pattern in lex.phrases:
        n = len(pattern.findall(text))
        if n:
            scores[type_] = scores.get(type_, 0) + n * w["trigger"]
    n_equipment = len(lex.equipment_nouns.findall(text))
    if n_equipment and scores.get("equipment"):  # nouns count only where something was destroyed
        scores["equipment"] = scores.get("equipment", 0) + n_equipment * w["equipment_noun"]
    for q in quantities:
        t = lex.from_category.get(q.category)
        if t:
            scores[t] = scores.get(t, 0) + w["quantity"]
    return scores


def choose_type(scores: dict[str, float]) -> str:
    lex = type_lexicon()
    event = {t: s for t, s in scores.items() if t != "statement" and s > 0}
    if event:
        best = max(event.values())
        return next(t for t in lex.priority if event.get(t) == best)
    return "statement" if scores.get("statement") else "other"


def is_heading(sent: Span) -> bool:
    text = sent.text.strip()
    return not _TERMINAL.search(text) and len(text.split()) <= cues()["heading_max_words"]


def claim_score(sent: Span, att: SentenceAttribution | None, scores: dict[str, float],
                quantities: list[Quantity]) -> float:
    event = max((s for t, s in scores.items() if t != "statement"), default=0)
    if not event and not quantities and not scores.get("statement"):
        return 0.0  # nothing checkable happens in it, whoever says it
    score = 0.0
    if att and att.source:
        score += 2
    if event >= 1:
        score += 2 + (1 if event >= 3 else 0)
    if quantities:
        score += 2
    if scores.get("statement"):
        score += 1
    commentary = len(compiled()["commentary"].findall(sent.text))
    score -= min(4, 2 * commentary)
    root = sent.root
    if not att and any(c.lower_ in _MODALS for c in root.children if c.dep_ == "aux"):
        score -= 1
    return score


def certainty_of(sent: Span, att: SentenceAttribution | None, disputed_next: bool) -> str:
    rx = compiled()
    text = sent.text
    if disputed_next or rx["unverified"].search(text) or rx["denial"].search(text) or \
            (att and att.verb in cues()["denial_verbs"]):
        return "disputed"
    cite = rx["citing"].search(text)
    hedge_text = text[:cite.start()] if cite else text
    if rx["hedge"].search(hedge_text) or (att and att.verb in cues()["hedge_verbs"]):
        return "hedged"
    if att and att.source:
        return "attributed"
    return "asserted"


def claimant_of(att: SentenceAttribution | None, outlet: str | None) -> Attribution:
    if att is None or att.source is None:
        o = outlet_source(outlet)
        return Attribution(o.name, o.kind, o.side, actor=o.actor)
    s = att.source
    via = [Source(v.name, v.kind, v.side, v.actor) for v in att.via]
    return Attribution(s.name, s.kind, s.side, via, s.actor)


def fill_parties(quantities: list[Quantity], claimant: Attribution) -> None:
    """Unknown parties from the claimant: a side's own gains, the other side's losses."""
    side = claimant.side if claimant.side in ("RU", "UA") else None
    if side is None:
        return
    other = "UA" if side == "RU" else "RU"
    for q in quantities:
        if q.party != "UNKNOWN":
            continue
        if q.category in ("seized", "advanced", "withdrawn", "deployed"):
            q.party = side
        elif q.category in ("killed", "wounded", "captured", "destroyed", "damaged") and q.unit != "persons":
            q.party = other


def claim_id(doc_id: str, start: int, end: int) -> str:
    return "c" + hashlib.sha1(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:15]

