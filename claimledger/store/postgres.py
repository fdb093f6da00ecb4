"""PostgreSQL for the ledger, through psycopg 3: a connection that reads the ledger's SQL, and
the few places where the dialect differs from SQLite.

The ledger's SQL is written once, in what SQLite and PostgreSQL both read: ``?`` placeholders
(made ``%s`` here), ``INSERT ... ON CONFLICT``, window functions, explicit ``NULLS FIRST/LAST``.
What differs is kept here and in ``sqlite.py``, and nowhere else:

- **Schema.** The numbered migrations are shared. :func:`ddl` maps SQLite's types to
  PostgreSQL's (``INTEGER`` → ``BIGINT``, ``REAL`` → ``DOUBLE PRECISION``, ``BLOB`` → ``BYTEA``,
  ``TEXT`` → ``TEXT COLLATE "C"`` so that text sorts by code point, as SQLite sorts it, whatever
  the database's locale) and drops ``WITHOUT ROWID``; a statement whose first line is
  ``-- sqlite only`` or ``-- postgresql only`` runs on that backend alone.
- **Writers.** Every write transaction first takes one transaction-scoped advisory lock, so
  writers take turns exactly as SQLite's ``BEGIN IMMEDIATE`` makes them; readers never wait.
  Two ``ingest`` processes on overlapping inputs therefore see each other's documents and
  store each once.
- **Full text.** ``tsvector`` columns with GIN indexes where SQLite has FTS5 (see :func:`search`).
- **Change stamp.** A write transaction bumps ``ledger_revision``; the web server's caches key on it.
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Any, Callable, Iterable

import psycopg

ERRORS = (psycopg.Error,)
LOCK_KEY = 0x636C_6169  # 'clai': the advisory lock every writer of a ledger takes
DOCUMENT_SEARCH_CHARS = 100_000  # a document's full-text vector covers its first this many characters
_TYPES = ((re.compile(r"\bINTEGER\b"), "BIGINT"), (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
          (re.compile(r"\bBLOB\b"), "BYTEA"), (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
          (re.compile(r"\s+WITHOUT ROWID\b"), ""))


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", url)


def reason(e: Exception) -> str:
    """The first line of a psycopg error (the server's message), for coded errors."""
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def is_fatal(e: Exception) -> bool:
    """The server or the connection failed (not one statement refusing one document's data)."""
    return isinstance(e, (psycopg.OperationalError, psycopg.InterfaceError))


def ddl(db: "Connection", statement: str) -> None:
    """Run a migration statement, SQLite's column types mapped to PostgreSQL's, as written
    (no placeholders)."""
    if re.match(r"^\s*(--[^\n]*\n\s*)*(create|alter) table", statement, re.I):
        for pattern, replacement in _TYPES:
            statement = pattern.sub(replacement, statement)
    db.raw.execute(statement.encode("utf-8"))


@lru_cache(maxsize=1024)
def _paramstyle(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class Row(tuple):
    """A result row read by position or by column name, as ``sqlite3.Row`` is."""
    __slots__ = ()
    _names: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_names": {n: k for k, n in enumerate(names)}})


def _rows(cursor):
    if cursor.description is None:
        return tuple
    cls = _row_class(tuple(c.name for c in cursor.description))
    return cls


class Connection:
    """A psycopg connection (autocommit, transactions opened explicitly) with sqlite3's
    ``execute``/``executemany`` surface, so the ledger's SQL runs unchanged."""

    def __init__(self, url: str, readonly: bool = False):
        options = "-c default_transaction_read_only=on" if readonly else ""
        self.raw = psycopg.connect(url, autocommit=True, row_factory=_rows, options=options,
                                   client_encoding="utf8")

    def execute(self, sql: str, params: Iterable[Any] = ()):
        return self.raw.execute(_paramstyle(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(_paramstyle(sql), rows)

    def close(self) -> None:
        self.raw.close()


def connect(url: str, readonly: bool) -> Connection:
    return Connection(url, readonly)


def begin(db: Connection, lock_wait: float, on_wait: Callable[[float], None] | None) -> bool:
    """Open a write transaction and take the writers' lock; False when ``lock_wait`` ran out
    (the transaction is then rolled back)."""
    db.execute("BEGIN")
    began = time.monotonic()
    reported = 0
    while not db.execute("SELECT pg_try_advisory_xact_lock(?)", (LOCK_KEY,)).fetchone()[0]:
        waited = time.monotonic() - began
        if waited >= lock_wait:
            db.execute("ROLLBACK")
            return False
        if on_wait and int(waited) > reported:
            reported = int(waited)
            on_wait(waited)
        time.sleep(0.05)
    return True


def commit(db: Connection) -> None:
    db.execute("UPDATE ledger_revision SET n = n + 1")
    db.execute("COMMIT")


def has_table(db: Connection, name: str) -> bool:
    return db.execute("SELECT to_regclass(?) IS NOT NULL", (name,)).fetchone()[0]


def revision(db: Connection, path: str) -> tuple:
    row = db.execute("SELECT n FROM ledger_revision").fetchone()
    return (row[0] if row else 0,)


_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=24, MinWords=12, ShortWord=1, MaxFragments=1, FragmentDelimiter=…"


def search(db: Connection, words: list[str], limit: int) -> tuple[list, list]:
    """(claims, documents) matching every word, best first: ``(claim_id, doc_id, snippet,
    claimant)`` and ``(doc_id, title, snippet)``, with \\x02…\\x03 around the matches."""
    # a word ending in '*' is a prefix; words are \w+ (queries.py), so to_tsquery's syntax is safe
    query = " & ".join(re.sub(r"\W", "", w) + (":*" if w.endswith("*") else "") for w in words)
    claims = db.execute(
        "SELECT claim_id, doc_id, ts_headline('simple', sentence, q, ?), claimant "
        "FROM claims_fts, to_tsquery('simple', ?) AS q WHERE tsv @@ q "
        "ORDER BY ts_rank(tsv, q) DESC, claim_id LIMIT ?", (_HEADLINE, query, limit)).fetchall()
    docs = db.execute(
        f"SELECT doc_id, title, ts_headline('simple', left(text, {DOCUMENT_SEARCH_CHARS}), q, ?) "
        "FROM documents, to_tsquery('simple', ?) AS q WHERE tsv @@ q "
        "ORDER BY ts_rank(tsv, q) DESC, doc_id LIMIT ?", (_HEADLINE, query, limit)).fetchall()
    return claims, docs
