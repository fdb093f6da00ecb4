"""Scale-out: N documents (the corpus replicated) through
(a) the local single process into SQLite (the baseline, measured in the same run),
(b) Ray with 1 worker into PostgreSQL, (c) Ray with 2 workers into PostgreSQL,
and (c) again at N/2, to show that memory does not grow with the input.

    python bench/scale.py               # 2,000 documents (about 15 minutes on 2 cores)
    python bench/scale.py --docs 400    # quicker

Each row runs in its own process: store (read, clean, dedupe, insert), extract (the engine's
part), link (events, in the writing process, all N new documents at once). PostgreSQL is a throwaway local server with its
default durability (fsync on), from Debian's postgresql package. Peak memory is sampled from
/proc: the writing process through extraction, the largest Ray worker, and the writing process
once linking is done. Needs ../shared for the corpus (else
the five seeds are replicated)."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import replicate, run_child, table, write_folder  # noqa: E402


def _rss_mib(pid: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Sampler(threading.Thread):
    """Peak RSS of this process and of the largest Ray extraction worker, every 0.2 s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.driver = self.worker = 0.0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.2):
            self.driver = max(self.driver, _rss_mib("self"))
            for proc in Path("/proc").iterdir():
                if proc.name.isdigit():
                    try:
                        cmd = (proc / "cmdline").read_bytes()
                    except OSError:
                        continue
                    if b"_Extractor" in cmd:
                        self.worker = max(self.worker, _rss_mib(proc.name))


def child(folder: str, target: str, engine: str, workers: int) -> None:
    from claimledger import Ledger, Options, ingest
    from claimledger.extract.run import extract_pending
    from claimledger.reconcile import link_new

    sampler = Sampler()
    sampler.start()
    ledger = Ledger(target)
    writing = [0.0]
    write = ledger.write_extraction

    def timed(*args, **kwargs):
        t = time.perf_counter()
        write(*args, **kwargs)
        writing[0] += time.perf_counter() - t
    ledger.write_extraction = timed
    t0 = time.perf_counter()
    ingest([folder], ledger, Options(quiet=True, extract=False))
    t1 = time.perf_counter()
    docs, claims = extract_pending(ledger, Options(quiet=True, engine=engine, workers=workers))
    t2 = time.perf_counter()
    time.sleep(0.3)
    driver = sampler.driver  # store and extract; linking holds the new claims' features, measured apart
    link_new(ledger)
    t3 = time.perf_counter()
    time.sleep(0.3)
    sampler.done.set()
    sampler.join()
    print(json.dumps({"docs": docs, "claims": claims, "store_s": t1 - t0, "extract_s": t2 - t1, "link_s": t3 - t2,
                      "write_s": writing[0], "driver_mib": driver, "worker_mib": sampler.worker,
                      "link_mib": sampler.driver}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(a.child[0], a.child[1], a.child[2], int(a.child[3]))
        return 0
    from claimledger.store.tempserver import TempPostgres

    tmp = Path(tempfile.mkdtemp(prefix="clscale-"))
    rows = []
    try:
        with TempPostgres(durable=True) as pg:
            full = write_folder(replicate(a.docs), tmp / "full")
            half = write_folder(replicate(a.docs // 2), tmp / "half")
            runs = [("local, 1 process -> SQLite (baseline)", full, str(tmp / "local.db"), "local", 1),
                    ("ray, 1 worker -> PostgreSQL", full, pg.database("ray1"), "ray", 1),
                    ("ray, 2 workers -> PostgreSQL", full, pg.database("ray2"), "ray", 2),
                    (f"ray, 2 workers -> PostgreSQL, {a.docs // 2:,} docs", half, pg.database("ray2h"), "ray", 2)]
            for label, folder, target, engine, workers in runs:
                print(f"running: {label} ...", flush=True, file=sys.stderr)
                r = run_child([__file__, "--child", str(folder), target, engine, str(workers)])
                total = r["store_s"] + r["extract_s"] + r["link_s"]
                rows.append({"run": label, "docs": r["docs"], "claims": r["claims"],
                             "extract docs/s": r["docs"] / r["extract_s"], "end-to-end docs/s": r["docs"] / total,
                             "store s": r["store_s"], "extract s": r["extract_s"], "link s": r["link_s"],
                             "writes % of extract": 100 * r["write_s"] / r["extract_s"],
                             "writer MiB": r["driver_mib"], "worker MiB": r["worker_mib"],
                             "with link MiB": r["link_mib"]})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(table(rows, list(rows[0])))
    local, one, two, half = rows
    print(f"\nray 2 workers / ray 1 worker (extraction): {two['extract docs/s'] / one['extract docs/s']:.2f}x "
          f"(end to end {two['end-to-end docs/s'] / one['end-to-end docs/s']:.2f}x)")
    print(f"ray 1 worker / local single process (extraction): {one['extract docs/s'] / local['extract docs/s']:.2f}x "
          f"(end to end {one['end-to-end docs/s'] / local['end-to-end docs/s']:.2f}x)")
    print(f"peak memory {half['docs']:,} -> {two['docs']:,} docs, 2 workers: writer {half['writer MiB']:.0f} -> "
          f"{two['writer MiB']:.0f} MiB, worker {half['worker MiB']:.0f} -> {two['worker MiB']:.0f} MiB")
    print(f"one worker core: {3600 * one['extract docs/s']:,.0f} documents an hour (extraction)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
