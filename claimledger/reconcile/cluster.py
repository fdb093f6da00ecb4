"""Which claims are compared, and how compared claims become events.

Candidates (blocking). Two claims are compared when they share a block — their document;
a town (their own, or the one their context inherits); their oblast, within the same kind of
happening (harm / front line / talk); or the document they both copy — and, across
documents, their dates lie within ``MAX_DAYS`` of each other. Blocks are split by week, so
the work grows with how many claims fall in one place and week, not with the ledger. Whether
two claims are candidates is a property of the pair alone, so a batch linked into an
existing ledger meets exactly the pairs a full rebuild would.

Clustering. Each candidate pair gets a weight from the fitted scorer: the log-odds that the
two report one happening, minus the log-odds of the fitted threshold. Clusters start as
single claims and the pair of clusters whose compared pairs have the highest mean weight is
merged, until no mean is positive (greedy average linkage: the evidence of all compared
pairs rather than any single link, so a chain through a busy town does not glue two
happenings).
Weights are integers (micro-units) and ties break on claim ids, so the result does not
depend on input order. """
from __future__ import annotations

import heapq
from typing import Iterable, Iterator

from claimledger.reconcile.features import TYPE_GROUPS, Features

MAX_DAYS = 14  # claims of different documents further apart than this are never compared
DOC_WINDOW = 40  # claims of one document are compared with their 40 neighbours


def block_keys(f: Features) -> list[tuple]:
    """The blocks a claim sits in; dated keys are split by week."""
    day = f.eff_day
    week = day // 7 if day is not None else None
    group = TYPE_GROUPS.get(f.type, "talk")
    keys: list[tuple] = [("doc", f.claim.doc_id, None), ("copy", f.origin_doc, None)]
    keys += [("town", t, week) for t in sorted(f.ctx_towns)]
    keys += [("region", r, group, week) for r in sorted(f.regions)]
    return keys


def neighbour_keys(key: tuple) -> list[tuple]:
    """The block itself and the same block in the weeks after it that ``MAX_DAYS`` reaches."""
    if key[-1] is None:
        return [key]
    return [(*key[:-1], key[-1] + k) for k in range(MAX_DAYS // 7 + 1 + (MAX_DAYS % 7 > 0))]


def is_candidate(a: Features, b: Features) -> bool:
    if a.claim.doc_id == b.claim.doc_id:
        return abs(a.position - b.position) <= DOC_WINDOW
    da, db = a.eff_day, b.eff_day
    return da is None or db is None or abs(da - db) <= MAX_DAYS


def candidate_pairs(feats: list[Features], among: Iterable[int] | None = None) -> Iterator[tuple[int, int]]:
    """Index pairs (i < j) of candidates; with ``among``, only pairs touching those indexes."""
    blocks: dict[tuple, list[int]] = {}
    for f in feats:
        for key in block_keys(f):
            blocks.setdefault(key, []).append(f.index)
    by_index = {f.index: f for f in feats}
    focus = set(among) if among is not None else None
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks, key=repr):
        members = blocks[key]
        for other_key in neighbour_keys(key):
            others = blocks.get(other_key)
            if not others:
                continue
            for i in members:
                for j in others:
                    if i == j or (other_key == key and j < i):
                        continue
                    p = (i, j) if i < j else (j, i)
                    if p in seen or (focus is not None and i not in focus and j not in focus):
                        continue
                    seen.add(p)
                    if is_candidate(by_index[i], by_index[j]):
                        yield p


def cluster(ids: list[str], edges: list[tuple[int, int, int]]) -> list[list[int]]:
    """Greedy average-linkage clustering of items ``0..len(ids)-1`` over weighted ``edges``
    ``(i, j, weight)`` (repeated pairs add up): the two clusters whose compared pairs have the
    highest mean weight merge while that mean is positive. Returns the clusters (sorted lists
    of item indexes). Sums and counts are integers, so the order of the edges never matters."""
    n = len(ids)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    label = {i: ids[i] for i in range(n)}  # the smallest id in the cluster: the tie-break
    adj: dict[int, dict[int, list[int]]] = {i: {} for i in range(n)}  # neighbour -> [sum, count]
    for i, j, w in edges:
        if i == j:
            continue
        s = adj[i].setdefault(j, [0, 0])
        s[0] += w
        s[1] += 1
        adj[j][i] = s
    heap = [(-s[0] / s[1], *sorted((label[i], label[j])), i, j)
            for i in range(n) for j, s in adj[i].items() if i < j and s[0] > 0]
    heapq.heapify(heap)
    while heap:
        neg, _, _, i, j = heapq.heappop(heap)
        s = adj.get(i, {}).get(j)
        if i not in members or j not in members or s is None or s[0] / s[1] != -neg:
            continue  # merged away, or the mean changed since it was pushed
        keep, gone = (i, j) if len(members[i]) >= len(members[j]) else (j, i)
        members[keep].extend(members.pop(gone))
        label[keep] = min(label[keep], label.pop(gone))
        del adj[keep][gone]
        for k, t in adj.pop(gone).items():
            if k == keep:
                continue
            del adj[k][gone]
            mine = adj[keep].get(k)
            total = [t[0] + mine[0], t[1] + mine[1]] if mine else [t[0], t[1]]
            adj[keep][k] = total
            adj[k][keep] = total
        for k, t in adj[keep].items():
            if t[0] > 0:
                heapq.heappush(heap, (-t[0] / t[1], *sorted((label[keep], label[k])), keep, k))
    return sorted((sorted(m) for m in members.values()), key=lambda m: ids[m[0]])
