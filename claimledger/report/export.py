"""Export the ledger in the v1 export format (../shared/spec/EXPORT.md)."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from claimledger.store.ledger import Ledger


def _write_jsonl(path: Path, rows) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def export(ledger: Ledger, out_dir: str | Path) -> dict[str, int]:
    """Write documents.jsonl, claims.jsonl, events.jsonl and places.geojson into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"documents": _write_jsonl(out / "documents.jsonl",
                                        (d.to_dict() for d in ledger.iter_documents()))}
    places: dict[tuple, dict] = {}
    event_sets: dict[tuple, set] = defaultdict(set)

    def claim_rows():
        for c in ledger.iter_claims():
            for p in c.places:
                if p.lat is None or p.lon is None:
                    continue
                key = (p.name, round(p.lat, 4), round(p.lon, 4))
                feat = places.setdefault(key, {"name": p.name, "kind": p.kind, "lat": p.lat, "lon": p.lon,
                                               "country": p.country, "gazetteer_id": p.gazetteer_id,
                                               "claim_count": 0})
                feat["claim_count"] += 1
                if c.event_id:
                    event_sets[key].add(c.event_id)
            yield c.to_dict()

    counts["claims"] = _write_jsonl(out / "claims.jsonl", claim_rows())
    counts["events"] = _write_jsonl(out / "events.jsonl", ledger.iter_events())
    features = []
    for key, p in sorted(places.items(), key=lambda kv: (-kv[1]["claim_count"], kv[0][0])):
        props = {k: p[k] for k in ("name", "kind", "claim_count", "country", "gazetteer_id")}
        props["event_ids"] = sorted(event_sets[key])
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                         "properties": props})
    (out / "places.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    counts["places"] = len(features)
    return counts
