"""The fitted pair scorer: three logistic models over :data:`features.FEATURES` — pairs inside
one article, pairs across articles in one script, and pairs across scripts (a Russian or
Ukrainian claim and an English one, whose words cannot be compared: places, dates, figures,
types, frames and sources must carry them) — and the merge thresholds. The weights live in
``data/linker.json``, written by ``python -m claimledger.reconcile.fit`` (``make fit``)."""
from __future__ import annotations

import math

import numpy as np
from dataclasses import dataclass
from functools import lru_cache

from claimledger.resources import load_json
from claimledger.errors import ClaimledgerError
from claimledger.reconcile.features import FEATURES, Features, cross_script, pair_vector

SCALE = 1_000_000  # weights are summed as integers, so no order of additions changes a result


@dataclass(frozen=True, slots=True)
class Scorer:
    within: tuple[float, ...]  # bias first, then one weight per feature
    across: tuple[float, ...]
    threshold: float  # across articles: merge when the mean log-odds exceed this probability's
    threshold_within: float  # the same inside one article
    scripts: tuple[float, ...] | None = None  # across articles and scripts (None: as ``across``)

    def model(self, same_doc: bool, mixed: bool) -> tuple[float, ...]:
        if same_doc:
            return self.within
        return self.scripts if mixed and self.scripts is not None else self.across

    def logit(self, a: Features, b: Features) -> float:
        w = self.model(a.claim.doc_id == b.claim.doc_id, cross_script(a, b))
        return w[0] + sum(x * y for x, y in zip(w[1:], pair_vector(a, b)))

    def shift(self, same_doc: bool) -> float:
        t = self.threshold_within if same_doc else self.threshold
        return math.log(t / (1 - t))

    def weight(self, a: Features, b: Features) -> int:
        """The pair's evidence for one event, in micro-units: positive links, negative separates."""
        return round((self.logit(a, b) - self.shift(a.claim.doc_id == b.claim.doc_id)) * SCALE)

    def weights(self, pairs: list[tuple[Features, Features]]) -> list[int]:
        """:meth:`weight` of many pairs at once."""
        if not pairs:
            return []
        X = np.array([pair_vector(a, b) for a, b in pairs], dtype=np.float64)
        return self.weights_of(X, np.array([a.claim.doc_id == b.claim.doc_id for a, b in pairs]),
                               np.array([cross_script(a, b) for a, b in pairs]))

    def weights_of(self, X: np.ndarray, same_doc: np.ndarray, mixed: np.ndarray | None = None) -> list[int]:
        """Weights of feature rows ``X`` (pairs inside one document where ``same_doc``, across
        scripts where ``mixed``). Row sums are elementwise products summed per row, so a row's
        weight never depends on the batch."""
        within = (X * np.array(self.within[1:])).sum(axis=1) + self.within[0] - self.shift(True)
        across = (X * np.array(self.across[1:])).sum(axis=1) + self.across[0] - self.shift(False)
        if self.scripts is not None and mixed is not None:
            scripts = (X * np.array(self.scripts[1:])).sum(axis=1) + self.scripts[0] - self.shift(False)
            across = np.where(mixed, scripts, across)
        return np.round(np.where(same_doc, within, across) * SCALE).astype(np.int64).tolist()

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "within": list(self.within), "across": list(self.across),
                "scripts": list(self.scripts) if self.scripts is not None else None,
                "threshold": self.threshold, "threshold_within": self.threshold_within}

    @classmethod
    def from_dict(cls, d: dict) -> Scorer:
        if list(d.get("features", [])) != list(FEATURES):
            raise ClaimledgerError("E032", what="data/linker.json", reason="its features are not the linker's; "
                                   "refit with `make fit`")
        scripts = d.get("scripts")
        return cls(tuple(d["within"]), tuple(d["across"]), float(d["threshold"]), float(d["threshold_within"]),
                   tuple(scripts) if scripts else None)


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    return Scorer.from_dict(load_json("linker.json"))
