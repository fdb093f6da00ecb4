"""Selecting and showing events for the command line."""
from __future__ import annotations

import re

from claimledger.errors import UsageError
from claimledger.model import CLAIM_TYPES
from claimledger.resolve import translit

STATUSES = ("corroborated", "single_source", "contested")


def filter_events(ledger, status: str | None = None, place: str | None = None, since: str | None = None,
                  type_: str | None = None) -> list[dict]:
    """Events matching every given filter, newest first. ``place`` matches any spelling."""
    if status and status not in STATUSES:
        raise UsageError("E040", what="status", value=status, choices=", ".join(STATUSES))
    if type_ and type_ not in CLAIM_TYPES:
        raise UsageError("E040", what="type", value=type_, choices=", ".join(CLAIM_TYPES))
    if since and not re.match(r"^\d{4}-\d{2}-\d{2}$", since):
        raise UsageError("E040", what="date", value=since, choices="YYYY-MM-DD")
    wanted = None
    if place:
        from claimledger.resolve.gazetteer import gazetteer
        g = gazetteer()
        ids = {e.id for e in g.lookup(place, fuzzy=True)}
        region = g.region(place)
        if region:
            ids.add(region.id)
        wanted = (ids, translit.fold(place))
    out = []
    for e in ledger.iter_events():
        if status and e["status"] != status:
            continue
        if type_ and e["type"] != type_:
            continue
        if since and (not e["when"] or e["when"]["end"] < since):
            continue
        if wanted and not any(p.get("gazetteer_id") in wanted[0] or translit.fold(p.get("name") or "") == wanted[1]
                              for p in e["places"]):
            continue
        out.append(e)
    out.sort(key=lambda e: ((e["when"] or {}).get("start") or "", len(e["claim_ids"])), reverse=True)
    return out


def render_events(events: list[dict], console, total: int | None = None) -> None:
    from rich.table import Table

    t = Table(title=f"Events ({len(events)} of {total if total is not None else len(events)})")
    for col in ("event", "status", "type", "date", "places", "claims", "sources", "estimates"):
        t.add_column(col)
    for e in events:
        when = e["when"]["start"] if e["when"] else "—"
        places = ", ".join(p["name"] for p in e["places"][:3]) or "—"
        sources = "; ".join(f"{s['name']} ({s['side']})" for s in e["sources"][:3])
        est = "; ".join(f"{x['category']} {x['unit']} {x['party']}: {_fmt(x)}" for x in e["estimates"][:2]) or "—"
        t.add_row(e["event_id"], e["status"], e["type"], when, places, str(len(e["claim_ids"])), sources, est)
    console.print(t)


def _fmt(x: dict) -> str:
    num = lambda v: "?" if v is None else f"{v:g}"  # noqa: E731
    return f"{num(x['low'])}/{num(x['best'])}/{num(x['high'])}"
