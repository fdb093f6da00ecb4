"""The annotated documents of an export, run through the English pipeline for the extraction fits.

Shared by ``fit_claims``, ``fit_types`` and ``fit_continuation``: the pipeline records the rows
each model weighs in ``doc.user_data`` (``claim_features``, ``type_features``, ``continuations``)
when ``record_fit_rows`` is set, and each fit labels them with the gold claim anchored in the
same sentence, as ``score.py`` matches claims.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from claimledger.reconcile.fit import _norm


def gold_documents(export: Path, gold_dir: Path) -> Iterator[tuple[str, str, object, dict]]:
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
        doc.user_data["record_fit_rows"] = True
        yield d["doc_id"], d["text"], nlp(doc), golds[d["doc_id"]]


def gold_claim(gold: dict, text: str, start: int, end: int) -> dict | None:
    """The gold claim anchored in ``text[start:end]``, if any."""
    sentence = _norm(text[start:end])
    return next((gc for gc in gold["claims"] if _norm(gc["anchor"]) in sentence), None)


def read_sets(module: str, doc: str, out_example: str, rows: Callable[[Path, Path], list],
              argv: list[str] | None) -> tuple[argparse.Namespace, list]:
    """A fit script's command line (``--set EXPORT_DIR GOLD_DIR`` ..., ``--out``) and its labelled
    rows; exits with status 2 and says why when there are none."""
    ap = argparse.ArgumentParser(prog=f"python -m claimledger.extract.{module}", description=doc.split("\n")[0])
    ap.add_argument("--set", nargs=2, action="append", metavar=("EXPORT_DIR", "GOLD_DIR"), required=True)
    ap.add_argument("--out", type=Path, help=f"write the fitted model here (e.g. claimledger/data/{out_example})")
    args = ap.parse_args(argv)
    data = [r for export, gold in args.set for r in rows(Path(export), Path(gold))]
    if not data:
        print(f"{module}: no labelled rows (do the exports hold the gold documents?)", file=sys.stderr)
        raise SystemExit(2)
    return args, data
