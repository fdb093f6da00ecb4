"""Web latency: a ledger of >= 10,000 documents (the extracted corpus replicated in the
database, each copy shifted in time), served by uvicorn, hit by 8 concurrent clients.

    python bench/web.py                     # 10,000 documents, 8 clients, 40 requests a route
    python bench/web.py --docs 2000 --requests 20

Prints p50/p95 per route (page and .json); the target is p95 < 200 ms for every page."""
from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, table  # noqa: E402


def build(db: Path, docs: int) -> None:
    from claimledger import Ledger, Options, ingest
    from claimledger.reconcile import reconcile_ledger
    src = [str(CORPUS / "articles")] if (CORPUS / "articles").is_dir() else [str(ROOT / "examples" / "seeds")]
    manifests = [str(CORPUS / "manifest.jsonl")] if (CORPUS / "manifest.jsonl").exists() else None
    ledger = Ledger(db)
    ingest(src, ledger, Options(quiet=True, reconcile=False), manifests=manifests)
    base_docs = ledger.count("documents")
    copies = max(0, -(-docs // base_docs) - 1)
    con = ledger.db
    doc_cols = [r[1] for r in con.execute("PRAGMA table_info(documents)")]
    claim_cols = [r[1] for r in con.execute("PRAGMA table_info(claims)")]
    docs_rows = con.execute(f"SELECT {','.join(doc_cols)} FROM documents").fetchall()
    claim_rows = con.execute(f"SELECT {','.join(claim_cols)} FROM claims").fetchall()
    di = {c: i for i, c in enumerate(doc_cols)}
    ci = {c: i for i, c in enumerate(claim_cols)}

    def shift(day, k):
        return (date.fromisoformat(day) + timedelta(weeks=k)).isoformat() if day else None

    for k in range(1, copies + 1):
        with ledger.transaction():
            for r in docs_rows:
                r = list(r)
                r[di["doc_id"]] += f"~{k}"
                r[di["content_hash"]] += f"~{k}"
                r[di["published"]] = shift(r[di["published"]], k)
                if r[di["duplicate_of"]]:
                    r[di["duplicate_of"]] += f"~{k}"
                con.execute(f"INSERT INTO documents ({','.join(doc_cols)}) VALUES ({','.join('?' * len(r))})", r)
                con.execute("INSERT INTO documents_fts (doc_id, title, text) VALUES (?,?,?)",
                            (r[di["doc_id"]], r[di["title"]] or "", r[di["text"]]))
            for r in claim_rows:
                r = list(r)
                data = json.loads(r[ci["data"]])
                data["claim_id"] += f"~{k}"
                data["doc_id"] += f"~{k}"
                if data.get("when"):
                    data["when"]["start"] = shift(data["when"]["start"], k)
                    data["when"]["end"] = shift(data["when"]["end"], k)
                r[ci["claim_id"]], r[ci["doc_id"]] = data["claim_id"], data["doc_id"]
                r[ci["published"]] = shift(r[ci["published"]], k)
                r[ci["data"]] = json.dumps(data, ensure_ascii=False)
                con.execute(f"INSERT INTO claims ({','.join(claim_cols)}) VALUES ({','.join('?' * len(r))})", r)
                con.execute("INSERT INTO claims_fts (claim_id, doc_id, sentence, claimant) VALUES (?,?,?,?)",
                            (data["claim_id"], data["doc_id"], data["sentence"], data["claimant"]["name"]))
    reconcile_ledger(ledger)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ledger.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=40, help="requests per route")
    ap.add_argument("--db", help="use (or build and keep) this ledger instead of a temporary one")
    a = ap.parse_args(argv)
    import httpx

    tmp = Path(tempfile.mkdtemp(prefix="clbench-"))
    server = None
    try:
        db = Path(a.db) if a.db else tmp / "web.db"
        t = time.perf_counter()
        if not db.exists():
            build(db, a.docs)
        import sqlite3
        con = sqlite3.connect(db)
        n_docs, n_claims, n_events = con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims), (SELECT count(*) FROM events)").fetchone()
        rnd = random.Random(1)
        event_ids = [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY n_claims DESC LIMIT 2000")]
        claim_ids = [r[0] for r in con.execute("SELECT claim_id FROM claims ORDER BY random() LIMIT 2000")]
        doc_ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY random() LIMIT 2000")]
        con.close()
        print(f"ledger: {n_docs:,} documents, {n_claims:,} claims, {n_events:,} events (built in "
              f"{time.perf_counter() - t:.0f}s)", file=sys.stderr)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(db), "--port",
                                   str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(base + "/index.json", timeout=30)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        routes = {
            "/": lambda: "/", "/index.json": lambda: "/index.json",
            "/?type&side": lambda: f"/?type={rnd.choice(['territory', 'casualties', 'strike'])}&side=UA",
            "/map": lambda: "/map", "/map.json": lambda: "/map.json",
            "/events": lambda: "/events", "/events.json": lambda: "/events.json",
            "/events?filters": lambda: f"/events?status=contested&place={rnd.choice(['Izyum', 'Kupiansk', 'Kharkiv'])}&sort=claims",
            "/events/{id}": lambda: f"/events/{rnd.choice(event_ids)}",
            "/events/{id}.json": lambda: f"/events/{rnd.choice(event_ids)}.json",
            "/claims/{id}": lambda: f"/claims/{rnd.choice(claim_ids)}",
            "/claims/{id}.json": lambda: f"/claims/{rnd.choice(claim_ids)}.json",
            "/documents/{id}": lambda: f"/documents/{rnd.choice(doc_ids)}",
            "/documents/{id}.json": lambda: f"/documents/{rnd.choice(doc_ids)}.json",
            "/search?q": lambda: f"/search?q={rnd.choice(['Izyum', 'Konashenkov withdrawal', 'killed civilians'])}",
            "/search.json?q": lambda: f"/search.json?q={rnd.choice(['Kupiansk', 'regrouping', 'Zelensky'])}",
        }
        rows = []
        with httpx.Client(timeout=60) as client, ThreadPoolExecutor(a.clients) as pool:
            for name, make in routes.items():
                client.get(base + make())  # warm once

                def hit(_):
                    t0 = time.perf_counter()
                    r = client.get(base + make())
                    assert r.status_code == 200, (name, r.status_code)
                    return (time.perf_counter() - t0) * 1000

                times = sorted(pool.map(hit, range(a.requests)))
                rows.append({"route": name, "p50_ms": statistics.median(times),
                             "p95_ms": times[max(0, int(len(times) * 0.95) - 1)], "max_ms": times[-1]})
    finally:
        if server:
            server.terminate()
            server.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"Web latency, {n_docs:,} documents, {a.clients} concurrent clients, {a.requests} requests per route")
    print(table(rows, ["route", "p50_ms", "p95_ms", "max_ms"]))
    worst = max(rows, key=lambda r: r["p95_ms"])
    print(f"worst p95: {worst['p95_ms']:.0f} ms ({worst['route']})  (target < 200 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
