"""Fit the event linker on annotated sets and report cross-validated scores.

    python -m claimledger.reconcile.fit --set EXPORT_DIR GOLD_DIR [--set ...] [--out FILE]
    make fit     # exports the seeds and the corpus, fits on dev + corpus-dev, writes data/linker.json

Each set is an export (``claimledger export``) and the gold folder annotating some of its
documents (ANNOTATION.md). Gold items are found in the export the way ``score.py`` finds
them; pairs of found items that the blocking compares are the training pairs (1: same gold
event). Two L2-regularised logistic models are fitted by Newton's method (pairs inside one
article, pairs across articles), and the merge threshold is chosen on the training items by
clustering with the fitted weights.

Cross-validation holds out whole stories: the connected groups of articles that share gold
events (the September 2022 counteroffensive, the 2023 Kupiansk evacuation, ...). For each
story, the weights and the threshold are fitted on the others, the whole export is clustered,
and the held-out story's items are scored. The printed ``cv`` row is what to quote; the
``train`` row (weights fitted on everything) is not a generalisation figure.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import combinations
from pathlib import Path

import numpy as np

from claimledger.extract.slavic_lexicon import script_language
from claimledger.model import Claim, Place
from claimledger.reconcile.cluster import candidate_pairs
from claimledger.reconcile.online import Linker
from claimledger.reconcile.features import (FEATURES, DocInfo, Idf, Features, cross_script, features_for,
                                           pair_vector)
from claimledger.reconcile.scorer import Scorer
from claimledger.reconcile.summarise import summarise

THRESHOLDS = (0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
L2 = 10.0
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "–": "-", "—": "-"})


def _norm(s: str | None) -> str:
    s = unicodedata.normalize("NFKC", s or "").translate(_QUOTES)
    return re.sub(r"\s+", " ", s).strip().lower()


def _num_eq(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= max(0.01 * abs(float(b)), 1e-9)


@dataclass
class LabelledSet:
    """One export with its features, candidate pairs and the gold items found in it."""
    name: str
    feats: list[Features]
    pairs: np.ndarray  # (n, 2) candidate index pairs
    X: np.ndarray  # (n, len(FEATURES)) their feature vectors
    same_doc: np.ndarray  # (n,) bool
    doc_order: list[str] = field(default_factory=list)  # documents in ingestion order
    items: list[tuple[str, int, str]] = field(default_factory=list)  # (gold event, claim index, doc_id)
    story: dict[str, str] = field(default_factory=dict)  # gold event -> story
    neighbours: dict[int, list[str]] | None = None  # candidate claim ids of each claim (built on first use)
    statuses: dict[str, list[str]] = field(default_factory=dict)  # gold event -> acceptable statuses
    mixed: np.ndarray | None = None  # (n,) bool: the pair's claims are in different scripts


def read_export(folder: Path) -> tuple[list[Claim], dict[str, DocInfo]]:
    docs = {}
    for line in (folder / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        docs[d["doc_id"]] = DocInfo(d["doc_id"], d.get("published"), d.get("duplicate_of"), d.get("title"),
                                    tuple(Place.from_dict(p) for p in d.get("places") or []), d.get("outlet"))
    claims = [Claim.from_dict(json.loads(line))
              for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return claims, docs


def gold_items(claims: list[Claim], gold_dir: Path, prefix: str) -> list[tuple[str, str, str]]:
    """(event label, claim id, doc id) for each labelled required gold item found as score.py finds it."""
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in sorted(claims, key=lambda c: c.claim_id):
        by_doc[c.doc_id].append(c)
    out = []
    for f in sorted(gold_dir.glob("*.json")):
        if f.name.startswith("_"):
            continue
        g = json.loads(f.read_text(encoding="utf-8"))
        preds = by_doc.get(g["doc_id"], [])
        for gc in g.get("claims", []):
            hit = next((c for c in preds if _norm(gc["anchor"]) in _norm(c.sentence)), None)
            if gc["required"] and gc.get("event") and hit:
                out.append((f"{prefix}:{gc['event']}", hit.claim_id, g["doc_id"]))
        pq = [(q, c) for c in preds for q in c.quantities]
        used = set()
        for gq in g.get("quantities", []):
            anchor = _norm(gq["anchor"])
            for i, (q, c) in enumerate(pq):
                if i in used or not any(_num_eq(getattr(q, k), gq["value"]) for k in ("value", "low", "high")):
                    continue
                qt = _norm(q.text)
                if anchor in _norm(c.sentence) or (qt and (qt in anchor or anchor in qt)):
                    used.add(i)
                    if gq["required"] and gq.get("event"):
                        out.append((f"{prefix}:{gq['event']}", c.claim_id, g["doc_id"]))
                    break
    return out


def stories(items: list[tuple[str, int, str]]) -> dict[str, str]:
    """Gold events grouped into stories: events joined by sharing an article."""
    parent: dict[str, str] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for label, _, doc in items:
        a, b = find(label), find("doc:" + doc)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {label: find(label) for label, _, _ in items}


def load_set(export_dir: Path, gold_dirs: list[Path], name: str, idf: Idf) -> LabelledSet:
    """One export and the gold folders annotating it (their event labels are one namespace:
    corpus-dev and other-lang-dev share the labels of happenings reported in both)."""
    claims, docs = read_export(export_dir)
    feats = features_for(claims, docs, idf)
    index = {f.claim.claim_id: f.index for f in feats}
    pairs = np.array(sorted(candidate_pairs(feats)), dtype=np.int64).reshape(-1, 2)
    X = np.array([pair_vector(feats[i], feats[j]) for i, j in pairs], dtype=np.float64).reshape(-1, len(FEATURES))
    same_doc = np.array([feats[i].claim.doc_id == feats[j].claim.doc_id for i, j in pairs], dtype=bool)
    mixed = np.array([cross_script(feats[i], feats[j]) for i, j in pairs], dtype=bool)
    items = [(label, index[cid], doc) for gold_dir in gold_dirs
             for label, cid, doc in gold_items(claims, gold_dir, name)]
    statuses: dict[str, list[str]] = {}
    for gold_dir in gold_dirs:
        wanted = gold_dir / "_events.json"
        for label, v in (json.loads(wanted.read_text(encoding="utf-8")).items() if wanted.exists() else ()):
            statuses.setdefault(f"{name}:{label}", v["status"])
    return LabelledSet(name, feats, pairs, X, same_doc, list(docs), items, stories(items), statuses=statuses,
                       mixed=mixed)


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float | None = None, iters: int = 50) -> np.ndarray:
    """L2-regularised logistic regression (bias unpenalised) by Newton's method: [bias, w...]."""
    l2 = L2 if l2 is None else l2
    A = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(A.shape[1])
    reg = np.full(A.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-A @ w))
        grad = A.T @ (p - y) + reg * w
        H = (A * (p * (1 - p))[:, None]).T @ A + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def training_pairs(s: LabelledSet, keep: set[str] | None):
    """Rows of ``s.X`` whose two claims are both gold items (of stories in ``keep``), and their labels."""
    label_of: dict[int, str] = {}
    for label, i, _ in s.items:
        if keep is None or s.story[label] in keep:
            label_of.setdefault(i, label)
    rows = [k for k, (i, j) in enumerate(s.pairs) if i in label_of and j in label_of]
    y = np.array([label_of[s.pairs[k][0]] == label_of[s.pairs[k][1]] for k in rows], dtype=np.float64)
    return np.array(rows, dtype=np.int64), y


