"""Ingest benchmark: the corpus replicated to N documents, read from a folder of files.

    python bench/ingest.py                 # 2,500 and 5,000 documents
    python bench/ingest.py --sizes 1000 10000

Prints documents/s and peak memory for each size, in child processes so each peak is its own;
peak memory must not grow with the number of documents (documents are streamed in batches,
near-duplicate lookups are indexed queries on the ledger)."""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_mib, replicate, run_child, table, write_folder  # noqa: E402


def child(folder: str, db: str) -> None:
    from claimledger import Ledger, Options, ingest
    ledger = Ledger(db)
    t = time.perf_counter()
    report = ingest([folder], ledger, Options(extract=False, quiet=True))
    elapsed = time.perf_counter() - t
    print(json.dumps({"docs": report.added, "near_duplicates": report.near_duplicates, "seconds": elapsed,
                      "docs_per_s": report.added / elapsed, "peak_mib": peak_mib()}))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000])
    ap.add_argument("--child", nargs=2, metavar=("FOLDER", "DB"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        child(*a.child)
        return 0
    rows = []
    for n in a.sizes:
        tmp = Path(tempfile.mkdtemp(prefix="clbench-"))
        try:
            folder = write_folder(replicate(n), tmp / "in")
            r = run_child([__file__, "--child", str(folder), str(tmp / "l.db")])
            rows.append({"documents": n, **r})
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    print("Ingest (read, clean, detect language, hash, MinHash near-duplicates, store; no extraction)")
    print(table(rows, ["documents", "seconds", "docs_per_s", "peak_mib", "near_duplicates"]))
    if len(rows) >= 2:
        print(f"peak memory ratio {rows[-1]['documents']:,} / {rows[0]['documents']:,} docs: "
              f"{rows[-1]['peak_mib'] / rows[0]['peak_mib']:.2f} (document ratio "
              f"{rows[-1]['documents'] / rows[0]['documents']:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
