"""Reconciliation: claims from many documents grouped into events (see link.py, summarise.py)."""
from __future__ import annotations

from claimledger.model import Claim, Event
from claimledger.reconcile.link import features, link
from claimledger.reconcile.summarise import summarise


def reconcile(claims: list[Claim], published: dict[str, str | None], duplicate_of: dict[str, str | None],
              rule: str = "ucdp") -> list[Event]:
    """Group ``claims`` into events. ``published``/``duplicate_of`` map doc ids to their values."""
    feats = [features(i, c, published.get(c.doc_id), duplicate_of.get(c.doc_id)) for i, c in enumerate(claims)]
    groups, contradictions = link(feats)
    events = []
    for members in groups:
        group = [feats[i] for i in sorted(members)]
        inside = set(members)
        pairs = {p for p in contradictions if p[0] in inside and p[1] in inside}
        events.append(summarise(group, pairs, rule))
    return sorted(events, key=lambda e: e.event_id)


def reconcile_ledger(ledger, rule: str = "ucdp") -> int:
    """Re-group every claim in the ledger; return the number of events."""
    published, duplicate_of = {}, {}
    for row in ledger.db.execute("SELECT doc_id, published, duplicate_of FROM documents"):
        published[row[0]] = row[1]
        duplicate_of[row[0]] = row[2]
    events = reconcile(list(ledger.iter_claims()), published, duplicate_of, rule)
    ledger.replace_events(events)
    return len(events)
