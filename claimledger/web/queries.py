"""Read-only queries behind the web pages. Every value from a request is a bound parameter;
sort orders and filters map to fixed SQL fragments, never to request text."""
from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from claimledger.errors import UsageError
from claimledger.model import CLAIM_TYPES, SIDES
from claimledger.resolve.translit import fold
from claimledger.store.ledger import Ledger, is_postgres

STATUSES = ("corroborated", "single_source", "contested")
SORTS = {"date": "start DESC NULLS LAST, n_claims DESC, event_id",
         "claims": "n_claims DESC, start DESC NULLS LAST, event_id",
         "sources": "n_sources DESC, n_claims DESC, event_id",
         "contested": "n_contradictions DESC, n_claims DESC, event_id"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Filters:
    """Filters carried in the URL. Unknown values are refused with E040, not ignored."""
    type: str | None = None
    status: str | None = None
    side: str | None = None
    place: str | None = None
    since: str | None = None
    until: str | None = None
    sort: str = "date"
    page: int = 1
    per_page: int = 50

    def __post_init__(self):
        for name, value, choices in (("type", self.type, CLAIM_TYPES), ("status", self.status, STATUSES),
                                     ("side", self.side, SIDES), ("sort", self.sort, tuple(SORTS))):
            if value and value not in choices:
                raise UsageError("E040", what=name, value=value, choices=", ".join(choices))
        for name, value in (("since", self.since), ("until", self.until)):
            if value and not _DATE.match(value):
                raise UsageError("E040", what=name, value=value, choices="a date as YYYY-MM-DD")
        self.page = max(1, min(self.page, 10_000))
        self.per_page = max(1, min(self.per_page, 500))

    def as_query(self) -> dict:
        return {k: v for k, v in (("type", self.type), ("status", self.status), ("side", self.side),
                                  ("place", self.place), ("since", self.since), ("until", self.until)) if v}


class Store:
    """One read-only ledger connection per thread; results cached until the ledger changes."""

    def __init__(self, path: str):
        self.path = path
        self.is_file = not is_postgres(path)  # an SQLite file can be replaced under us; a server cannot
        self.local = threading.local()
        Ledger(path, readonly=True).close()  # fail early (E020/E021/E026) when it cannot be opened

    @property
    def ledger(self) -> Ledger:
        """This thread's connection, opened again when an SQLite file was replaced (deleted and rebuilt)."""
        identity = None
        if self.is_file:
            try:
                st = os.stat(self.path)
                identity = (st.st_dev, st.st_ino)
            except OSError:  # gone
                pass
        ledger = getattr(self.local, "ledger", None)
        if ledger is not None and self.local.identity != identity:
            ledger.close()
            ledger = None
        if ledger is None:
            ledger = self.local.ledger = Ledger(self.path, readonly=True)
            self.local.identity = identity
        return ledger

    def version(self) -> tuple:
        return self.ledger.revision()

    def q(self, sql: str, params: tuple | list = ()) -> list:
        return self.ledger.db.execute(sql, params).fetchall()

    # --- overview --------------------------------------------------------------
    def overview(self, f: Filters) -> dict:
        return _overview(self, self.version(), f.type, f.side, f.since, f.until)

    # --- events ------------------------------------------------------------------
    def event_where(self, f: Filters) -> tuple[str, list]:
        return _where((("type = ?", f.type), ("status = ?", f.status),
                       ("instr(sides, ?) > 0", f",{f.side}," if f.side else None),
                       ("instr(places, ?) > 0", f",{fold(f.place)}," if f.place else None),
                       ("start >= ?", f.since), ("start <= ?", f.until)))

    def events(self, f: Filters) -> dict:
        where, params = self.event_where(f)
        total = self.q(f"SELECT count(*) FROM events{where}", params)[0][0]
        rows = self.q(f"SELECT data FROM events{where} ORDER BY {SORTS[f.sort]} LIMIT ? OFFSET ?",
                      params + [f.per_page, (f.page - 1) * f.per_page])
        return {"total": total, "page": f.page, "per_page": f.per_page, "events": [json.loads(r[0]) for r in rows]}

    def map_markers(self, f: Filters) -> list[dict]:
        """One marker per location: its largest event (a click opens it), how many events share the
        spot, the most telling status there (contested > corroborated > single source), most sources."""
        return _markers(self, self.version(), f.type, f.status, f.side, f.since, f.until)

    def event(self, event_id: str) -> dict | None:
        row = self.q("SELECT data FROM events WHERE event_id = ?", (event_id,))
        if not row:
            return None
        event = json.loads(row[0][0])
        claims = [json.loads(r[0]) for r in self.q("SELECT data FROM claims WHERE event_id = ? ORDER BY published "
                                                   "NULLS FIRST, doc_id, start, claim_id", (event_id,))]
        doc_ids = sorted({c["doc_id"] for c in claims})
        docs = self.documents_meta(doc_ids)
        for c in claims:
            c["document"] = docs.get(c["doc_id"])
        columns = {side: [c for c in claims if c["claimant"]["side"] == side] for side in ("RU", "UA", "THIRD", "UNKNOWN")}
        per_doc: dict[str, int] = {}
        for c in claims:
            per_doc[c["doc_id"]] = per_doc.get(c["doc_id"], 0) + 1
        timeline = sorted(({**docs[d], "claims": n} for d, n in per_doc.items() if d in docs),
                          key=lambda t: (t["published"] is None, t["published"] or "", t["doc_id"]))
        return {"event": event, "columns": columns, "documents": [docs[d] for d in doc_ids if d in docs],
                "timeline": timeline}

    # --- claims and documents ----------------------------------------------------
    def documents_meta(self, doc_ids: list[str]) -> dict[str, dict]:
        if not doc_ids:
            return {}
        marks = ",".join("?" * len(doc_ids))
        rows = self.q(f"SELECT doc_id, title, outlet, published, language, url, duplicate_of FROM documents "
                      f"WHERE doc_id IN ({marks})", doc_ids)
        return {r[0]: {"doc_id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "language": r[4],
                       "url": r[5], "duplicate_of": r[6]} for r in rows}

    def claim(self, claim_id: str) -> dict | None:
        row = self.q("SELECT data, event_id FROM claims WHERE claim_id = ?", (claim_id,))
        if not row:
            return None
        claim = json.loads(row[0][0])
        claim["event_id"] = row[0][1]
        doc = self.document_row(claim["doc_id"])
        return {"claim": claim, "document": doc,
                "segments": segments(doc["text"], [(claim["start"], claim["end"], claim["claim_id"])]) if doc else []}

    def document_row(self, doc_id: str) -> dict | None:
        rows = self.q("SELECT doc_id, title, outlet, published, language, url, duplicate_of, text, places, source, "
                      "meta FROM documents WHERE doc_id = ?", (doc_id,))
        if not rows:
            return None
        r = rows[0]
        return {"doc_id": r[0], "title": r[1], "outlet": r[2], "published": r[3], "language": r[4], "url": r[5],
                "duplicate_of": r[6], "text": r[7], "places": json.loads(r[8]), "source": r[9],
                "meta": json.loads(r[10])}

    def document(self, doc_id: str) -> dict | None:
        doc = self.document_row(doc_id)
        if doc is None:
            return None
        claims = [json.loads(r[0]) | {"event_id": r[1]} for r in
                  self.q("SELECT data, event_id FROM claims WHERE doc_id = ? ORDER BY start, claim_id", (doc_id,))]
        copies = [r[0] for r in self.q("SELECT doc_id FROM documents WHERE duplicate_of = ? ORDER BY doc_id", (doc_id,))]
        return {"document": doc, "claims": claims, "copies": copies,
                "segments": segments(doc["text"], [(c["start"], c["end"], c["claim_id"]) for c in claims])}

    # --- search ----------------------------------------------------------------
    def search(self, q: str, limit: int = 50) -> dict:
        words = [search_term(w) for w in _WORD.findall(q or "")[:12]]
        if not words:
            return {"q": q, "claims": [], "documents": []}
        claims, docs = self.ledger.search(words, limit)
        return {"q": q, "claims": [{"claim_id": r[0], "doc_id": r[1], "snippet": r[2], "claimant": r[3]} for r in claims],
                "documents": [{"doc_id": r[0], "title": r[1], "snippet": r[2]} for r in docs]}


_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)


