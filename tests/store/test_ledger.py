"""The ledger: WAL, numbered migrations, transactions; a killed run resumes cleanly."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from claimledger import Ledger
from claimledger.errors import LedgerError
from claimledger.extract.pipeline import EXTRACTOR_VERSION


def test_wal_and_migrations(tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[1] for r in ledger.db.execute("SELECT * FROM schema_migrations ORDER BY version")] == [
        "initial", "claims", "search", "web_indexes", "event_sides", "link_keys"]
    ledger.close()
    again = Ledger(tmp_path / "l.db")  # migrating twice is a no-op
    assert again.schema_version() == 6


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "l.db"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES (99, 'future')")
    db.commit()
    db.close()
    with pytest.raises(LedgerError) as e:
        Ledger(path)
    assert e.value.code == "E021"


def test_missing_ledger_read_only(tmp_path):
    with pytest.raises(LedgerError) as e:
        Ledger(tmp_path / "nope.db", readonly=True)
    assert e.value.code == "E020"


def test_transaction_rolls_back(tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    with pytest.raises(RuntimeError):
        with ledger.transaction():
            ledger.db.execute("INSERT INTO rejections VALUES ('x', 0, 'E001', 'm')")
            raise RuntimeError
    assert ledger.count("rejections") == 0


def _count(target: str, sql: str, params=()) -> int | None:
    try:
        ledger = Ledger(target, readonly=True, lock_wait=1)
    except LedgerError:
        return None
    try:
        return ledger.db.execute(sql, params).fetchone()[0]
    except ledger.errors:
        return None
    finally:
        ledger.close()


def test_kill_9_midway_then_rerun_completes_without_duplicates(ledger_target, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    base = "Russian forces shelled the village of {n} overnight, killing {k} civilians, the governor said. "
    for n in range(240):
        (folder / f"{n:04d}.txt").write_text((base.format(n=f"Village{n}", k=n % 7 + 2)) * 6)
    cmd = [sys.executable, "-m", "claimledger.cli", "ingest", str(folder), "--db", ledger_target, "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if (_count(ledger_target, "SELECT count(*) FROM documents WHERE extracted_version IS NOT NULL") or 0) >= 64:
            break
    assert proc.poll() is None, "the run finished before it could be killed; make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if not ledger_target.startswith("postgresql"):
        con = sqlite3.connect(ledger_target)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    killed_docs = _count(ledger_target, "SELECT count(*) FROM documents")
    assert 0 < killed_docs <= 240
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    ledger = Ledger(ledger_target, readonly=True)
    assert tuple(ledger.db.execute("SELECT count(*), count(DISTINCT content_hash) FROM documents").fetchone()) == \
        (240, 240)
    assert ledger.db.execute("SELECT count(*) FROM documents WHERE extracted_version IS NULL OR extracted_version != ?",
                             (EXTRACTOR_VERSION,)).fetchone()[0] == 0
    assert ledger.db.execute("SELECT count(*) FROM claims").fetchone()[0] == \
        ledger.db.execute("SELECT count(DISTINCT claim_id) FROM claims").fetchone()[0] > 0
    assert ledger.db.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0] == 0


def test_older_ledger_read_only_is_a_coded_error_and_the_cli_upgrades_it(tmp_path):
    from typer.testing import CliRunner

    from claimledger.cli import app
    path = tmp_path / "l.db"
    Ledger(path).close()
    db = sqlite3.connect(path)
    db.execute("DELETE FROM schema_migrations WHERE version = 6")
    db.execute("DROP TABLE link_keys")
    db.commit()
    db.close()
    with pytest.raises(LedgerError) as e:
        Ledger(path, readonly=True)
    assert e.value.code == "E022"
    r = CliRunner().invoke(app, ["stats", "--db", str(path)])
    assert r.exit_code == 0
    assert Ledger(path, readonly=True).schema_version() == 6
