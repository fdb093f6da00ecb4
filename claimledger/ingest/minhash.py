"""MinHash signatures and LSH band keys for near-duplicate detection.

Signatures are 128 32-bit minima over word 4-shingles; 16 bands of 8 rows put two texts
with Jaccard similarity s in the same bucket with probability 1-(1-s^8)^16 (≈ 0.5 at s≈0.7).
Band keys are stored in the ledger, so lookups are indexed queries and memory stays flat.
"""
from __future__ import annotations

import re
import zlib

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 4
_PRIME = np.uint64((1 << 61) - 1)
_MAX = np.uint64(0xFFFFFFFF)
_rng = np.random.RandomState(1)
_A = _rng.randint(1, np.iinfo(np.int64).max, NUM_PERM, dtype=np.int64).astype(np.uint64)
_B = _rng.randint(0, np.iinfo(np.int64).max, NUM_PERM, dtype=np.int64).astype(np.uint64)
_WORD = re.compile(r"\w+")


def signature(text: str) -> np.ndarray:
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hv = np.fromiter((zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        ph = ((np.outer(hv, _A) + _B) % _PRIME) & _MAX
    return ph.min(axis=0).astype(np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (fits SQLite INTEGER)."""
    rows = sig.reshape(BANDS, ROWS)
    return [(zlib.crc32(r.tobytes()) << 4 | b) & 0x7FFFFFFFFFFFFFFF for b, r in enumerate(rows)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))
