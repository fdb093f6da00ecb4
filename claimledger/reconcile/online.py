"""Linking documents into events one at a time, in the order they entered the ledger.

For each new document:

1. **Happenings inside the article.** Its claims are clustered among themselves with the
   within-article weights (greedy average linkage, ``cluster.cluster``): a focused
   report gives one or two happenings, a digest many.
2. **Across articles.** Each happening is compared with the events already in the ledger
   through its claims' candidate pairs (``cluster.candidate_pairs`` rules); the happenings
   and the events they touch are then clustered as units over the mean pair weights, so a
   happening joins the event it agrees with most, and merges events it bridges when the
   evidence between all of them is positive.

A near-copy of an earlier document (``duplicate_of``) is not compared at all where it repeats
that document's sentences: each such claim joins the event of the sentence it repeats, and stays
out of the blocks, so a story syndicated to fifty outlets costs one story, not fifty squared.

A rebuild (``claimledger reconcile``) replays every document in ingestion order through the
same steps; an ingest runs only its new documents, with the part of the ledger their claims
can reach loaded from the ``link_keys`` index. Both give the same events, and an ingest's
cost depends on how many claims share its places and weeks, not on the ledger's size.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from claimledger.reconcile.cluster import DOC_WINDOW, MAX_DAYS, block_keys, cluster, is_candidate
from claimledger.reconcile.features import Features

WEEKS = -(-MAX_DAYS // 7)  # how many weeks either side a dated block reaches
CACHE = 2_000_000  # pair weights kept


def lookup_keys(key: tuple) -> list[tuple]:
    """The blocks a claim with ``key`` can meet claims in: its own and, dated, the weeks around it."""
    if key[-1] is None:
        return [key]
    return [(*key[:-1], key[-1] + k) for k in range(-WEEKS, WEEKS + 1)]


def _norm(sentence: str) -> str:
    return " ".join(sentence.split()).lower()


def key_text(key: tuple) -> str:
    """A block key as stored in the ledger's ``link_keys`` table."""
    return "|".join("" if k is None else str(k) for k in key)


DOC_PAIR_BUDGET = 100_000  # pairs compared inside one document; a news article needs a few thousand