def fit_weights(sets: list[LabelledSet], keep: dict[str, set[str]] | None) -> tuple:
    """(within, across) weights: pairs inside one document, pairs across documents."""
    parts = {True: ([], []), False: ([], [])}
    for s in sets:
        rows, y = training_pairs(s, keep[s.name] if keep is not None else None)
        for inside in (True, False):
            sel = s.same_doc[rows] == inside
            parts[inside][0].append(s.X[rows[sel]])
            parts[inside][1].append(y[sel])
    within = fit_logistic(np.vstack(parts[True][0]), np.concatenate(parts[True][1]))
    across = fit_logistic(np.vstack(parts[False][0]), np.concatenate(parts[False][1]))
    return within, across


def fit_scripts(s: LabelledSet, keep: set[str] | None) -> np.ndarray | None:
    """The cross-script model: pairs of an English and a Russian/Ukrainian claim in different
    documents (None when the kept stories have no such pair of both labels)."""
    rows, y = training_pairs(s, keep)
    sel = ~s.same_doc[rows] & s.mixed[rows]
    ys = y[sel]
    return fit_logistic(s.X[rows[sel]], ys) if 0 < ys.sum() < len(ys) else None


def with_scripts(base: Scorer, w: np.ndarray | None) -> Scorer:
    return replace(base, scripts=tuple(float(x) for x in w) if w is not None else None)


