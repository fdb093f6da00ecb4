"""Clustering benchmark: claims of the corpus replicated to 10,000 and 100,000 (each copy shifted
by weeks in time and moved to other places), grouped into events.

    python bench/cluster.py
    python bench/cluster.py --sizes 10000 100000 --source-db ledger.db

Blocking keeps the work near-linear: claims/s should hold roughly steady from 10k to 100k,
and peak memory grow with the claims held, not with their pairs."""
from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, peak_mib, run_child, table  # noqa: E402


def base_ledger(path: Path) -> None:
    from claimledger import Ledger, Options, ingest
    src = [str(CORPUS / "articles")] if (CORPUS / "articles").is_dir() else [str(ROOT / "examples" / "seeds")]
    manifests = [str(CORPUS / "manifest.jsonl")] if (CORPUS / "manifest.jsonl").exists() else None
    ingest(src, Ledger(path), Options(quiet=True, reconcile=False), manifests=manifests)


def shifted(claims, published, k: int):
    """Copy k of the claims: dates moved k weeks on, places and documents renamed."""
    out, pub = [], {}
    for c in claims:
        doc = f"{c.doc_id}~{k}"
        p = published.get(c.doc_id) or "2022-09-10"
        pub[doc] = (date.fromisoformat(p) + timedelta(weeks=k)).isoformat()
        when = None
        if c.when:
            when = dataclasses.replace(c.when, start=(date.fromisoformat(c.when.start) + timedelta(weeks=k)).isoformat(),
                                       end=(date.fromisoformat(c.when.end) + timedelta(weeks=k)).isoformat())
        places = [dataclasses.replace(p_, gazetteer_id=f"{p_.gazetteer_id}~{k % 40}") if p_.gazetteer_id else p_
                  for p_ in c.places]
        out.append(dataclasses.replace(c, claim_id=f"{c.claim_id}~{k}", doc_id=doc, when=when, places=places))
    return out, pub


def child(db: str, n: int) -> None:
    from claimledger import Ledger, reconcile
    ledger = Ledger(db, readonly=True)
    base = list(ledger.iter_claims())
    published = {r[0]: r[1] for r in ledger.db.execute("SELECT doc_id, published FROM documents")}
    claims, pub = [], {}
    k = 0
    while len(claims) < n:
        more, more_pub = shifted(base, published, k)
        claims.extend(more[: n - len(claims)])
        pub.update(more_pub)
        k += 1
    t = time.perf_counter()
    events = reconcile(claims, pub, {})
    elapsed = time.perf_counter() - t
    print(json.dumps({"claims": len(claims), "events": len(events), "seconds": elapsed,
                      "claims_per_s": len(claims) / elapsed, "peak_mib": peak_mib()}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--source-db", help="a ledger whose claims are replicated (default: ingest the corpus)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], int(a.child[1]))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="clbench-"))
    try:
        db = a.source_db or str(tmp / "base.db")
        if not a.source_db:
            base_ledger(Path(db))
        rows = [run_child([__file__, "--child", db, str(n)]) for n in a.sizes]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("Event clustering (blocking + pair scores + union-find + summaries)")
    print(table(rows, ["claims", "events", "seconds", "claims_per_s", "peak_mib"]))
    if len(rows) >= 2:
        print(f"throughput ratio {rows[-1]['claims']:,} vs {rows[0]['claims']:,} claims: "
              f"{rows[-1]['claims_per_s'] / rows[0]['claims_per_s']:.2f} (1.00 = perfectly linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
