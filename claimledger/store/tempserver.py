"""A throwaway PostgreSQL server for tests, benchmarks and trying the PostgreSQL backend:
``initdb`` in a temporary folder, listening on a Unix socket inside it only (no TCP port),
started and stopped by the caller. It needs the server binaries (Debian: ``apt-get install
postgresql``); nothing is downloaded.

    >>> with TempPostgres() as pg:
    ...     url = pg.database("ledger")   # postgresql://postgres@/ledger?host=/tmp/...
    ...     Ledger(url)

Run as a script it starts one and prints its URL until interrupted:
``python -m claimledger.store.tempserver``.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class ServerMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: $PG_BIN, else the PATH, else Debian's
    /usr/lib/postgresql/<newest>/bin."""
    if os.environ.get("PG_BIN"):
        given = Path(os.environ["PG_BIN"])
        return given if (given / "initdb").exists() else None
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


class TempPostgres:
    """One temporary server. Root may not run PostgreSQL, so under root the server runs as the
    ``postgres`` user (created by Debian's package) with its folder handed to that user."""

    def __init__(self, durable: bool = False):
        self.bin = find_bin()
        if self.bin is None:
            raise ServerMissing("no PostgreSQL server binaries (initdb, pg_ctl): install Debian's 'postgresql' "
                                "package or set PG_BIN")
        self.durable = durable  # False: fsync off, as tests want; True: the server's defaults
        self.root: Path | None = None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> "TempPostgres":
        self.root = Path(tempfile.mkdtemp(prefix="clpg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        data = self.root / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8",
                  "--no-instructions")
        settings = f"-k {self.root} -c listen_addresses= -p 5432 -c max_connections=60"
        if not self.durable:
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "log"), "-w", "-o", settings, "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.root}&port=5432"

    def database(self, name: str) -> str:
        """Create database ``name`` (dropping one of that name) and return its URL."""
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        except RuntimeError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    def __enter__(self) -> "TempPostgres":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


if __name__ == "__main__":  # pragma: no cover - a manual tool
    import time
    with TempPostgres(durable=True) as pg:
        print(pg.database("ledger"), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