def cross_validate_scripts(s: LabelledSet, base: Scorer) -> dict[str, float]:
    """Leave one story out, refitting only the cross-script model (the English models and the
    thresholds are ``base``'s, fitted on English sets); held-out scores over the whole set."""
    stories = sorted(set(s.story.values()))
    held, hits = [], []
    for fold, story in enumerate(stories):
        scorer = with_scripts(base, fit_scripts(s, {st for st in stories if st != story}))
        assign = predict(s, scorer)
        held += scored_items(s, assign, {story}, tag=f"f{fold}:")
        hits += status_hits(s, assign, {story})
    m = event_scores(held)
    if hits:
        m["event_status_acc"] = sum(hits) / len(hits)
    return m


def _scorer(weights: tuple, t_across: float, t_within: float) -> Scorer:
    within, across = weights
    return Scorer(tuple(float(x) for x in within), tuple(float(x) for x in across), t_across, t_within)


def predict(s: LabelledSet, scorer: Scorer) -> list[int]:
    """Cluster the whole export with ``scorer``; return each claim's cluster number."""
    table = {(int(i), int(j)): w for (i, j), w in zip(s.pairs, scorer.weights_of(s.X, s.same_doc, s.mixed))}
    if s.neighbours is None:
        s.neighbours = defaultdict(list)
        for i, j in s.pairs.tolist():
            s.neighbours[i].append(s.feats[j].claim.claim_id)
            s.neighbours[j].append(s.feats[i].claim.claim_id)
        for i in s.neighbours:
            s.neighbours[i].sort()
    linker = Linker(lambda pairs: [table[(a.index, b.index) if a.index < b.index else (b.index, a.index)]
                                   for a, b in pairs], lambda f: s.neighbours.get(f.index, []))
    by_doc: dict[str, list[Features]] = defaultdict(list)
    for f in s.feats:
        by_doc[f.claim.doc_id].append(f)
    for doc_id in s.doc_order:
        linker.add_document(by_doc.get(doc_id, []))
    index = {f.claim.claim_id: f.index for f in s.feats}
    assign = [0] * len(s.feats)
    for k, members in enumerate(linker.groups()):
        for cid in members:
            assign[index[cid]] = k
    return assign


def event_scores(items: list[tuple[str, object, str]]) -> dict[str, float]:
    """Pairwise (all, cross-document) and B-cubed F1 over (gold, predicted, doc) items, as score.py."""
    def pairwise(cross_only):
        tp = fp = fn = 0
        for (ga, pa, da), (gb, pb, db) in combinations(items, 2):
            if cross_only and da == db:
                continue
            same = pa == pb
            if ga == gb:
                tp += same
                fn += not same
            else:
                fp += same
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    by_gold, by_pred = defaultdict(list), defaultdict(list)
    for k, (g, p, _) in enumerate(items):
        by_gold[g].append(k)
        by_pred[p].append(k)
    bp = br = 0.0
    for g, p, _ in items:
        inter = len(set(by_gold[g]) & set(by_pred[p]))
        bp += inter / len(by_pred[p])
        br += inter / len(by_gold[g])
    n = len(items) or 1
    bp, br = bp / n, br / n
    return {"event_pair_f1": pairwise(False), "event_xdoc_f1": pairwise(True),
            "event_b3_f1": 2 * bp * br / (bp + br) if bp + br else 0.0}


