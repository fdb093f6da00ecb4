"""SQLite for the ledger: the embedded default. The counterpart of ``postgres.py``: the same
functions, for the few places where the two dialects differ."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

ERRORS = (sqlite3.Error,)


class Locked(Exception):
    """Another writer held the lock for longer than the caller would wait."""


def ddl(db: sqlite3.Connection, statement: str) -> None:
    """Run a migration statement as written."""
    db.execute(statement)


def is_fatal(e: Exception) -> bool:
    """The database failed (locked, disk, read-only), not one statement refusing one document's data."""
    return isinstance(e, sqlite3.OperationalError) and any(w in str(e) for w in ("locked", "busy", "disk", "readonly"))


def connect(path: str, readonly: bool, lock_wait: float, on_wait) -> sqlite3.Connection:
    if readonly:
        db = _connect_readonly(path, lock_wait)
    else:
        db = sqlite3.connect(path, timeout=0.2, check_same_thread=False)
        retry(lambda: db.execute("PRAGMA journal_mode=WAL"), lock_wait, on_wait)
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.row_factory = sqlite3.Row
    return db


def _connect_readonly(path: str, lock_wait: float) -> sqlite3.Connection:
    """Open for reading only, never writing a byte: in a read-only folder, where the WAL's
    shared-memory file cannot be made, the file is opened as immutable."""
    file = Path(path)
    if not file.is_file():
        raise sqlite3.OperationalError("no such file" if not file.exists() else "not a file")
    uri = "file:" + quote(str(file.resolve())) + "?mode=ro"
    if os.access(file.resolve().parent, os.W_OK):
        try:
            return _probe(uri, lock_wait)
        except sqlite3.OperationalError:
            pass
    return _probe(uri + "&immutable=1", lock_wait)


def _probe(uri: str, lock_wait: float) -> sqlite3.Connection:
    """A connection to ``uri`` that has read the schema, else the error (and no open connection)."""
    db = sqlite3.connect(uri, uri=True, timeout=lock_wait, check_same_thread=False)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        db.close()
        raise
    return db


def retry(step: Callable[[], Any], lock_wait: float, on_wait: Callable[[float], None] | None) -> Any:
    """Run ``step``, waiting while another process holds the write lock (up to ``lock_wait``);
    :class:`Locked` when it ran out."""
    began = time.monotonic()
    reported = 0
    while True:
        try:
            return step()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            waited = time.monotonic() - began
            if waited >= lock_wait:
                raise Locked from None
            if on_wait and int(waited) > reported:
                reported = int(waited)
                on_wait(waited)
            time.sleep(0.05)


def begin(db: sqlite3.Connection, lock_wait: float, on_wait) -> bool:
    try:
        retry(lambda: db.execute("BEGIN IMMEDIATE"), lock_wait, on_wait)
    except Locked:
        return False
    return True


def commit(db: sqlite3.Connection) -> None:
    db.execute("COMMIT")


def has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def revision(db: sqlite3.Connection, path: str) -> tuple:
    """What changes when anything is written: the file's and its WAL's identity and size."""
    stamps = []
    for suffix in ("", "-wal"):
        try:
            st = os.stat(path + suffix)
            stamps.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def search(db: sqlite3.Connection, words: list[str], limit: int) -> tuple[list, list]:
    """(claims, documents) matching every word, best first (FTS5's bm25 rank); a word ending in
    '*' is a prefix."""
    match = " ".join('"' + w.rstrip("*").replace('"', "") + '"' + ("*" if w.endswith("*") else "")
                     for w in words)  # each word a quoted term: no FTS syntax
    claims = db.execute("SELECT claim_id, doc_id, snippet(claims_fts, 2, char(2), char(3), '…', 24), claimant "
                        "FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rank, claim_id LIMIT ?",
                        (match, limit)).fetchall()
    docs = db.execute("SELECT doc_id, title, snippet(documents_fts, 2, char(2), char(3), '…', 24) "
                      "FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rank, doc_id LIMIT ?",
                      (match, limit)).fetchall()
    return claims, docs
