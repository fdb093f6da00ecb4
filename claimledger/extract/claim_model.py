"""Which sentences are claims, as a fitted model over the evidence ``claims.claim_score`` weighs.

The rule adds hand-set points (a source +2, an event word +2, a figure +2, ...; claim at 2).
Here the same evidence, and a little more (the sentence's tense, numbers and named places and
actors), feeds a logistic model fitted on the annotated sets by
``claimledger.extract.fit_claims`` (``make fit``) and stored in ``data/claim_model.json``
with the probability threshold that maximised F1 on the training articles. Without that file,
or when the fit did not beat the rule under cross-validation, the rule decides.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from claimledger.extract.attribution import SentenceAttribution
from claimledger.extract.fitted import probability, stored
from claimledger.extract.lexicon import compiled
from claimledger.model import Quantity

FEATURES = ("source", "source_explicit", "in_quote", "event", "event_main", "event_strength", "figure", "statement",
            "commentary", "modal", "question", "first_person", "length", "rule",
            "named_place", "past_main", "number", "present_be", "named_actor")
# names as the NER labels them, not as the geoparser resolves them: the claim decision stays the
# same with the geoparser off (``build_nlp(places=False)``)
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_ACTOR_ENTS = {"PERSON", "ORG", "NORP"}
_PAST = ("VBD", "VBN")
_MODALS = {"will", "would", "could", "should", "might", "may", "can"}


def claim_features(sent: Span, att: SentenceAttribution | None, scores: dict[str, float],
                   quantities: list[Quantity], rule_score: float) -> tuple[float, ...]:
    """One value per name in FEATURES, each in [0, 1]."""
    event = max((s for t, s in scores.items() if t != "statement"), default=0)
    has_source = bool(att and att.source)
    text = sent.text
    root = sent.root
    names = {e.label_ for e in sent.ents}
    return (float(has_source), float(has_source and att.explicit), float(bool(att and att.verb == "quote")),
            float(event >= 1), float(event >= 3), min(event, 9) / 9, float(bool(quantities)),
            float(bool(scores.get("statement"))), min(len(compiled()["commentary"].findall(text)), 2) / 2,
            float(any(c.lower_ in _MODALS for c in root.children if c.dep_ == "aux")),
            float(text.rstrip().rstrip("”\"’'").endswith("?")),
            float(any(t.lower_ in ("i", "we", "my", "our") for t in sent)), min(len(sent), 60) / 60,
            float(rule_score >= 2),
            float(bool(names & _PLACE_ENTS)),
            float(root.tag_ in _PAST or any(c.tag_ in _PAST and c.dep_ in ("ccomp", "xcomp") for c in root.children)),
            float(any(t.like_num for t in sent)),
            float(root.lemma_ == "be" and root.tag_ in ("VBZ", "VBP")),
            float(bool(names & _ACTOR_ENTS)))


@lru_cache(maxsize=1)
def model() -> tuple[tuple[float, ...], float] | None:
    """([bias, weights...], threshold), or None when no kept model is stored."""
    data = stored("claim_model.json", "features", FEATURES)
    return None if data is None else (tuple(data["weights"]), float(data["threshold"]))


def is_claim(x: tuple[float, ...]) -> bool | None:
    """The fitted model's decision, or None when there is no kept model (the rule decides)."""
    m = model()
    if m is None:
        return None
    weights, threshold = m
    return probability(x, weights) >= threshold
