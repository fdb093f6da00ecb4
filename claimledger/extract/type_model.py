"""Claim type as a fitted model: the trigger rule of ``claims.type_scores`` plus what the
annotated sets teach it.

Features of a claim sentence (``type_features``): the rule's own evidence per type (trigger
words as the main predicate, other triggers, figures' categories, equipment nouns) and the
lemmas of the sentence's content words. A softmax over the nine types
is fitted by ``claimledger.extract.fit_types`` (``make fit``), regularised towards the rule's
weights (so a word the data say nothing about keeps the rule's meaning) and stored in
``data/type_model.json``. Without that file, or when the fit did not beat the rule under
cross-validation, the rule decides (``claims.choose_type``).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from claimledger.extract.claims import main_tokens, type_lexicon
from claimledger.extract.fitted import stored
from claimledger.model import Quantity

TYPES = ("casualties", "equipment", "strike", "movement", "territory", "infrastructure", "humanitarian",
         "statement", "other")
_CONTENT = {"NOUN", "VERB", "ADJ", "PROPN"}


def type_features(sent: Span, quantities: list[Quantity]) -> dict[str, float]:
    """Named feature values of one sentence (names sorted when fitted; absent means 0)."""
    lex = type_lexicon()
    main = main_tokens(sent)
    f: dict[str, float] = {}

    def add(name: str, v: float = 1.0) -> None:
        f[name] = f.get(name, 0.0) + v

    for tok in sent:
        types = lex.single.get(tok.lower_) or lex.single.get(tok.lemma_.lower())
        if types:
            where = "main" if tok.i in main else "trigger"
            for t in types:
                add(f"{where}:{t}")
        if tok.pos_ in _CONTENT and tok.is_alpha and len(tok.text) > 2:
            f[f"lemma:{tok.lemma_.lower()}"] = 1.0
    text = sent.text
    for type_, pattern in lex.phrases:
        n = len(pattern.findall(text))
        if n:
            add(f"trigger:{type_}", n)
    n_equipment = len(lex.equipment_nouns.findall(text))
    if n_equipment:
        add("equipment_nouns", n_equipment)
    for q in quantities:
        t = lex.from_category.get(q.category)
        if t:
            add(f"figure:{t}")
    return f


def prior(name: str, type_: str) -> float:
    """The rule's weight of feature ``name`` for ``type_`` (what the fit is regularised towards)."""
    w = type_lexicon().weights
    kind, _, arg = name.partition(":")
    if arg != type_:
        return 0.0
    return {"main": w["main_predicate"], "trigger": w["trigger"], "figure": w["quantity"]}.get(kind, 0.0)


@lru_cache(maxsize=1)
def model() -> tuple[dict[str, tuple[float, ...]], tuple[float, ...]] | None:
    """(feature → weight per type, bias per type), or None when no kept model is stored."""
    data = stored("type_model.json", "types", TYPES)
    return None if data is None else ({k: tuple(v) for k, v in data["weights"].items()}, tuple(data["bias"]))


def predict(features: dict[str, float]) -> str | None:
    """The fitted model's type for a sentence's features (ties: the order of TYPES), or None."""
    m = model()
    if m is None:
        return None
    weights, bias = m
    scores = list(bias)
    for name in sorted(features):
        w = weights.get(name)
        if w is not None:
            v = features[name]
            for k in range(len(TYPES)):
                scores[k] += w[k] * v
    best = max(scores)
    return TYPES[scores.index(best)]
