"""Access to the versioned knowledge files under ``claimledger/data/``."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    """Load ``claimledger/data/<name>`` once per process."""
    with resources.files("claimledger.data").joinpath(name).open(encoding="utf-8") as f:
        return json.load(f)


def data_path(name: str):
    return resources.files("claimledger.data").joinpath(name)
