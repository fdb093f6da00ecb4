"""Fit the claim-detection model (``extract/claim_model.py``) on annotated sets.

    python -m claimledger.extract.fit_claims --set EXPORT_DIR GOLD_DIR [--set ...] [--out FILE]
    make fit     # fits on dev + corpus-dev, writes data/claim_model.json

Rows: every sentence of the English gold documents the pipeline weighs (four tokens or more, not
a heading), labelled 1 when a required gold claim is anchored in it, 0 when none is; sentences
holding only optional gold claims are left out, as the scorer leaves them out. An L2-regularised
logistic model is fitted, and the probability threshold that maximises F1 on the training rows.

Cross-validation holds out one article at a time (model and threshold fitted on the others).
The printed ``cv`` F1 is what to quote, next to the rule's F1 on the same rows; the model is
stored only when it beats the rule.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from claimledger.extract.claim_model import FEATURES
from claimledger.extract.fitted import probability
from claimledger.extract.fitdata import gold_documents, read_sets
from claimledger.reconcile.fit import _norm, fit_logistic

L2 = 1.0
THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(11))  # 0.2 … 0.7

Row = tuple[str, tuple[float, ...], int]


def rows(export: Path, gold_dir: Path) -> list[Row]:
    out = []
    for doc_id, text, doc, gold in gold_documents(export, gold_dir):
        anchors = [(_norm(gc["anchor"]), gc["required"]) for gc in gold["claims"]]
        for start, end, x in doc.user_data.get("claim_features", []):
            sentence = _norm(text[start:end])
            required = [r for a, r in anchors if a in sentence]
            if required and not any(required):
                continue  # only optional claims here: the scorer counts neither way
            out.append((doc_id, tuple(x), int(any(required))))
    return out


def f1(pred: list[bool], gold: list[int]) -> float:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def fit(data: list[Row]) -> tuple[tuple[float, ...], float]:
    X = np.array([x for _, x, _ in data])
    y = np.array([v for _, _, v in data], float)
    w = tuple(float(v) for v in fit_logistic(X, y, L2))
    p = [probability(x, w) for _, x, _ in data]
    gold = [v for _, _, v in data]
    threshold = max(THRESHOLDS, key=lambda t: (f1([q >= t for q in p], gold), -abs(t - 0.5)))
    return w, threshold


def cross_validate(data: list[Row]) -> dict[str, float]:
    rule_at = FEATURES.index("rule")
    pred, gold = [], []
    for held in sorted({d for d, _, _ in data}):
        w, t = fit([r for r in data if r[0] != held])
        for d, x, y in data:
            if d == held:
                pred.append(probability(x, w) >= t)
                gold.append(y)
    rule = [x[rule_at] >= 1 for _, x, _ in data]
    return {"cv_f1": round(f1(pred, gold), 3), "rule_f1": round(f1(rule, [y for _, _, y in data]), 3),
            "rows": len(data), "claims": sum(y for _, _, y in data), "articles": len({d for d, _, _ in data})}


def main(argv: list[str] | None = None) -> int:
    args, data = read_sets("fit_claims", __doc__, "claim_model.json", rows, argv)
    cv = cross_validate(data)
    w, threshold = fit(data)
    kept = cv["cv_f1"] > cv["rule_f1"]
    fitted = [round(v, 4) for v in w]
    result = {"_about": "Claim-detection model (claimledger/extract/claim_model.py): [bias, weights...] of a "
                        "logistic model over FEATURES and the probability threshold, fitted by python -m "
                        "claimledger.extract.fit_claims (make fit). cv: leave-one-article-out F1 next to the "
                        "rule's on the same rows. weights is null (the rule decides) unless the model beats it.",
              "version": 1, "features": list(FEATURES), "weights": fitted if kept else None, "fitted": fitted,
              "threshold": threshold, "l2": L2, "cv": cv, "kept": kept,
              "sets": [Path(g).name for _, g in args.set]}
    print(json.dumps({"cv": cv, "kept": kept, "threshold": threshold,
                      "weights": dict(zip(("bias",) + FEATURES, fitted))}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
