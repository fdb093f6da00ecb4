"""The export follows ../shared/spec/EXPORT.md: every field, with its type and allowed values."""
from __future__ import annotations

import json
import re

from claimledger.model import (BOUNDS, CATEGORIES, CERTAINTIES, CLAIM_TYPES, PARTIES, PLACE_KINDS, SIDES,
                               SOURCE_KINDS, UNITS)
from tests.conftest import read_jsonl

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUM = (int, float)


def check_place(p):
    assert isinstance(p["mention"], str) and isinstance(p["name"], str)
    assert p["kind"] in PLACE_KINDS
    assert (p["lat"] is None and p["lon"] is None) or (isinstance(p["lat"], NUM) and isinstance(p["lon"], NUM))
    for k in ("country", "admin1", "gazetteer_id"):
        assert p[k] is None or isinstance(p[k], str)


def check_when(w):
    assert w is None or (DATE.match(w["start"]) and DATE.match(w["end"]) and isinstance(w["text"], str))


def test_documents(seeds_export):
    docs = read_jsonl(seeds_export / "documents.jsonl")
    assert sorted(d["doc_id"] for d in docs) == ["000_29579d2ab7160377", "001_f87c41939156ae4d",
                                                 "002_8b076f6054a706c2", "003_856e4ff5e2b4e0a7",
                                                 "004_8bebd092758b32d5"]
    for d in docs:
        assert set(d) >= {"doc_id", "title", "outlet", "published", "language", "text", "places", "duplicate_of"}
        assert d["published"] is None or DATE.match(d["published"])
        assert d["language"] == "en" and isinstance(d["text"], str) and d["text"]
        assert d["duplicate_of"] is None
        for p in d["places"]:
            check_place(p)
    cnn = next(d for d in docs if d["doc_id"].startswith("003"))
    assert cnn["outlet"] == "CNN Brasil" and cnn["title"] == "Russia sends reinforcements to Kharkiv as Ukrainians advance"


def test_claims(seeds_export):
    docs = {d["doc_id"]: d for d in read_jsonl(seeds_export / "documents.jsonl")}
    claims = read_jsonl(seeds_export / "claims.jsonl")
    assert len(claims) > 50
    assert len({c["claim_id"] for c in claims}) == len(claims)
    for c in claims:
        assert docs[c["doc_id"]]["text"][c["start"]:c["end"]] == c["sentence"]
        assert c["type"] in CLAIM_TYPES and c["certainty"] in CERTAINTIES
        cl = c["claimant"]
        assert isinstance(cl["name"], str) and cl["kind"] in SOURCE_KINDS and cl["side"] in SIDES
        for v in cl["via"]:
            assert set(v) >= {"name", "kind", "side"} and v["side"] in SIDES and v["kind"] in SOURCE_KINDS
        for q in c["quantities"]:
            assert isinstance(q["text"], str) and isinstance(q["value"], NUM)
            assert q["low"] is None or isinstance(q["low"], NUM)
            assert q["high"] is None or isinstance(q["high"], NUM)
            assert q["bound"] in BOUNDS and q["unit"] in UNITS and q["category"] in CATEGORIES
            assert q["party"] in PARTIES
        for p in c["places"]:
            check_place(p)
        check_when(c["when"])
        assert isinstance(c["event_id"], str)


def test_events_and_places(seeds_export):
    claims = {c["claim_id"]: c for c in read_jsonl(seeds_export / "claims.jsonl")}
    events = read_jsonl(seeds_export / "events.jsonl")
    assert sum(len(e["claim_ids"]) for e in events) == len(claims)
    for e in events:
        assert e["type"] in CLAIM_TYPES and e["status"] in ("corroborated", "single_source", "contested")
        assert all(claims[c]["event_id"] == e["event_id"] for c in e["claim_ids"])
        check_when(e["when"])
        for s in e["sources"]:
            assert isinstance(s["name"], str) and s["side"] in SIDES and set(s["claim_ids"]) <= set(e["claim_ids"])
        for x in e["estimates"]:
            assert set(x) >= {"unit", "category", "party", "low", "best", "high", "claim_ids"}
        for x in e["contradictions"]:
            assert len(x["claim_ids"]) == 2 and isinstance(x["reason"], str)
        for p in e["places"]:
            check_place(p)
    geo = json.loads((seeds_export / "places.geojson").read_text())
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for f in geo["features"]:
        assert f["geometry"]["type"] == "Point" and len(f["geometry"]["coordinates"]) == 2
        assert set(f["properties"]) >= {"name", "kind", "claim_count", "event_ids"}
    izium = next(f for f in geo["features"] if f["properties"]["name"] == "Izium")
    assert izium["properties"]["claim_count"] >= 5
