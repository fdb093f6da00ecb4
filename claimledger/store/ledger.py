"""The ledger: documents, claims, events and rejections in SQLite (the default, one file in WAL
mode) or PostgreSQL (``Ledger("postgresql://user@host/db")``, for a ledger shared by many
processes and people).

Writes go through ``transaction()``; schema changes are numbered migrations
(``store/migrations/NNNN_name.sql``, one set for both databases) recorded in
``schema_migrations``. Every query is parameterised and written in the SQL both databases
read; the few differences live in ``store/sqlite.py`` and ``store/postgres.py``.
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from claimledger.errors import LedgerError
from claimledger.model import Claim, Document, Event, Place, Rejection
from claimledger.store import sqlite


def _migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("claimledger.store").joinpath("migrations")
    out = []
    for f in folder.iterdir():
        if f.name.endswith(".sql"):
            num, _, name = f.name[:-4].partition("_")
            out.append((int(num), name, f.read_text(encoding="utf-8")))
    return sorted(out)


def _chunks(values: list, size: int = 500):
    """(chunk, its placeholders) for ``IN (...)`` queries under SQLite's variable limit."""
    for k in range(0, len(values), size):
        chunk = values[k:k + size]
        yield chunk, ",".join("?" * len(chunk))


def _only(statement: str) -> str | None:
    """'sqlite' or 'postgresql' where a migration statement's leading comments say
    '-- sqlite only' / '-- postgresql only'; None for a statement both run."""
    for line in statement.strip().splitlines():
        if not line.startswith("--"):
            return None
        words = line[2:].split()
        if len(words) == 2 and words[1] == "only" and words[0] in ("sqlite", "postgresql"):
            return words[0]
    return None


def _operational(e: Exception) -> bool:
    return isinstance(e, sqlite3.OperationalError)


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def _postgres():
    try:
        from claimledger.store import postgres
    except ImportError:
        raise LedgerError("E032", what="a PostgreSQL ledger",
                          reason="psycopg is not installed; run: pip install 'claimledger[postgres]'") from None
    return postgres


