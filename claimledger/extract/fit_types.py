"""Fit the claim-type model (``extract/type_model.py``) on annotated sets.

    python -m claimledger.extract.fit_types --set EXPORT_DIR GOLD_DIR [--set ...] [--out FILE]
    make fit     # fits on dev + corpus-dev, writes data/type_model.json

Rows: every claim sentence of the English gold documents that a gold claim is anchored in, with
its features and the gold claim's acceptable types. The model is a softmax over the nine types,
fitted by gradient descent on the log-probability of the acceptable set, with an L2 penalty
pulling each weight towards the trigger rule's (``type_model.prior``). Features seen in fewer
than MIN_ARTICLES training articles are left out.

Cross-validation holds out one article at a time (the vocabulary, too, comes from the other
articles only). The printed ``cv`` accuracy is what to quote, next to the rule's accuracy on the
same rows; the model is stored only when it beats the rule.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from claimledger.extract.fitdata import gold_claim, gold_documents, read_sets
from claimledger.extract.type_model import TYPES, prior

L2 = 1.0
MIN_ARTICLES = 3
STEPS = 600
RATE = 0.1

Row = tuple[str, dict[str, float], frozenset[str], str]  # doc id, features, gold types, the rule's type


def rows(export: Path, gold_dir: Path) -> list[Row]:
    out = []
    for doc_id, text, doc, gold in gold_documents(export, gold_dir):
        for start, end, feats, rule in doc.user_data.get("type_features", []):
            gc = gold_claim(gold, text, start, end)
            if gc is not None and gc.get("types"):
                out.append((doc_id, feats, frozenset(gc["types"]), rule))
    return out


def vocabulary(data: list[Row]) -> list[str]:
    seen: dict[str, set[str]] = {}
    for doc_id, feats, _, _ in data:
        for name in feats:
            seen.setdefault(name, set()).add(doc_id)
    return sorted(n for n, docs in seen.items() if len(docs) >= MIN_ARTICLES)


def fit(data: list[Row]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(feature names, weights (features × types), bias (types)) fitted on ``data``."""
    names = vocabulary(data)
    col = {n: i for i, n in enumerate(names)}
    X = np.zeros((len(data), len(names)))
    for r, (_, feats, _, _) in enumerate(data):
        for n, v in feats.items():
            if n in col:
                X[r, col[n]] = v
    Y = np.array([[t in gold for t in TYPES] for _, _, gold, _ in data], float)
    W0 = np.array([[prior(n, t) for t in TYPES] for n in names]).reshape(len(names), len(TYPES))
    W, b = W0.copy(), np.zeros(len(TYPES))
    m_w, v_w, m_b, v_b = (np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b))
    for step in range(1, STEPS + 1):  # Adam on the mean loss; deterministic
        Z = X @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        Q = P * Y
        Q /= np.maximum(Q.sum(axis=1, keepdims=True), 1e-12)  # posterior over the acceptable types
        G = (P - Q) / len(data)
        gW = X.T @ G + L2 * (W - W0) / len(data)
        gb = G.sum(axis=0)
        for g, m, v, p in ((gW, m_w, v_w, W), (gb, m_b, v_b, b)):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= RATE * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return names, W, b


def predict(names: list[str], W: np.ndarray, b: np.ndarray, feats: dict[str, float]) -> str:
    col = {n: i for i, n in enumerate(names)}
    z = b.copy()
    for n in sorted(feats):
        if n in col:
            z += W[col[n]] * feats[n]
    return TYPES[int(np.argmax(z))]


def cross_validate(data: list[Row]) -> dict[str, float]:
    docs = sorted({r[0] for r in data})
    hits = 0
    for held in docs:
        model = fit([r for r in data if r[0] != held])
        hits += sum(predict(*model, feats) in gold for d, feats, gold, _ in data if d == held)
    rule = sum(r in gold for _, _, gold, r in data)
    return {"cv_accuracy": round(hits / len(data), 3), "rule_accuracy": round(rule / len(data), 3),
            "rows": len(data), "articles": len(docs)}


def main(argv: list[str] | None = None) -> int:
    args, data = read_sets("fit_types", __doc__, "type_model.json", rows, argv)
    cv = cross_validate(data)
    names, W, b = fit(data)
    kept = cv["cv_accuracy"] > cv["rule_accuracy"]
    weights = {n: [round(float(v), 3) for v in W[i]] for i, n in enumerate(names)}
    result = {"_about": "Claim-type model (claimledger/extract/type_model.py): per feature, one weight per type "
                        "(in the order of types), and a bias per type; fitted by python -m "
                        "claimledger.extract.fit_types (make fit). cv: leave-one-article-out accuracy next to "
                        "the trigger rule's on the same rows. weights is null (the rule decides) unless the "
                        "model beats the rule.",
              "version": 1, "types": list(TYPES), "l2": L2, "min_articles": MIN_ARTICLES, "cv": cv, "kept": kept,
              "bias": [round(float(v), 3) for v in b], "weights": weights if kept else None,
              "sets": [Path(g).name for _, g in args.set]}
    print(json.dumps({"cv": cv, "kept": kept, "features": len(names)}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