def _objective(m: dict[str, float]) -> float:
    keys = ("event_pair_f1", "event_xdoc_f1", "event_b3_f1", "event_status_acc")
    return sum(m[k] for k in keys if k in m) / sum(1 for k in keys if k in m)


def status_hits(s: LabelledSet, assign: list[int], keep: set[str] | None) -> list[bool]:
    """For each gold event with expected statuses: does the predicted event holding most of its
    items carry one of them (as score.py's event_status_acc)?"""
    members: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(assign):
        members[k].append(i)
    out = []
    for label, want in sorted(s.statuses.items()):
        if label not in s.story or (keep is not None and s.story[label] not in keep):
            continue
        found = [assign[i] for g, i, _ in s.items if g == label]
        top = max(sorted(set(found)), key=found.count)
        event = summarise(sorted((s.feats[i] for i in members[top]), key=lambda f: f.claim.claim_id))
        out.append(event.status in want)
    return out


def scored_items(s: LabelledSet, assign: list[int], keep: set[str] | None, tag: str = ""):
    return [(g, f"{tag}{s.name}:{assign[i]}", doc) for g, i, doc in s.items if keep is None or s.story[g] in keep]


def evaluate(sets, scorer, keep) -> dict[str, float]:
    items, hits = [], []
    for s in sets:
        assign = predict(s, scorer)
        items += scored_items(s, assign, keep[s.name] if keep is not None else None)
        hits += status_hits(s, assign, keep[s.name] if keep is not None else None)
    m = event_scores(items)
    if hits:
        m["event_status_acc"] = sum(hits) / len(hits)
    return m


def choose_thresholds(sets, weights, keep) -> tuple[float, float]:
    """(across, within) thresholds by coordinate search over :data:`THRESHOLDS` on the kept items,
    maximising the mean of pair F1, cross-document F1, B-cubed F1 and status accuracy."""
    cache: dict[tuple[float, float], float] = {}

    def value(t_across, t_within):
        if (t_across, t_within) not in cache:
            cache[t_across, t_within] = _objective(evaluate(sets, _scorer(weights, t_across, t_within), keep))
        return cache[t_across, t_within]

    best = (0.5, 0.5)
    for _ in range(2):
        t_w = max(THRESHOLDS, key=lambda t: (value(best[0], t), -t))
        t_a = max(THRESHOLDS, key=lambda t: (value(t, t_w), -t))
        if (t_a, t_w) == best:
            break
        best = (t_a, t_w)
    return best


def fit(sets: list[LabelledSet]) -> Scorer:
    weights = fit_weights(sets, None)
    return _scorer(weights, *choose_thresholds(sets, weights, None))


def cross_validate(sets: list[LabelledSet], thresholds: tuple[float, float] | None = None
                   ) -> dict[str, dict[str, float]]:
    """Leave one story out; returns the held-out scores per set and over all sets. With
    ``thresholds`` (across, within) only the pair models are refitted per fold."""
    all_stories = sorted({(s.name, st) for s in sets for st in set(s.story.values())})
    held: dict[str, list] = defaultdict(list)
    hits: dict[str, list] = defaultdict(list)
    for fold, (name, story) in enumerate(all_stories):
        keep = {s.name: {st for st in set(s.story.values()) if (s.name, st) != (name, story)} for s in sets}
        weights = fit_weights(sets, keep)
        scorer = _scorer(weights, *(thresholds or choose_thresholds(sets, weights, keep)))
        for s in sets:
            if s.name == name:
                assign = predict(s, scorer)
                held[s.name] += scored_items(s, assign, {story}, tag=f"f{fold}:")
                hits[s.name] += status_hits(s, assign, {story})
    out = {name: event_scores(items) for name, items in held.items()}
    out["all"] = event_scores([x for items in held.values() for x in items])
    for name in list(out):
        h = [x for k, v in hits.items() if name in (k, "all") for x in v]
        if h:
            out[name]["event_status_acc"] = sum(h) / len(h)
    return out