class Ledger:
    """A ledger database. ``Ledger("ledger.db")`` creates or migrates an SQLite file,
    ``Ledger("postgresql://user@host/dbname")`` a PostgreSQL database; ``readonly=True`` only reads."""

    def __init__(self, path: str | Path, *, readonly: bool = False, lock_wait: float = 60.0,
                 on_wait: Callable[[float], None] | None = None):
        self.path = str(path)
        self.readonly = readonly
        self.lock_wait = lock_wait  # seconds to wait for another writer before E023
        self.on_wait = on_wait  # called with the seconds waited so far, about once a second
        self._in_tx = False
        if is_postgres(self.path):
            self.dialect, self.backend = "postgresql", _postgres()
            self.where = self.backend.redact(self.path)  # for messages: no password
            try:
                self.db = self.backend.connect(self.path, readonly)
            except self.backend.ERRORS as e:
                raise LedgerError("E026", path=self.where, reason=self.backend.reason(e)) from None
        else:
            self.dialect, self.backend, self.where = "sqlite", sqlite, self.path
            try:
                self.db = sqlite.connect(self.path, readonly, lock_wait, on_wait)
            except sqlite.Locked:
                raise LedgerError("E023", path=self.where, seconds=round(lock_wait, 1)) from None
            except sqlite3.DatabaseError as e:
                raise self.failure(e) from None
        self.errors = self.backend.ERRORS  # the database's own exceptions
        try:
            if readonly:
                self._check_version()
            else:
                self.migrate()
        except self.errors as e:
            self.db.close()
            raise self.failure(e) from None

    def is_fatal(self, e: Exception) -> bool:
        """Whether a database exception is the database's failure (locked, gone, full), not one
        statement's refusal of one document's data."""
        return self.backend.is_fatal(e)

    def failure(self, e: Exception) -> LedgerError:
        """The coded error for a database exception met while using this ledger."""
        if self.dialect == "postgresql":
            return LedgerError("E027", path=self.where, reason=self.backend.reason(e))
        if _operational(e) and ("locked" in str(e) or "busy" in str(e)):
            return LedgerError("E023", path=self.where, seconds=round(self.lock_wait, 1))
        damaged = not _operational(e) or "malformed" in str(e)
        return LedgerError("E024" if damaged else "E020", path=self.path, reason=str(e))

    # --- schema -----------------------------------------------------------------
    def schema_version(self) -> int:
        if not self.backend.has_table(self.db, "schema_migrations"):
            return 0
        row = self.db.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return row[0] or 0

    def _check_version(self) -> None:
        known = max(v for v, _, _ in _migrations())
        found = self.schema_version()
        if found > known:
            raise LedgerError("E021", path=self.where, found=found, known=known)
        if self.readonly and found < known:
            raise LedgerError("E022", path=self.where, found=found, known=known)

    def migrate(self) -> None:
        """Apply the migrations this ledger lacks, in one transaction (so two processes opening
        a new ledger at once create it once)."""
        known = max(v for v, _, _ in _migrations())
        if self.schema_version() == known:
            return
        with self.transaction():
            self._ddl("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            self._check_version()
            current = self.schema_version()
            for version, name, sql in _migrations():
                if version > current:
                    for statement in sql.split(";\n"):
                        if statement.strip():
                            self._ddl(statement)
                    self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", (version, name))

    def _ddl(self, statement: str) -> None:
        only = _only(statement)
        if only and only != self.dialect:
            return
        self.backend.ddl(self.db, statement)

    @contextmanager
    def transaction(self):
        """A write transaction: waits (up to ``lock_wait``) for another writer, else E023."""
        if self._in_tx:
            yield self.db
            return
        if not self.backend.begin(self.db, self.lock_wait, self.on_wait):
            raise LedgerError("E023", path=self.where, seconds=round(self.lock_wait, 1))
        self._in_tx = True
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.backend.commit(self.db)
        finally:
            self._in_tx = False

    @contextmanager
    def savepoint(self, name: str = "one"):
        """A nested step inside a transaction: on error only this step is undone."""
        self.db.execute(f"SAVEPOINT {name}")
        try:
            yield self.db
        except BaseException:
            self.db.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.db.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.db.execute(f"RELEASE SAVEPOINT {name}")

    def revision(self) -> tuple:
        """A stamp that changes whenever the ledger is written (for caches)."""
        return self.backend.revision(self.db, self.path)

    def search(self, words: list[str], limit: int = 50) -> tuple[list, list]:
        """Full-text search for claims and documents holding every word: ``(claim_id, doc_id,
        snippet, claimant)`` rows and ``(doc_id, title, snippet)`` rows, snippets with
        \\x02…\\x03 around the matches."""
        return self.backend.search(self.db, words, limit)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- documents --------------------------------------------------------------
    def document_hash(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        return row[0] if row else None

    def doc_id_for_hash(self, content_hash: str) -> str | None:
        row = self.db.execute("SELECT doc_id FROM documents WHERE content_hash=? ORDER BY rowid LIMIT 1",
                              (content_hash,)).fetchone()
        return row[0] if row else None

    def near_duplicate_candidates(self, keys: list[int]) -> list[tuple[str, np.ndarray]]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self.db.execute(
            f"SELECT doc_id, signature FROM documents WHERE doc_id IN (SELECT doc_id FROM doc_bands "
            f"WHERE band_key IN ({marks})) AND duplicate_of IS NULL ORDER BY rowid", keys).fetchall()
        return [(r[0], np.frombuffer(bytes(r[1]), dtype=np.uint32)) for r in rows if r[1]]

    def add_document(self, doc: Document, signature: np.ndarray | None, keys: list[int]) -> None:
        self.db.execute(
            "INSERT INTO documents (doc_id, content_hash, title, outlet, published, language, url, source,"
            " text, raw, duplicate_of, signature, meta) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.content_hash, doc.title, doc.outlet, doc.published, doc.language, doc.url,
             doc.source, doc.text, doc.raw, doc.duplicate_of,
             signature.tobytes() if signature is not None else None,
             json.dumps(doc.meta, ensure_ascii=False, sort_keys=True)))
        self.db.executemany("INSERT INTO doc_bands VALUES (?, ?) ON CONFLICT DO NOTHING",
                            [(k, doc.doc_id) for k in keys])
        if self.dialect == "sqlite":  # PostgreSQL indexes the documents table itself (a generated tsvector)
            self.db.execute("INSERT INTO documents_fts (doc_id, title, text) VALUES (?, ?, ?)",
                            (doc.doc_id, doc.title or "", doc.text))

    def add_rejections(self, rejections: Iterable[Rejection]) -> None:
        self.db.executemany(
            "INSERT INTO rejections (source, line, code, message) VALUES (?,?,?,?) "
            "ON CONFLICT (source, line, code) DO UPDATE SET message = excluded.message",
            [(r.source, r.line or 0, r.code, r.message) for r in rejections])

    def _doc(self, row) -> Document:
        return Document(
            doc_id=row["doc_id"], text=row["text"], title=row["title"], outlet=row["outlet"],
            published=row["published"], language=row["language"], url=row["url"], source=row["source"],
            content_hash=row["content_hash"], duplicate_of=row["duplicate_of"],
            places=[Place.from_dict(p) for p in json.loads(row["places"])], meta=json.loads(row["meta"]))

    _DOC_COLS = ("doc_id, text, title, outlet, published, language, url, source, content_hash,"
                 " duplicate_of, places, meta")

    def get_document(self, doc_id: str) -> Document | None:
        row = self.db.execute(f"SELECT {self._DOC_COLS}, raw FROM documents WHERE doc_id=?", (doc_id,)).fetchone()
        if not row:
            return None
        doc = self._doc(row)
        doc.raw = row["raw"]
        return doc

    def iter_documents(self, batch_size: int = 256) -> Iterator[Document]:
        last = -1
        while True:
            rows = self.db.execute(f"SELECT rowid, {self._DOC_COLS} FROM documents WHERE rowid > ? "
                                   "ORDER BY rowid LIMIT ?", (last, batch_size)).fetchall()
            if not rows:
                return
            for row in rows:
                yield self._doc(row)
            last = rows[-1]["rowid"]

    def pending_batches(self, version: str, batch_size: int) -> Iterator[list[Document]]:
        """Batches of documents this extractor version has not seen; the set is fixed when it starts,
        and one batch at a time is read (a rowid list stays small: 8 bytes a document)."""
        rowids = [r[0] for r in self.db.execute(
            "SELECT rowid FROM documents WHERE extracted_version IS NULL OR extracted_version != ? ORDER BY rowid",
            (version,))]
        for k in range(0, len(rowids), batch_size):
            chunk = rowids[k:k + batch_size]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT {self._DOC_COLS} FROM documents WHERE rowid IN ({marks}) ORDER BY rowid",
                                   chunk).fetchall()
            yield [self._doc(r) for r in rows]

    def reset_extraction(self) -> None:
        """Mark every document as not yet extracted (the next extraction redoes them all)."""
        with self.transaction():
            self.db.execute("UPDATE documents SET extracted_version=NULL")

    def document_ids(self) -> list[str]:
        """Every document's id, in the order they were stored."""
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents ORDER BY rowid")]

    def count_pending(self, version: str) -> int:
        return self.db.execute("SELECT count(*) FROM documents WHERE extracted_version IS NULL "
                               "OR extracted_version != ?", (version,)).fetchone()[0]

    # --- claims -----------------------------------------------------------------
    def write_extraction(self, doc: Document, claims: list[Claim], version: str) -> None:
        """Replace a document's claims and places (call inside a transaction). Events that held its
        old claims are dissolved; their other claims are linked again by the next ``link_new``."""
        stale = [r[0] for r in self.db.execute("SELECT DISTINCT event_id FROM claims WHERE doc_id=? AND event_id "
                                               "IS NOT NULL", (doc.doc_id,))]
        for event_id in stale:
            self.db.execute("UPDATE claims SET event_id=NULL WHERE event_id=?", (event_id,))
            self.db.execute("DELETE FROM events WHERE event_id=?", (event_id,))
        self.db.execute("DELETE FROM claims WHERE doc_id=?", (doc.doc_id,))
        self.db.execute("DELETE FROM claims_fts WHERE doc_id=?", (doc.doc_id,))
        self.db.executemany("INSERT INTO claims_fts (claim_id, doc_id, sentence, claimant) VALUES (?,?,?,?)",
                            [(c.claim_id, c.doc_id, c.sentence, c.claimant.name) for c in claims])
        self.db.executemany(
            'INSERT INTO claims (claim_id, doc_id, start, "end", type, side, certainty, published, data)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [(c.claim_id, c.doc_id, c.start, c.end, c.type, c.claimant.side, c.certainty, doc.published,
              json.dumps(c.to_dict(), ensure_ascii=False)) for c in claims])
        self.db.execute("UPDATE documents SET places=?, extracted_version=?, meta=? WHERE doc_id=?",
                        (json.dumps([p.to_dict() for p in doc.places], ensure_ascii=False), version,
                         json.dumps(doc.meta, ensure_ascii=False, sort_keys=True), doc.doc_id))

    def iter_claims(self, batch_size: int = 1000) -> Iterator[Claim]:
        last = ""
        while True:
            rows = self.db.execute("SELECT claim_id, data, event_id FROM claims WHERE claim_id > ? "
                                   "ORDER BY claim_id LIMIT ?", (last, batch_size)).fetchall()
            if not rows:
                return
            for row in rows:
                c = Claim.from_dict(json.loads(row["data"]))
                c.event_id = row["event_id"]
                yield c
            last = rows[-1]["claim_id"]

    def claims_for_document(self, doc_id: str) -> list[Claim]:
        rows = self.db.execute("SELECT data, event_id FROM claims WHERE doc_id=? ORDER BY start, claim_id",
                               (doc_id,)).fetchall()
        out = []
        for row in rows:
            c = Claim.from_dict(json.loads(row["data"]))
            c.event_id = row["event_id"]
            out.append(c)
        return out

    # --- events -----------------------------------------------------------------
    def replace_events(self, events: list[Event], keys: list[tuple[str, str]] | None = None) -> None:
        """Replace every event (a rebuild), and the block index with ``keys`` when given."""
        with self.transaction():
            self.db.execute("UPDATE claims SET event_id=NULL")
            self.db.execute("DELETE FROM event_sides")
            self.db.execute("DELETE FROM events")
            self.db.execute("DELETE FROM link_keys")
            self._insert_events(events)
            if keys:
                self.db.executemany("INSERT INTO link_keys (key, claim_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                    keys)

    @staticmethod
    def _event_row(e: Event) -> tuple:
        from claimledger.resolve.translit import fold
        located = next((p for p in e.places if p.lat is not None and p.kind not in ("country", "continent")), None)
        names = {fold(n) for p in e.places for n in (p.name, p.mention) if n}
        return (e.event_id, e.type, e.status, e.when.start if e.when else None, len(e.claim_ids), len(e.sources),
                json.dumps(e.to_dict(), ensure_ascii=False), "," + ",".join(sorted({s["side"] for s in e.sources})) + ",",
                "," + ",".join(sorted(names)) + ",", len(e.contradictions),
                located.lat if located else None, located.lon if located else None)

    def apply_events(self, removed: list[str], events: list[Event], keys: list[tuple[str, str]]) -> None:
        """Replace the events ``removed`` by ``events`` and index new claims' block ``keys``
        (``(key, claim_id)``): what linking a batch of new documents changes."""
        with self.transaction():
            for chunk, marks in _chunks(removed):
                self.db.execute(f"UPDATE claims SET event_id=NULL WHERE event_id IN ({marks})", chunk)
                self.db.execute(f"DELETE FROM events WHERE event_id IN ({marks})", chunk)
            self._insert_events(events)
            self.db.executemany("INSERT INTO link_keys (key, claim_id) VALUES (?, ?) ON CONFLICT DO NOTHING", keys)

    def _insert_events(self, events: list[Event]) -> None:
        for chunk, marks in _chunks([e.event_id for e in events]):  # an event written again: its sides anew
            self.db.execute(f"DELETE FROM event_sides WHERE event_id IN ({marks})", chunk)
        self.db.executemany(
            "INSERT INTO events (event_id, type, status, start, n_claims, n_sources, data, sides, places,"
            " n_contradictions, lat, lon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (event_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in ("type", "status", "start", "n_claims", "n_sources", "data",
                                                         "sides", "places", "n_contradictions", "lat", "lon")),
            [self._event_row(e) for e in events])
        self.db.executemany(
            "INSERT INTO event_sides (side, type, status, start, event_id) VALUES (?,?,?,?,?) "
            "ON CONFLICT DO NOTHING",
            [(side, e.type, e.status, e.when.start if e.when else None, e.event_id)
             for e in events for side in sorted({s["side"] for s in e.sources})])
        self.db.executemany("UPDATE claims SET event_id=? WHERE claim_id=?",
                            [(e.event_id, cid) for e in events for cid in e.claim_ids])

    def _column_in(self, sql: str, values: list[str]) -> list:
        """First column of ``sql`` (with one ``IN ({marks})``) over ``values``, in chunks, sorted, distinct."""
        out: set = set()
        for chunk, marks in _chunks(values):
            out.update(r[0] for r in self.db.execute(sql.format(marks=marks), chunk))
        return sorted(out)

    def link_candidates(self, keys: list[str]) -> list[str]:
        """Claims already in an event that sit in any of these blocks."""
        return self._column_in("SELECT l.claim_id FROM link_keys l JOIN claims c USING (claim_id) "
                               "WHERE l.key IN ({marks}) AND c.event_id IS NOT NULL", keys)

    def event_members(self, claim_ids: list[str]) -> dict[str, list[str]]:
        """The events of these claims: event id -> all its claim ids."""
        events = self._column_in("SELECT event_id FROM claims WHERE claim_id IN ({marks}) AND event_id IS NOT NULL",
                                 claim_ids)
        out: dict[str, list[str]] = {e: [] for e in events}
        for chunk, marks in _chunks(events):
            for event_id, claim_id in self.db.execute(
                    f"SELECT event_id, claim_id FROM claims WHERE event_id IN ({marks}) ORDER BY claim_id", chunk):
                out[event_id].append(claim_id)
        return out

    def has_events(self) -> bool:
        return self.db.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None

    def unlinked_documents(self) -> list[str]:
        """Documents (in ingestion order) with claims not yet in any event."""
        return [r[0] for r in self.db.execute(  # through the event_id index: the cost of the new, not the ledger
            "SELECT d.doc_id FROM documents d WHERE d.doc_id IN (SELECT doc_id FROM claims WHERE event_id IS NULL) "
            "ORDER BY d.rowid")]

    def link_documents(self, doc_ids: list[str] | None = None) -> tuple[list[str], dict[str, Any]]:
        """(documents in ingestion order, their linker metadata: published, duplicate_of, title, places, outlet)."""
        cols = "rowid, doc_id, published, duplicate_of, title, places, outlet FROM documents"
        if doc_ids is None:
            rows = self.db.execute(f"SELECT {cols} ORDER BY rowid").fetchall()
        else:
            rows = sorted((r for chunk, marks in _chunks(doc_ids)
                           for r in self.db.execute(f"SELECT {cols} WHERE doc_id IN ({marks})", chunk)),
                          key=lambda r: r[0])
        order = [r[1] for r in rows]
        return order, {r[1]: (r[2], r[3], r[4], [Place.from_dict(p) for p in json.loads(r[5])], r[6]) for r in rows}

    def claims_of_documents(self, doc_ids: list[str]) -> list[Claim]:
        out = []
        for chunk, marks in _chunks(doc_ids):
            for row in self.db.execute(f"SELECT data, event_id FROM claims WHERE doc_id IN ({marks}) "
                                       "ORDER BY doc_id, start, claim_id", chunk):
                c = Claim.from_dict(json.loads(row[0]))
                c.event_id = row[1]
                out.append(c)
        return out

    def claim_ids_of_documents(self, doc_ids: list[str]) -> list[str]:
        return self._column_in("SELECT claim_id FROM claims WHERE doc_id IN ({marks})", doc_ids)

    def blocked_claims(self, claim_ids: list[str]) -> list[str]:
        """Those of these claims that sit in the linker's blocks (``link_keys``)."""
        return self._column_in("SELECT claim_id FROM link_keys WHERE claim_id IN ({marks})", claim_ids)

    def docs_of_claims(self, claim_ids: list[str]) -> list[str]:
        return self._column_in("SELECT doc_id FROM claims WHERE claim_id IN ({marks})", claim_ids)

    def iter_events(self) -> Iterator[dict[str, Any]]:
        for row in self.db.execute("SELECT data FROM events ORDER BY event_id"):
            yield json.loads(row[0])

    # --- reports ----------------------------------------------------------------
    def rejections(self) -> list[Rejection]:
        rows = self.db.execute("SELECT source, line, code, message FROM rejections ORDER BY source, line, code")
        return [Rejection(r[0], r[2], r[3], r[1] or None) for r in rows]

    def count(self, table: str) -> int:
        if table not in ("documents", "claims", "events", "rejections"):
            raise ValueError(table)
        return self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def group_counts(self, sql_expr: str, table: str = "documents") -> list[tuple[Any, int]]:
        """Counts grouped by a fixed expression (callers pass constants, never user input)."""
        return [tuple(r) for r in self.db.execute(
            f"SELECT {sql_expr} AS k, count(*) AS n FROM {table} GROUP BY k ORDER BY n DESC, k")]