def search_term(word: str) -> str:
    """A search word; a Russian or Ukrainian one becomes a prefix of its stem ("Купянск*"), so
    that every case form matches ("в Купянске", "Купянском")."""
    if _CYRILLIC.search(word) and len(word) >= 5:
        return word[:len(word) - (2 if len(word) >= 7 else 1)] + "*"
    return word


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[dict]:
    """The text cut into plain and claim segments, for highlighting without raw HTML."""
    out, pos = [], 0
    for start, end, claim_id in sorted(spans):
        if start < pos:
            continue
        if start > pos:
            out.append({"text": text[pos:start], "claim_id": None})
        out.append({"text": text[start:end], "claim_id": claim_id})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "claim_id": None})
    return out


def _where(conditions) -> tuple[str, list]:
    """' WHERE a = ? AND b >= ?' from (fixed SQL with one ?, value) pairs whose value is set."""
    parts = [(sql, value) for sql, value in conditions if value]
    return (" WHERE " + " AND ".join(p for p, _ in parts)) if parts else "", [v for _, v in parts]


@lru_cache(maxsize=256)
def _overview(store: Store, version: tuple, type_, side, since, until) -> dict:
    w, params = _where((("type = ?", type_), ("side = ?", side), ("published >= ?", since),
                        ("published <= ?", until)))
    by_type = store.q(f"SELECT type, count(*) FROM claims{w} GROUP BY type ORDER BY count(*) DESC, type", params)
    by_side = store.q(f"SELECT side, count(*) FROM claims{w} GROUP BY side ORDER BY count(*) DESC, side", params)
    months = store.q(f"SELECT substr(published, 1, 7) AS m, side, count(*) FROM claims{w}"
                     f"{' AND' if w else ' WHERE'} published IS NOT NULL GROUP BY m, side ORDER BY m", params)
    e, eparams = _where((("side = ?", side), ("type = ?", type_), ("start >= ?", since), ("start <= ?", until)))
    source = "event_sides" if side else "events"  # a side filter reads the indexed (side, event) table
    by_status = store.q(f"SELECT status, count(*) FROM {source}{e} GROUP BY status ORDER BY count(*) DESC, status", eparams)
    event_months = store.q(f"SELECT substr(start, 1, 7) AS m, count(*) FROM {source}{e}"
                           f"{' AND' if e else ' WHERE'} start IS NOT NULL GROUP BY m ORDER BY m", eparams)
    if side:
        contested = store.q(f"SELECT e.data FROM event_sides s JOIN events e USING (event_id) WHERE s.side = ? "
                            f"AND s.status = 'contested'{' AND s.type = ?' if type_ else ''} "
                            "ORDER BY e.n_contradictions DESC, e.n_claims DESC, e.event_id LIMIT 10",
                            [side] + ([type_] if type_ else []))
    else:
        contested = store.q(f"SELECT data FROM events{e}{' AND' if e else ' WHERE'} status = 'contested' "
                            "ORDER BY n_contradictions DESC, n_claims DESC, event_id LIMIT 10", eparams)
    totals = store.q("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims), "
                     "(SELECT count(*) FROM events)")[0]
    timeline: dict[str, dict] = {}
    for m, s, n in months:
        timeline.setdefault(m, {"month": m, "claims": 0, "events": 0, "by_side": {}})
        timeline[m]["claims"] += n
        timeline[m]["by_side"][s] = n
    for m, n in event_months:
        timeline.setdefault(m, {"month": m, "claims": 0, "events": 0, "by_side": {}})["events"] = n
    return {"totals": {"documents": totals[0], "claims": totals[1], "events": totals[2]},
            "by_type": dict(by_type), "by_side": dict(by_side), "by_status": dict(by_status),
            "timeline": [timeline[k] for k in sorted(timeline)],
            "most_contested": [json.loads(r[0]) for r in contested]}


