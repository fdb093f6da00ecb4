"""Run every benchmark with its default sizes: `make bench`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for name in ("ingest.py", "extract.py", "cluster.py", "web.py"):
    print(f"\n=== bench/{name}", flush=True)
    subprocess.run([sys.executable, str(HERE / name)], check=True)
