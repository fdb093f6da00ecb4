"""Extraction on Ray (``--engine ray``): the same stage, :func:`extract_batch`, in Ray actors.

- **Workers.** One actor per worker, each holding one CPU; an actor builds the spaCy pipeline
  once and then serves batch after batch.
- **One writer.** Results come back to the process that reads the ledger, in the order the
  batches were sent, and are written there one transaction per batch, as with the local pool.
  Chosen over workers writing to PostgreSQL themselves because (a) SQLite has one writer
  anyway, so one design serves both backends; (b) the write order, and with it every rowid,
  event id and export byte, stays that of a local run; (c) writing is a few per cent of
  extraction's time (``bench/scale.py`` prints it), so one writer keeps up with many workers.
  Where it would not (hundreds of workers), run several ``extract`` processes on disjoint
  inputs against one PostgreSQL ledger: its advisory lock makes them take turns per batch.
- **Back-pressure.** At most ``2 × workers`` batches are out at a time; the next batch is read
  from the ledger only when one comes back, so memory is bounded by the batches in flight,
  not by the input.
- **Failures.** Actors restart when their process dies (``max_restarts=-1``) and the batch
  they held is sent again (``max_task_retries``); a batch is written only when its result
  arrives, so it is stored exactly once.

The local runtime (no ``--ray-address``) listens on the loopback address only, with usage
reporting off: nothing leaves the machine.
"""
from __future__ import annotations

import os
from collections import deque
from typing import Iterable, Iterator

from claimledger.errors import UsageError
from claimledger.options import Options

TASK_RETRIES = 3
_STARTED: dict[str, int] = {}  # the local runtime this process started: its CPU count


def _ray():
    try:
        import ray
    except ImportError:
        raise UsageError("E032", what="--engine ray",
                         reason="Ray is not installed; run: pip install 'claimledger[ray]'") from None
    return ray


def start(workers: int, address: str | None = None):
    """Join the cluster at ``address``, or start (once per process) a local runtime with
    ``workers`` CPUs, on the loopback address, without usage reporting."""
    ray = _ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        if address or _STARTED.get("cpus", 0) >= workers:
            return ray
        ray.shutdown()  # our own local runtime, too small for this many workers
    if address:
        ray.init(address=address, log_to_driver=False, logging_level="ERROR")
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
                 _node_ip_address="127.0.0.1")
        _STARTED["cpus"] = workers
    return ray


class _Extractor:
    """A Ray actor: one worker's pipeline, built once."""

    def __init__(self, model: str, places: bool):
        from claimledger.extract.run import get_nlp
        self.model, self.places = model, places
        get_nlp(model, places)

    def pid(self) -> int:
        return os.getpid()

    def extract(self, docs):
        from claimledger.extract.run import extract_batch
        return extract_batch(docs, self.model, self.places)


class RayPool:
    """``workers`` extraction actors. ``map(batches)`` yields each batch's results in order."""

    def __init__(self, options: Options):
        self.ray = start(options.workers, options.ray_address)
        actor = self.ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=TASK_RETRIES)(_Extractor)
        self.actors = [actor.remote(options.model, options.places) for _ in range(options.workers)]
        self.in_flight = 2 * len(self.actors)

    def pids(self) -> list[int]:
        """The worker processes' ids (for tests that kill one)."""
        return self.ray.get([a.pid.remote() for a in self.actors])

    def map(self, batches: Iterable[list]) -> Iterator[list]:
        pending: deque = deque()
        for k, batch in enumerate(batches):
            pending.append(self.actors[k % len(self.actors)].extract.remote(batch))
            if len(pending) >= self.in_flight:
                yield self.ray.get(pending.popleft())
        while pending:
            yield self.ray.get(pending.popleft())

    def close(self) -> None:
        for a in self.actors:
            self.ray.kill(a)
        self.actors = []

    def __enter__(self) -> "RayPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
