"""A rebuild in independent parts, for ledgers too large to link in one process.

The linker compares a claim only with claims in its blocks (``cluster.block_keys``: its
document, the document it copies, each town and region by week, reaching ``MAX_DAYS`` either
side). Two documents none of whose claims share a reachable block never meet, directly or
through a third, so the documents fall into connected parts, and linking each part alone (in
ingestion order, as a rebuild does) gives exactly the events of linking everything: the
weights, the IDF table and the event ids depend on nothing outside the claims compared.

:func:`parts` finds them in one pass over the claims, keeping only block keys; :func:`rebuild`
links the parts in ``workers`` processes and writes all events in one transaction. How large
the largest part grows (one front, one busy week: every report of it is in one part) is what
bounds one machine; ``docs/SCALING.md`` gives the numbers.
"""
from __future__ import annotations

import multiprocessing as mp

from claimledger.reconcile.cluster import block_keys
from claimledger.reconcile.online import key_text, lookup_keys

DOCS_PER_READ = 256


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def parts(ledger) -> list[list[str]]:
    """The ledger's documents with claims, in parts no block joins; each part in ingestion
    order, parts ordered by their first document."""
    from claimledger.reconcile import _doc_infos, _features
    order, docs = _doc_infos(ledger)
    parent: dict[str, str] = {}
    holder: dict[str, str] = {}  # block key -> a document with a claim in it
    for k in range(0, len(order), DOCS_PER_READ):
        chunk = order[k:k + DOCS_PER_READ]
        for doc_id, feats in _features(ledger.claims_of_documents(chunk), docs).items():
            parent.setdefault(doc_id, doc_id)
            for f in feats:
                for key in block_keys(f):
                    own = key_text(key)
                    for near in lookup_keys(key):
                        other = holder.get(key_text(near))
                        if other is not None:
                            a, b = _find(parent, doc_id), _find(parent, other)
                            if a != b:
                                parent[max(a, b)] = min(a, b)
                    holder.setdefault(own, doc_id)
    groups: dict[str, list[str]] = {}  # filled in ingestion order: parts come ordered by their first document
    for doc_id in order:
        if doc_id in parent:
            groups.setdefault(_find(parent, doc_id), []).append(doc_id)
    return list(groups.values())


def _link_part(args):
    path, doc_ids, rule = args
    from claimledger.reconcile import _doc_infos, _events, _features, _keys, _replay
    from claimledger.reconcile.scorer import default_scorer
    from claimledger.store.ledger import Ledger
    ledger = Ledger(path, readonly=True)
    try:
        order, docs = _doc_infos(ledger, doc_ids)
        linker = _replay(_features(ledger.claims_of_documents(order), docs), order, default_scorer())
        events = _events(linker, linker.members.values(), rule)
        return events, _keys(linker.feats[cid] for cid in sorted(linker.blocked))
    finally:
        ledger.close()


def rebuild(ledger, rule: str = "ucdp", workers: int = 2) -> tuple[int, int]:
    """Rebuild every event part by part in ``workers`` processes. Returns (events, parts)."""
    found = parts(ledger)
    jobs = [(ledger.path, part, rule) for part in sorted(found, key=len, reverse=True)]  # largest first
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    if workers <= 1 or len(jobs) <= 1:
        results = [_link_part(job) for job in jobs]
    else:
        with ctx.Pool(workers) as pool:
            results = pool.map(_link_part, jobs, chunksize=1)
    events = sorted((e for evs, _ in results for e in evs), key=lambda e: e.event_id)
    keys = sorted(k for _, ks in results for k in ks)
    ledger.replace_events(events, keys)
    return len(events), len(found)
