"""The knowledge files, compiled once into fast lookups for the extraction components."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimledger.resources import data_path, load_json


def phrase_regex(phrases, flags=re.IGNORECASE) -> re.Pattern:
    """One alternation of whole-word phrases, longest first."""
    alts = sorted({p.strip() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return re.compile(r"(?<![\w'’-])(?:" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts)
                      + r")(?![\w-])", flags)


@dataclass(frozen=True)
class Role:
    title: str
    side: str
    start: str
    end: str


@dataclass(frozen=True)
class Actor:
    name: str
    side: str
    kind: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]
    org: str | None = None  # the institution a person speaks for


@lru_cache(maxsize=1)
def actors() -> tuple[Actor, ...]:
    out = []
    with data_path("actors.tsv").open(encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            cols += [""] * (len(header) - len(cols))
            name, side, kind, type_, aliases, roles, org = cols[:7]
            role_objs = []
            for r in filter(None, roles.split("|")):
                title, rside, start, end = (r.split("@") + ["", "", ""])[:4]
                role_objs.append(Role(title, rside, start, end))
            alias_set = {a.strip().lower() for a in aliases.split("|") if a.strip()} | {name.lower()}
            out.append(Actor(name, side, kind, type_, tuple(sorted(alias_set)), tuple(role_objs), org or None))
    return tuple(out)


@lru_cache(maxsize=1)
def actor_index() -> dict[str, Actor]:
    """Lower-case alias → actor (the first actor listed wins on a shared alias)."""
    index: dict[str, Actor] = {}
    for a in actors():
        for alias in a.aliases:
            index.setdefault(alias, a)
    return index


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names (data/given_names.txt plus the actor table's people), for people the NER misses."""
    text = data_path("given_names.txt").read_text(encoding="utf-8")
    names = {w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    names |= {a.name.split()[0] for a in actors() if a.type == "person" and len(a.name.split()) > 1}
    return frozenset(names)


@lru_cache(maxsize=1)
def actor_regex() -> re.Pattern:
    return phrase_regex(actor_index().keys())


@lru_cache(maxsize=1)
def cues() -> dict:
    return load_json("cues.json")


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    return frozenset(cues()["speech_verbs"])


@lru_cache(maxsize=1)
def sides() -> dict:
    return load_json("sides.json")


@lru_cache(maxsize=1)
def side_words() -> dict[str, str]:
    """Lower-case word → side (RU, UA, THIRD); CIV words are kept apart."""
    s = sides()
    return {w: side for side in ("RU", "UA", "THIRD") for w in s[side]}


@lru_cache(maxsize=1)
def claim_types() -> dict:
    return load_json("claim_types.json")


@lru_cache(maxsize=1)
def quantity_lexicon() -> dict:
    return load_json("quantities.json")


@lru_cache(maxsize=1)
def compiled() -> dict[str, re.Pattern]:
    c = cues()
    return {
        "hedge": phrase_regex(c["hedges"]),
        "denial": phrase_regex(c["denials"]),
        "unverified": phrase_regex(c["unverified"]),
        "commentary": phrase_regex(c["commentary"]),
        "according": phrase_regex(c["according_to"]),
        "citing": phrase_regex(c["citing"]),
    }


@lru_cache(maxsize=1)
def affiliations() -> dict[str, str]:
    """Actor name → the institution it speaks for (itself when none)."""
    return {a.name: a.org or a.name for a in actors()}


@lru_cache(maxsize=1)
def framing() -> dict:
    return load_json("framing.json")
