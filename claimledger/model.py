"""The records that pass between claimledger's stages.

Each record mirrors one shape of the export format (../shared/spec/EXPORT.md);
``to_dict`` gives exactly the exported fields, ``from_dict`` reads them back.
"""
from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

SIDES = ("RU", "UA", "THIRD", "UNKNOWN")
LANGUAGES = ("en", "ru", "uk")  # the languages claimledger reads; documents in others are stored, not analysed
CLAIM_TYPES = ("casualties", "equipment", "territory", "strike", "movement",
               "infrastructure", "humanitarian", "statement", "other")
CERTAINTIES = ("asserted", "attributed", "hedged", "disputed")
SOURCE_KINDS = ("official", "media", "anonymous", "expert", "social", "outlet", "unknown")
UNITS = ("persons", "vehicles", "artillery", "aircraft", "drones", "equipment",
         "settlements", "areas", "km", "km2", "other")
CATEGORIES = ("killed", "wounded", "captured", "missing", "losses", "destroyed", "damaged",
              "seized", "advanced", "withdrawn", "deployed", "evacuated", "other")
PARTIES = ("RU", "UA", "CIV", "UNKNOWN")
BOUNDS = ("exact", "lower", "upper", "range", "approx")
PLACE_KINDS = ("city", "region", "country", "river", "facility", "other", "continent")


@dataclass(slots=True)
class Place:
    mention: str
    name: str
    kind: str
    lat: float | None
    lon: float | None
    country: str | None = None
    admin1: str | None = None
    gazetteer_id: str | None = None
    # Not in the contract's required fields, but exported (fields may be added):
    start: int | None = None  # offset of the mention in the document text
    spelling: str | None = None  # "ru" / "ua" / None: which transliteration the source used

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Place:
        return cls(**{k: d.get(k) for k in cls.__slots__})


class PlacesByOffset:
    """A text's places looked up by character range in log time (a scan per sentence or claim
    is quadratic in long texts); each range comes back in the places' own order. A place
    without an offset counts as at 0."""

    def __init__(self, places: Iterable[Place]):
        self.places = list(places)
        self.order = sorted(range(len(self.places)), key=lambda k: (self.places[k].start or 0, k))
        self.starts = [self.places[k].start or 0 for k in self.order]

    def between(self, lo: int, hi: int) -> list[Place]:
        """The places starting at ``lo`` or after and before ``hi``."""
        found = self.order[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]
        return [self.places[k] for k in sorted(found)]


@dataclass(slots=True)
class Source:
    """One link of an attribution chain: who says it."""
    name: str
    kind: str = "unknown"
    side: str = "UNKNOWN"
    actor: str | None = None  # canonical identity in the actor table, when known

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "side": self.side, "actor": self.actor}


@dataclass(slots=True)
class Attribution:
    """The claimant of a claim and the chain of cited sources behind it (nearest first)."""
    name: str
    kind: str = "unknown"
    side: str = "UNKNOWN"
    via: list[Source] = field(default_factory=list)
    actor: str | None = None  # canonical identity in the actor table, when known

    @property
    def origin(self) -> Source:
        """The original source: the end of the chain."""
        return self.via[-1] if self.via else Source(self.name, self.kind, self.side, self.actor)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "side": self.side,
                "via": [v.to_dict() for v in self.via], "actor": self.actor}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        return cls(d["name"], d.get("kind", "unknown"), d.get("side", "UNKNOWN"),
                   [Source(**v) for v in d.get("via") or []], d.get("actor"))


@dataclass(slots=True)
class Quantity:
    text: str
    value: float
    low: float | None = None
    high: float | None = None
    bound: str = "exact"
    unit: str = "other"
    category: str = "other"
    party: str = "UNKNOWN"
    start: int | None = None  # offset in the document text (added field)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("value", "low", "high"):
            v = d[k]
            if isinstance(v, float) and v.is_integer():
                d[k] = int(v)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Quantity:
        return cls(**{k: d.get(k) for k in cls.__slots__ if k in d})


@dataclass(slots=True)
class When:
    start: str
    end: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Claim:
    claim_id: str
    doc_id: str
    sentence: str
    start: int
    end: int
    type: str
    claimant: Attribution
    certainty: str
    quantities: list[Quantity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    when: When | None = None
    event_id: str | None = None
    terms: list[str] = field(default_factory=list)  # framing terms found in the sentence

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id, "doc_id": self.doc_id, "sentence": self.sentence,
            "start": self.start, "end": self.end, "type": self.type,
            "claimant": self.claimant.to_dict(), "certainty": self.certainty,
            "quantities": [q.to_dict() for q in self.quantities],
            "places": [p.to_dict() for p in self.places],
            "when": self.when.to_dict() if self.when else None,
            "event_id": self.event_id, "terms": list(self.terms),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        return cls(
            claim_id=d["claim_id"], doc_id=d["doc_id"], sentence=d["sentence"],
            start=d["start"], end=d["end"], type=d["type"],
            claimant=Attribution.from_dict(d["claimant"]), certainty=d["certainty"],
            quantities=[Quantity.from_dict(q) for q in d.get("quantities") or []],
            places=[Place.from_dict(p) for p in d.get("places") or []],
            when=When(**d["when"]) if d.get("when") else None,
            event_id=d.get("event_id"), terms=list(d.get("terms") or []),
        )


@dataclass(slots=True)
class Document:
    doc_id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str = "und"
    url: str | None = None
    source: str | None = None  # where it came from: a path, "path:line", or "<stdin>:line"
    raw: str | None = None  # the input as read, before cleaning
    content_hash: str = ""
    duplicate_of: str | None = None
    places: list[Place] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list["Rejection"] = field(default_factory=list)  # repairs made on the way in (W-codes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id, "title": self.title, "outlet": self.outlet,
            "published": self.published, "language": self.language, "text": self.text,
            "places": [p.to_dict() for p in self.places], "duplicate_of": self.duplicate_of,
            "url": self.url,
        }


@dataclass(slots=True)
class Estimate:
    unit: str
    category: str
    party: str
    low: float | None
    best: float | None
    high: float | None
    claim_ids: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    event_id: str
    type: str
    claim_ids: list[str]
    places: list[Place] = field(default_factory=list)
    when: When | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    status: str = "single_source"
    estimates: list[Estimate] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    framing: dict[str, list[str]] = field(default_factory=dict)
    status_reason: str = ""
    spellings: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id, "type": self.type, "claim_ids": list(self.claim_ids),
            "places": [p.to_dict() for p in self.places],
            "when": self.when.to_dict() if self.when else None,
            "sources": self.sources, "status": self.status,
            "estimates": [e.to_dict() for e in self.estimates],
            "contradictions": self.contradictions, "framing": self.framing,
            "status_reason": self.status_reason, "spellings": self.spellings,
            "n_sources": len(self.sources),
            "sides": sorted({s["side"] for s in self.sources}),
        }


@dataclass(slots=True)
class Rejection:
    """An input that could not be ingested, and why."""
    source: str
    code: str
    message: str
    line: int | None = None
