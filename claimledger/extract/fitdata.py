"""The annotated documents of an export, run through the English pipeline for the extraction fits.

Shared by ``fit_continuation`` and ``fit_types``: each reads what the pipeline records for it in
``doc.user_data`` when asked (``want_continuations``, ``want_type_features``) and labels it with
the gold claim whose anchor lies in the same sentence, as ``score.py`` matches claims.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from claimledger.reconcile.fit import _norm


def gold_documents(export: Path, gold_dir: Path, *flags: str) -> Iterator[tuple[str, str, object, dict]]:
    """(doc id, text, processed spaCy Doc, gold annotation) for the English gold documents."""
    from claimledger.extract.run import get_nlp
    golds = {}
    for f in sorted(gold_dir.glob("*.json")):
        if not f.name.startswith("_"):
            g = json.loads(f.read_text(encoding="utf-8"))
            golds[g["doc_id"]] = g
    nlp = get_nlp()
    for line in (export / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["doc_id"] not in golds or d.get("language", "en") != "en" or d.get("duplicate_of"):
            continue
        doc = nlp.make_doc(d["text"])
        doc._.outlet, doc._.published = d.get("outlet"), d.get("published")
        for flag in flags:
            doc.user_data[flag] = True
        yield d["doc_id"], d["text"], nlp(doc), golds[d["doc_id"]]


def gold_claim(gold: dict, text: str, start: int, end: int) -> dict | None:
    """The gold claim anchored in ``text[start:end]``, if any."""
    sentence = _norm(text[start:end])
    return next((gc for gc in gold["claims"] if _norm(gc["anchor"]) in sentence), None)

