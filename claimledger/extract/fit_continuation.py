"""Fit the continuation model (``extract/continuation.py``) on annotated sets.

    python -m claimledger.extract.fit_continuation --set EXPORT_DIR GOLD_DIR [--set ...] [--out FILE]
    make fit     # exports the seeds and the corpus, fits on dev + corpus-dev, writes data/continuation.json

Each set is an export (``claimledger export``: its documents' text, outlet and date) and the
gold folder annotating some of its documents. The English pipeline runs again on the annotated
documents; every claim sentence without its own source that has a candidate (the source of the
last attributed sentence before it) is a training row, labelled 1 when the gold claimant of
that sentence is the candidate (the loose name match of ANNOTATION.md) and 0 otherwise (another
source, or none: the outlet's own claim).

Cross-validation holds out one article at a time. The printed ``cv`` accuracy is what to quote,
next to the two fixed rules (never inherit; always inherit) on the same rows. The model is used
only when its cross-validated accuracy beats both rules; otherwise the stored weights are null
and no claim inherits a source (the fixed rule "never" is then what the pipeline does).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

from claimledger.extract.continuation import FEATURES
from claimledger.extract.fitted import probability
from claimledger.extract.fitdata import gold_claim, gold_documents, read_sets
from claimledger.reconcile.fit import _norm, fit_logistic

L2 = 1.0
_IGNORED = {"ministry", "defense", "defence", "russian", "ukrainian", "president", "sources"}


def name_match(gold: str, chain: list[str]) -> bool:
    """A content word of the gold claimant in the predicted chain (ANNOTATION.md's loose match)."""
    words = [w for w in re.findall(r"[a-z]+", _norm(gold)) if len(w) >= 4 and w not in _IGNORED]
    words = words or re.findall(r"[a-z]+", _norm(gold))
    hay = _norm(" ".join(chain))
    return any(w in hay for w in words)


def rows(export: Path, gold_dir: Path) -> list[tuple[str, tuple[float, ...], int]]:
    """(doc id, features, label) for each labelled candidate of the set's English gold documents."""
    out = []
    for doc_id, text, doc, gold in gold_documents(export, gold_dir):
        for start, end, names, x in doc.user_data.get("continuations", []):
            gc = gold_claim(gold, text, start, end)
            if gc is not None:  # no gold claimant: the outlet's own claim, so 0
                out.append((doc_id, tuple(x), int(bool(gc.get("claimant")) and name_match(gc["claimant"], names))))
    return out


def cross_validate(data: list[tuple[str, tuple[float, ...], int]]) -> dict[str, float]:
    """Leave one article out: accuracy of the fitted model and of the two fixed rules."""
    docs = sorted({d for d, _, _ in data})
    hits = 0
    for held in docs:
        train = [(x, y) for d, x, y in data if d != held]
        w = tuple(fit_logistic(np.array([x for x, _ in train]), np.array([y for _, y in train], float), L2))
        hits += sum((probability(x, w) >= 0.5) == bool(y) for d, x, y in data if d == held)
    n = len(data)
    positives = sum(y for _, _, y in data)
    return {"cv_accuracy": round(hits / n, 3), "never_inherit": round((n - positives) / n, 3),
            "always_inherit": round(positives / n, 3), "rows": n, "articles": len(docs)}


def main(argv: list[str] | None = None) -> int:
    args, data = read_sets("fit_continuation", __doc__, "continuation.json", rows, argv)
    X = np.array([x for _, x, _ in data])
    y = np.array([v for _, _, v in data], float)
    fitted = [round(float(v), 4) for v in fit_logistic(X, y, L2)]
    cv = cross_validate(data)
    kept = cv["cv_accuracy"] > max(cv["never_inherit"], cv["always_inherit"])
    result = {"_about": "Continuation model (claimledger/extract/continuation.py): [bias, weights...] of a "
                        "logistic model over FEATURES, fitted by python -m claimledger.extract.fit_continuation "
                        "(make fit). cv: leave-one-article-out accuracy on the training rows, next to the fixed "
                        "rules. weights is null (no claim inherits a source) unless the model's cv accuracy beats "
                        "both fixed rules; fitted keeps the weights for inspection either way.",
              "version": 1, "features": list(FEATURES), "weights": fitted if kept else None, "fitted": fitted, "l2": L2,
              "cv": cv, "sets": [Path(g).name for _, g in args.set]}
    print(json.dumps({"cv": cv, "kept": kept, "weights": dict(zip(("bias",) + FEATURES, fitted))}, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
