"""A short summary of a ledger: documents by outlet, language and year; claims; rejections."""
from __future__ import annotations

from dataclasses import dataclass

from claimledger.store.ledger import Ledger


@dataclass
class Stats:
    documents: int
    duplicates: int
    claims: int
    events: int
    rejections: int
    by_outlet: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    by_year: list[tuple[str, int]]
    by_type: list[tuple[str, int]]
    by_side: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_rejection: list[tuple[str, int]]


def stats(ledger: Ledger) -> Stats:
    return Stats(
        documents=ledger.count("documents"),
        duplicates=ledger.db.execute("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0],
        claims=ledger.count("claims"),
        events=ledger.count("events"),
        rejections=ledger.count("rejections"),
        by_outlet=ledger.group_counts("coalesce(outlet, '(unknown)')"),
        by_language=ledger.group_counts("language"),
        by_year=ledger.group_counts("coalesce(substr(published, 1, 4), '(undated)')"),
        by_type=ledger.group_counts("type", "claims"),
        by_side=ledger.group_counts("side", "claims"),
        by_status=ledger.group_counts("status", "events"),
        by_rejection=ledger.group_counts("code", "rejections"),
    )


def render(s: Stats, console, top: int = 12) -> None:
    from rich.table import Table

    summary = Table(title="Ledger", show_header=False)
    for label, value in (("documents", s.documents), ("near-/exact duplicates", s.duplicates),
                         ("claims", s.claims), ("events", s.events), ("rejected inputs", s.rejections)):
        summary.add_row(label, f"{value:,}")
    console.print(summary)
    for title, rows in (("Documents by outlet", s.by_outlet), ("by language", s.by_language),
                        ("by year", s.by_year), ("Claims by type", s.by_type),
                        ("Claims by claimant side", s.by_side), ("Events by status", s.by_status),
                        ("Rejections by code", s.by_rejection)):
        if not rows:
            continue
        t = Table(title=title)
        t.add_column("value")
        t.add_column("count", justify="right")
        for k, n in rows[:top]:
            t.add_row(str(k), f"{n:,}")
        if len(rows) > top:
            t.add_row(f"… {len(rows) - top} more", f"{sum(n for _, n in rows[top:]):,}")
        console.print(t)