def _near_in_document(feats: list[Features]) -> list[tuple[int, int]]:
    """Index pairs (x < y) of one document's claims within ``DOC_WINDOW`` positions of each
    other, found by walking the positions in order (linear in the claims, not quadratic).
    A document so long that this would exceed ``DOC_PAIR_BUDGET`` (tens of thousands of
    claims: a dump, not an article) is compared over a narrower window, so its time and
    memory stay bounded; no article of the corpus comes near it."""
    window = min(DOC_WINDOW, max(1, DOC_PAIR_BUDGET // max(1, len(feats))))
    order = sorted(range(len(feats)), key=lambda k: (feats[k].position, k))
    pairs = []
    for n, x in enumerate(order):
        for y in order[n + 1:]:
            if feats[y].position - feats[x].position > window:
                break
            pairs.append((min(x, y), max(x, y)))
    return sorted(pairs)


class Linker:
    """Events held in memory: claims by id, the blocks they sit in, and which event holds each."""

    def __init__(self, weigh: Callable[[list[tuple[Features, Features]]], list[int]],
                 neighbours: Callable[[Features], list[str]] | None = None):
        self.weigh = weigh  # pair weights for a batch of pairs (``Scorer.weights``)
        self._cache: dict[tuple[str, str], int] = {}
        self.blocked: set[str] = set()  # claims in the blocks (copies of another document's claims are not)
        self.by_doc: dict[str, list[str]] = defaultdict(list)
        self.neighbours = neighbours  # a precomputed candidate lookup (fitting), else the blocks
        self.feats: dict[str, Features] = {}
        self.blocks: dict[tuple, list[str]] = defaultdict(list)
        self.event_of: dict[str, int] = {}
        self.members: dict[int, list[str]] = {}
        self._next = 0

    def _register(self, f: Features) -> None:
        cid = f.claim.claim_id
        self.feats[cid] = f
        self.blocked.add(cid)
        for key in block_keys(f):
            self.blocks[key].append(cid)

    def _copies(self, feats: list[Features]) -> tuple[list[Features], dict[int, list[str]]]:
        """A near-copy's claims that repeat a sentence of the document it copies join that
        claim's event without being compared (and stay out of the blocks, so syndicated copies
        do not multiply the work). Returns (the other claims, event -> copied claim ids)."""
        origin = feats[0].origin_doc
        if origin == feats[0].claim.doc_id:
            return feats, {}
        by_sentence = {}
        for cid in self.by_doc.get(origin, ()):
            by_sentence.setdefault(_norm(self.feats[cid].claim.sentence), cid)
        rest, joined = [], defaultdict(list)
        for f in feats:
            cid = by_sentence.get(_norm(f.claim.sentence))
            if cid is not None and cid in self.event_of:
                joined[self.event_of[cid]].append(f.claim.claim_id)
                self.feats[f.claim.claim_id] = f
            else:
                rest.append(f)
        return rest, joined

    def _new_event(self, claim_ids: list[str]) -> int:
        n = self._next
        self._next += 1
        self.members[n] = sorted(claim_ids)
        for cid in claim_ids:
            self.event_of[cid] = n
        return n

    def load(self, feats: list[Features], blocked: set[str]) -> int:
        """Add an existing event (its claims' features; those in ``blocked`` sit in the blocks)
        without relinking it; returns its number."""
        for f in feats:
            self.by_doc[f.claim.doc_id].append(f.claim.claim_id)
            if f.claim.claim_id in blocked:
                self._register(f)
            else:
                self.feats[f.claim.claim_id] = f
        return self._new_event([f.claim.claim_id for f in feats])

    def candidates(self, f: Features) -> list[str]:
        """Known claims that ``f`` is compared with, in a fixed order."""
        if self.neighbours is not None:
            return [cid for cid in self.neighbours(f) if cid in self.event_of and cid in self.blocked]
        seen: set[str] = set()
        out = []
        for key in block_keys(f):
            for k in lookup_keys(key):
                for cid in self.blocks.get(k, ()):
                    if cid not in seen:
                        seen.add(cid)
                        if cid in self.event_of and is_candidate(f, self.feats[cid]):
                            out.append(cid)
        return sorted(out)

    def _weights(self, pairs: list[tuple[Features, Features]]) -> list[int]:
        """Pair weights, each computed once (kept in a bounded cache: a pair's weight never changes)."""
        key = lambda a, b: (a.claim.claim_id, b.claim.claim_id) if a.claim.claim_id < b.claim.claim_id \
            else (b.claim.claim_id, a.claim.claim_id)
        todo = {}
        for a, b in pairs:
            k = key(a, b)
            if k not in self._cache and k not in todo:
                todo[k] = (a, b)
        fresh = dict(zip(todo, self.weigh(list(todo.values())))) if todo else {}
        out = [fresh[k] if k in fresh else self._cache[k] for k in (key(a, b) for a, b in pairs)]
        if len(self._cache) + len(fresh) > CACHE:
            self._cache.clear()
        self._cache.update(fresh)
        return out

    def add_document(self, feats: list[Features]) -> tuple[list[int], list[int]]:
        """Link one document's claims; returns (events removed, events created)."""
        if not feats:
            return [], []
        for f in feats:
            self.by_doc[f.claim.doc_id].append(f.claim.claim_id)
        feats, joined = self._copies(feats)
        removed, created = [], []
        for e, cids in sorted(joined.items()):
            removed.append(e)
            created.append(self._new_event(self.members.pop(e) + cids))
        if not feats:
            return removed, created
        ids = [f.claim.claim_id for f in feats]
        inside = _near_in_document(feats)
        within = [(x, y, w) for (x, y), w in zip(inside, self._weights([(feats[x], feats[y]) for x, y in inside]))]
        happenings = cluster(ids, within)
        unit_of = {ids[k]: u for u, group in enumerate(happenings) for k in group}
        pairs: list[tuple[tuple, tuple, int]] = []  # (unit, unit, weight) for each compared pair of claims
        for x, y, w in within:
            u, v = unit_of[ids[x]], unit_of[ids[y]]
            if u != v:
                pairs.append((("h", min(u, v)), ("h", max(u, v)), w))
        across = [(f, self.feats[cid]) for f in feats for cid in self.candidates(f)]
        totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for (f, g), w in zip(across, self._weights(across)):
            u, e = unit_of[f.claim.claim_id], self.event_of[g.claim.claim_id]
            pairs.append((("h", u), ("e", e), w))
            t = totals[e, u]
            t[0] += w
            t[1] += 1
        touched = sorted({e for e, _ in totals})
        # events one happening agrees with could be bridged by it: their own evidence counts too
        positive: dict[int, list[int]] = defaultdict(list)
        for (e, u), t in sorted(totals.items()):
            if t[0] > 0:
                positive[u].append(e)
        bridged = sorted({(e1, e2) for es in positive.values() for x, e1 in enumerate(es) for e2 in es[x + 1:]})
        between = []
        for e1, e2 in bridged:
            for cid in self.members[e1]:
                f = self.feats[cid]
                between += [((e1, e2), f, self.feats[o]) for o in self.candidates(f) if self.event_of[o] == e2]
        for (pair, _, _), w in zip(between, self._weights([(f, g) for _, f, g in between])):
            pairs.append((("e", pair[0]), ("e", pair[1]), w))
        units = [("h", u) for u in range(len(happenings))] + [("e", e) for e in touched]
        index = {unit: k for k, unit in enumerate(units)}
        claims_of = {("h", u): [ids[k] for k in g] for u, g in enumerate(happenings)}
        claims_of.update({("e", e): self.members[e] for e in touched})
        labels = [min(claims_of[unit]) for unit in units]
        edges = [(index[a], index[b], w) for a, b, w in pairs]
        for f in feats:
            self._register(f)
        for group in cluster(labels, edges):
            olds = [units[k][1] for k in group if units[k][0] == "e"]
            if len(group) == 1 and olds:
                continue  # an event nothing joined
            claim_ids = [cid for k in group for cid in claims_of[units[k]]]
            for e in olds:
                del self.members[e]
                removed.append(e)
            created.append(self._new_event(claim_ids))
        return removed, created

    def groups(self) -> list[list[str]]:
        return sorted(self.members.values())
