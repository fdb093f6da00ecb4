"""Continuation: a claim without a source of its own that goes on with a report named before it.

Agency copy narrates an official's statement for paragraphs after naming them once ("Syrskyi
said the enemy continues offensive operations. ... In the Lyman axis, the enemy is conducting
an offensive ..."); a feature story names a source and then speaks in its own voice. Which one
a sentence is cannot be read off one cue, so the decision is a small logistic model over the
features below, fitted on the annotated sets by ``claimledger.extract.fit_continuation``
(``make fit``) and stored in ``data/continuation.json``. The candidate is the source of the
last attributed sentence before the claim; the model says whether the claim inherits it or
stays with the outlet. The fit keeps the model only when its cross-validated accuracy beats the
fixed rules; without a kept model no claim inherits anything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimledger.extract.actors import SourceInfo
from claimledger.extract.fitted import probability, stored
from claimledger.extract.lexicon import cues

FEATURES = ("same_paragraph", "paragraph_gap", "sentence_gap", "previous_sentence", "official", "person",
            "first_person", "opener", "dominant", "sources", "partisan_outlet", "other_source", "present_tense",
            "combatant_voice")
_FIRST_PERSON = re.compile(r"(?<![\w'’])(?:we|our|us|ours)(?![\w'’])", re.IGNORECASE)


@dataclass(slots=True)
class Candidate:
    """A claim sentence without its own source, the source it may continue, and why."""
    sentence: int  # index of the sentence in the document
    source: SourceInfo
    via: list[SourceInfo]
    x: tuple[float, ...]  # one value per name in FEATURES


@lru_cache(maxsize=1)
def _openers() -> re.Pattern:
    words = sorted(cues()["continuation_openers"], key=lambda w: (-len(w), w))
    return re.compile(r"^\W*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _voice() -> re.Pattern:
    """Words a combatant's own statement uses for the other side ("the enemy", "the occupiers")."""
    words = sorted(cues()["combatant_voice"], key=lambda w: (-len(w), w))
    return re.compile(r"(?<![\w'’])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w'’])", re.IGNORECASE)


def features(*, same_paragraph: bool, paragraph_gap: int, sentence_gap: int, previous_sentence: bool,
             source: SourceInfo, text: str, dominant: float, sources: int, partisan_outlet: bool,
             other_source: bool, present_tense: bool) -> tuple[float, ...]:
    """The feature vector, each value in [0, 1], in the order of FEATURES."""
    return (float(same_paragraph), min(paragraph_gap, 3) / 3, min(sentence_gap, 6) / 6, float(previous_sentence),
            float(source.kind == "official"), float(source.type == "person"),
            float(bool(_FIRST_PERSON.search(text))), float(bool(_openers().match(text))), dominant,
            min(sources, 5) / 5, float(partisan_outlet), float(other_source), float(present_tense),
            float(bool(_voice().search(text))))


@lru_cache(maxsize=1)
def model() -> tuple[float, ...] | None:
    """[bias, weights...] from data/continuation.json, or None when it is missing or stale."""
    data = stored("continuation.json", "features", FEATURES)
    return None if data is None else tuple(data["weights"])


def continues(candidate: Candidate) -> bool:
    weights = model()
    return weights is not None and probability(candidate.x, weights) >= 0.5
