"""Event linking benchmark: claims of the corpus replicated to 10,000 and 100,000 (each copy shifted
by weeks in time and moved to other places), grouped into events by a full rebuild; then 100 new
articles linked incrementally into a 10k- and a 100k-claim ledger.

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


def shifted(claims, docs, k: int):
    """Copy k of the claims: dates moved k weeks on, places (and their oblasts) and documents renamed,
    so copies are new happenings that share neither places nor documents with the others."""
    from claimledger.reconcile.features import DocInfo

    def move(p_):
        if not p_.gazetteer_id:
            return p_
        tag = f"~{k % 40}"
        return dataclasses.replace(p_, gazetteer_id=p_.gazetteer_id + tag, name=p_.name + tag,
                                   admin1=(p_.admin1 + tag) if p_.admin1 else None)

    out, infos = [], {}
    for c in claims:
        doc = f"{c.doc_id}~{k}"
        base = docs.get(c.doc_id)
        p = (base.published if base else None) or "2022-09-10"
        when = None
        if c.when:
            when = dataclasses.replace(c.when, start=(date.fromisoformat(c.when.start) + timedelta(weeks=k)).isoformat(),
                                       end=(date.fromisoformat(c.when.end) + timedelta(weeks=k)).isoformat())
        out.append(dataclasses.replace(c, claim_id=f"{c.claim_id}~{k}", doc_id=doc, when=when,
                                       places=[move(p_) for p_ in c.places]))
        if doc not in infos:
            infos[doc] = DocInfo(doc, (date.fromisoformat(p) + timedelta(weeks=k)).isoformat(), None,
                                 base.title if base else None, tuple(move(p_) for p_ in (base.places if base else ())),
                                 base.outlet if base else None)
    return out, infos


def replicated(db: str, n: int):
    """``n`` claims (and their documents, in order) from the corpus ledger at ``db``."""
    from claimledger import Ledger
    from claimledger.reconcile import _doc_infos
    ledger = Ledger(db, readonly=True)
    order, docs = _doc_infos(ledger)
    base = sorted(ledger.iter_claims(), key=lambda c: (order.index(c.doc_id), c.start))
    claims, infos, k = [], {}, 0
    while len(claims) < n:
        more, more_docs = shifted(base, docs, k)
        claims.extend(more[: n - len(claims)])
        infos.update(more_docs)
        k += 1
    doc_order = list(dict.fromkeys(c.doc_id for c in claims))
    return claims, infos, doc_order, k


def child(db: str, n: int) -> None:
    from claimledger import reconcile
    claims, infos, order, _ = replicated(db, n)
    t = time.perf_counter()
    events = reconcile(claims, infos, order)
    elapsed = time.perf_counter() - t
    print(json.dumps({"claims": len(claims), "events": len(events), "seconds": elapsed,
                      "claims_per_s": len(claims) / elapsed, "peak_mib": peak_mib()}))


def child_incremental(db: str, n: int, tmp: str) -> None:
    """A ledger of ``n`` claims (linked), then 100 new articles (the next week's copy) linked into it."""
    from claimledger import Ledger
    from claimledger.model import Document
    from claimledger.reconcile import reconcile_ledger
    claims, infos, order, k = replicated(db, n)
    more, more_docs = shifted(_base(db), _infos(db), k)
    new_docs = list(dict.fromkeys(c.doc_id for c in more))[:100]
    path = Path(tmp) / f"inc-{n}.db"
    ledger = Ledger(path)

    def store(doc_ids, claim_list, infos_):
        by_doc = {}
        for c in claim_list:
            by_doc.setdefault(c.doc_id, []).append(c)
        with ledger.transaction():
            for d in doc_ids:
                i = infos_[d]
                doc = Document(d, "text", i.title, i.outlet, i.published, "en", content_hash=d,
                               places=list(i.places))
                ledger.add_document(doc, None, [])
                ledger.write_extraction(doc, by_doc.get(d, []), "bench")

    store(order, claims, infos)
    reconcile_ledger(ledger)
    store(new_docs, [c for c in more if c.doc_id in set(new_docs)], more_docs)
    ledger.close()
    print(json.dumps({"ledger": str(path), "ledger_claims": n, "new_articles": len(new_docs)}))


def child_link(path: str) -> None:
    """Link the ledger's unlinked articles, as the next day's ``ingest`` would, in a fresh process."""
    from claimledger import Ledger
    from claimledger.reconcile import link_new
    ledger = Ledger(path)
    t = time.perf_counter()
    link_new(ledger)
    elapsed = time.perf_counter() - t
    print(json.dumps({"link_seconds": elapsed, "events": ledger.count("events"), "peak_mib": peak_mib()}))


def _base(db):
    from claimledger import Ledger
    return sorted(Ledger(db, readonly=True).iter_claims(), key=lambda c: (c.doc_id, c.start))


def _infos(db):
    from claimledger import Ledger
    from claimledger.reconcile import _doc_infos
    return _doc_infos(Ledger(db, readonly=True))[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--source-db", help="a ledger whose claims are replicated (default: ingest the corpus)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--child-incremental", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--child-link", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], int(a.child[1]))
        return 0
    if a.child_link:
        child_link(a.child_link)
        return 0
    if a.child_incremental:
        child_incremental(a.child_incremental[0], int(a.child_incremental[1]), a.child_incremental[2])
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="clbench-"))
    try:
        db = a.source_db or str(tmp / "base.db")
        if not a.source_db:
            base_ledger(Path(db))
        rows = [run_child([__file__, "--child", db, str(n)]) for n in a.sizes]
        inc = []
        for n in (a.sizes[0], a.sizes[-1]):
            built = run_child([__file__, "--child-incremental", db, str(n), str(tmp)])
            inc.append({**built, **run_child([__file__, "--child-link", built["ledger"]])})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("Event linking, full rebuild (features + blocking + fitted pair weights + average linkage + summaries)")
    print(table(rows, ["claims", "events", "seconds", "claims_per_s", "peak_mib"]))
    if len(rows) >= 2:
        print(f"throughput ratio {rows[-1]['claims']:,} vs {rows[0]['claims']:,} claims: "
              f"{rows[-1]['claims_per_s'] / rows[0]['claims_per_s']:.2f} (1.00 = perfectly linear; target >= 0.8)")
    print("\nIncremental: 100 new articles linked into a ledger (SQLite, link_keys index; a fresh process, "
          "as the next ingest)")
    print(table(inc, ["ledger_claims", "new_articles", "link_seconds", "events", "peak_mib"]))
    if len(inc) == 2:
        print(f"cost ratio {inc[1]['ledger_claims']:,} vs {inc[0]['ledger_claims']:,}-claim ledger: "
              f"{inc[1]['link_seconds'] / inc[0]['link_seconds']:.2f} (target <= 1.2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