def english_idf(sets) -> Idf:
    """The IDF table of the sets' English documents (word features compare English sentences;
    a Russian or Ukrainian stem is unseen, as in any language the table was not fitted on)."""
    texts = (d["text"] for e, _ in sets for line in (Path(e) / "documents.jsonl").read_text(encoding="utf-8").splitlines()
             if (d := json.loads(line)) and not script_language(d["text"]))
    return Idf.fit(texts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", nargs=2, action="append", required=True, metavar=("EXPORT_DIR", "GOLD_DIR"),
                    help=f"an export and its gold folder (several folders joined by {os.pathsep!r})")
    ap.add_argument("--scripts-set", nargs=2, metavar=("EXPORT_DIR", "GOLD_DIR"),
                    help="then fit the cross-script model on this export of English and Russian/Ukrainian "
                         "articles (gold folders joined by the path separator), the English models fixed")
    ap.add_argument("--out", type=Path, help="write the fitted weights here (e.g. claimledger/data/linker.json)")
    ap.add_argument("--no-cv", action="store_true", help="skip cross-validation")
    a = ap.parse_args(argv)
    idf = english_idf(a.set)
    sets = []
    for e, g in a.set:
        dirs = [Path(x) for x in g.split(os.pathsep)]
        sets.append(load_set(Path(e), dirs, "+".join(d.name for d in dirs), idf))
    for s in sets:
        print(f"{s.name}: {len(s.feats):,} claims, {len(s.pairs):,} candidate pairs, {len(s.items)} gold items, "
              f"{len(set(s.story.values()))} stories", file=sys.stderr)
    scorer = fit(sets)
    print(f"idf: {len(idf.table):,} stems", file=sys.stderr)
    rows = {}
    if not a.no_cv:
        for name, m in cross_validate(sets).items():
            rows[f"cv {name}"] = m
    for s in sets:
        rows[f"train {s.name}"] = evaluate([s], scorer, None)
    if a.scripts_set:
        e, g = a.scripts_set
        dirs = [Path(x) for x in g.split(os.pathsep)]
        joint = load_set(Path(e), dirs, "+".join(d.name for d in dirs), idf)
        print(f"{joint.name} (cross-script): {len(joint.feats):,} claims, {int(joint.mixed.sum()):,} cross-script "
              f"pairs, {len(joint.items)} gold items", file=sys.stderr)
        # the cross-script model is kept only if, held out by story, it links better than the English
        # across model does on the pairs it would score (the English pairs are scored alike in both)
        rows["joint, no scripts model"] = without = evaluate([joint], scorer, None)
        if not a.no_cv:
            rows["cv joint"] = cv = cross_validate_scripts(joint, scorer)
        if a.no_cv or _objective(cv) > _objective(without):
            scorer = with_scripts(scorer, fit_scripts(joint, None))
            rows["train joint"] = evaluate([joint], scorer, None)
        else:
            print("cross-script model not kept: cross-validated, it links worse than the English across model",
                  file=sys.stderr)
        sets.append(joint)
    print(f"{'scores':30} {'pair_f1':>8} {'xdoc_f1':>8} {'b3_f1':>8} {'status':>8}")
    for k, m in rows.items():
        status = f"{m['event_status_acc']:8.3f}" if "event_status_acc" in m else f"{'-':>8}"
        print(f"{k:30} {m['event_pair_f1']:8.3f} {m['event_xdoc_f1']:8.3f} {m['event_b3_f1']:8.3f} {status}")
    print(f"thresholds: across {scorer.threshold}, within {scorer.threshold_within}")
    for name, w in (("within", scorer.within), ("across", scorer.across), ("scripts", scorer.scripts or ())):
        print(name, " ".join(f"{f}={x:+.2f}" for f, x in zip(("bias",) + FEATURES, w)))
    if a.out:
        d = scorer.to_dict()
        d = {"_about": "Event linker weights, fitted by `python -m claimledger.reconcile.fit` (make fit) on "
                       + ", ".join(s.name for s in sets) + "; do not edit by hand.", "version": 1, **d,
             "idf": {"unseen": idf.unseen, "table": idf.table},
             "cv": {k: {m: round(v, 4) for m, v in vals.items()} for k, vals in rows.items() if k.startswith("cv")}}
        a.out.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
