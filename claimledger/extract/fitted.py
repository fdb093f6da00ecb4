"""What the fitted extraction models share: reading a stored model, and the logistic function."""
from __future__ import annotations

import math

from claimledger.resources import data_path, load_json


def stored(name: str, key: str, expected: tuple[str, ...]) -> dict | None:
    """``data/<name>`` when it holds kept weights fitted for ``expected`` (its ``key`` list), else None:
    missing, not kept by the fit, or fitted on other features (refit: make fit)."""
    if not data_path(name).is_file():
        return None
    data = load_json(name)
    if tuple(data.get(key, ())) != expected or not data.get("weights"):
        return None
    return data


def probability(x: tuple[float, ...], weights: tuple[float, ...]) -> float:
    """The logistic model [bias, weights...] at ``x``."""
    z = weights[0] + sum(w * v for w, v in zip(weights[1:], x))
    return 1 / (1 + math.exp(-z))
