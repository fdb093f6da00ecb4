"""Reconciliation: claims from many documents grouped into events.

``features.py`` (what a claim and its context say), ``cluster.py`` (which claims are
compared, average-linkage clustering), ``scorer.py`` (the fitted pair weights), ``online.py``
(documents linked one at a time), ``summarise.py`` (sources, status, estimates, framing),
``fit.py`` (fitting the weights on the annotated sets).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from claimledger.model import Claim, Event
from claimledger.reconcile.cluster import block_keys
from claimledger.reconcile.features import DocInfo, Features, features_for
from claimledger.reconcile.online import Linker, key_text, lookup_keys
from claimledger.reconcile.scorer import Scorer, default_scorer
from claimledger.reconcile.summarise import summarise


def _features(claims: Iterable[Claim], docs: dict[str, DocInfo]) -> dict[str, list[Features]]:
    out: dict[str, list[Features]] = defaultdict(list)
    for f in features_for(claims, docs):
        out[f.claim.doc_id].append(f)
    return out


def reconcile(claims: list[Claim], docs: dict[str, DocInfo] | None = None, order: list[str] | None = None,
              rule: str = "ucdp", scorer: Scorer | None = None) -> list[Event]:
    """Group ``claims`` into events, linking documents one at a time in ``order`` (default:
    by doc id). ``docs`` gives each document's date, title, places and copy-of."""
    linker = _replay(_features(claims, docs or {}), order or [], scorer or default_scorer())
    return _events(linker, linker.members.values(), rule)


def _replay(per_doc: dict[str, list[Features]], order: list[str], scorer: Scorer) -> Linker:
    linker = Linker(scorer.weights)
    listed = set(order)
    for doc_id in [d for d in order if d in per_doc] + [d for d in per_doc if d not in listed]:
        linker.add_document(per_doc[doc_id])
    return linker


def _events(linker: Linker, groups: Iterable[list[str]], rule: str) -> list[Event]:
    out = [summarise(sorted((linker.feats[cid] for cid in members), key=lambda f: f.claim.claim_id), rule)
           for members in groups]
    return sorted(out, key=lambda e: e.event_id)


def _doc_infos(ledger, doc_ids: list[str] | None = None) -> tuple[list[str], dict[str, DocInfo]]:
    order, meta = ledger.link_documents(doc_ids)
    return order, {d: DocInfo(d, m[0], m[1], m[2], tuple(m[3]), m[4]) for d, m in meta.items()}


def _keys(feats: Iterable[Features]) -> list[tuple[str, str]]:
    return [(key_text(k), f.claim.claim_id) for f in feats for k in block_keys(f)]


def reconcile_ledger(ledger, rule: str = "ucdp") -> int:
    """Rebuild every event: replay all documents in ingestion order. Returns the number of events.
    Runs as one write transaction, so a concurrent writer never sees half the events."""
    with ledger.transaction():
        return _rebuild(ledger, rule)


def _rebuild(ledger, rule: str) -> int:
    order, docs = _doc_infos(ledger)
    linker = _replay(_features(ledger.iter_claims(), docs), order, default_scorer())
    events = _events(linker, linker.members.values(), rule)
    ledger.replace_events(events, _keys(linker.feats[cid] for cid in sorted(linker.blocked)))
    return len(events)


def link_new(ledger, rule: str = "ucdp") -> int:
    """Link the claims not yet in an event into the ledger's events, without re-clustering the
    rest: only the claims the new ones can meet (their blocks, and those claims' events) are
    read. Gives the same events as :func:`reconcile_ledger`. Returns the number of events changed.
    Reads and writes in one write transaction: two processes linking at once take turns, and
    the second sees the first's events."""
    with ledger.transaction():
        return _link_new(ledger, rule)


def _link_new(ledger, rule: str) -> int:
    new_docs = ledger.unlinked_documents()
    if not new_docs:
        return 0
    if not ledger.has_events():
        _rebuild(ledger, rule)
        return ledger.count("events")
    order, docs = _doc_infos(ledger, new_docs)
    new = _features([c for c in ledger.claims_of_documents(order) if c.event_id is None], docs)
    wanted = sorted({key_text(k) for feats in new.values() for f in feats for key in block_keys(f)
                     for k in lookup_keys(key)})
    copied = sorted({d.duplicate_of for d in docs.values() if d.duplicate_of})  # their claims a copy may join
    events = ledger.event_members(ledger.link_candidates(wanted) + ledger.claim_ids_of_documents(copied))
    blocked = set(ledger.blocked_claims(sorted({cid for ids in events.values() for cid in ids})))
    old_docs = ledger.docs_of_claims(sorted({cid for ids in events.values() for cid in ids}))
    _, old_infos = _doc_infos(ledger, old_docs)
    old_feats = {f.claim.claim_id: f for feats in _features(ledger.claims_of_documents(old_docs), old_infos).values()
                 for f in feats}
    linker = Linker(default_scorer().weights)
    names = {}
    for event_id, ids in events.items():
        names[linker.load([old_feats[cid] for cid in ids], blocked)] = event_id
    removed: set[int] = set()
    created: set[int] = set()
    for doc_id in order:
        gone, made = linker.add_document(new.get(doc_id, []))
        removed.update(gone)
        created.update(made)
    dropped = sorted(names[e] for e in removed if e in names)
    result = _events(linker, [linker.members[e] for e in sorted(created) if e in linker.members], rule)
    ledger.apply_events(dropped, result, _keys(f for feats in new.values() for f in feats
                                               if f.claim.claim_id in linker.blocked))
    return len(result)