@lru_cache(maxsize=64)
def _markers(store: Store, version: tuple, type_, status, side, since, until) -> list[dict]:
    where, params = store.event_where(Filters(type_, status, side, None, since, until))
    where = (where + " AND" if where else " WHERE") + " lat IS NOT NULL"
    # per spot: its largest event (first by claims, then id), and what all its events add up to
    rows = store.q(
        "SELECT lat, lon, event_id, type, start, n_claims, n_events, n_sources, contested, corroborated FROM ("
        "SELECT lat, lon, event_id, type, start, n_claims, count(*) OVER spot AS n_events, "
        "max(n_sources) OVER spot AS n_sources, "
        "max(CASE WHEN status = 'contested' THEN 1 ELSE 0 END) OVER spot AS contested, "
        "max(CASE WHEN status = 'corroborated' THEN 1 ELSE 0 END) OVER spot AS corroborated, "
        "row_number() OVER (PARTITION BY lat, lon ORDER BY n_claims DESC, event_id) AS k "
        f"FROM events{where} WINDOW spot AS (PARTITION BY lat, lon)) AS m "
        "WHERE k = 1 ORDER BY n_events DESC, lat, lon", params)
    out = []
    for lat, lon, event_id, type_, start, n_claims, n_events, n_sources, contested, corroborated in rows:
        out.append({"event_id": event_id, "type": type_, "date": start, "n_claims": n_claims, "n_events": n_events,
                    "n_sources": n_sources, "lat": lat, "lon": lon,
                    "status": "contested" if contested else "corroborated" if corroborated else "single_source"})
    return out
