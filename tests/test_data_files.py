"""Every knowledge file loads and holds what its code expects."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from claimledger.extract.lexicon import actors, claim_types, cues, framing, quantity_lexicon, sides
from claimledger.model import CATEGORIES, CLAIM_TYPES, SIDES, SOURCE_KINDS, UNITS
from claimledger.resolve.gazetteer import gazetteer
from claimledger.resources import load_json

DATA = resources.files("claimledger.data")


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.iterdir() if p.name.endswith(".json")))
def test_json_files_parse_and_say_what_they_are(name):
    data = json.loads(DATA.joinpath(name).read_text(encoding="utf-8"))
    assert data.get("_about") and data.get("version")


def test_actors():
    table = actors()
    assert len(table) > 150
    for a in table:
        assert a.side in ("RU", "UA", "THIRD") and a.kind in SOURCE_KINDS and a.type in ("person", "org", "state")
        for r in a.roles:
            assert r.start <= (r.end or "9999"), a.name
    names = {a.name for a in table}
    assert {a.org for a in table if a.org} <= names  # every institution a person speaks for is listed


def test_cues_and_types():
    assert set(claim_types()["triggers"]) <= set(CLAIM_TYPES) and set(claim_types()["priority"]) == set(CLAIM_TYPES)
    assert set(cues()["kind_words"]) <= set(SOURCE_KINDS)
    assert set(sides()) >= {"RU", "UA", "THIRD", "CIV"}
    q = quantity_lexicon()
    from claimledger.extract.quantities import EXPORTED_UNIT
    assert {EXPORTED_UNIT.get(u, u) for u in q["units"].values()} <= set(UNITS)
    assert set(q["categories"]) <= set(CATEGORIES)
    assert set(q["toll_verbs"].values()) <= {"exact", "lower", "upper", "approx"}
    assert all(set(m.values()) <= set(CATEGORIES) for m in q["category_aliases"].values())
    assert set(framing()["frames"]) and all(len(p) == 2 for p in framing()["opposed_outcomes"])


def test_every_renaming_and_region_resolves():
    g = gazetteer()
    for a in load_json("renamings.json")["aliases"]:
        assert g.lookup(a["alias"]), a["alias"]
        assert g.spelling(a["alias"], g.lookup(a["alias"])[0]) == a["style"], a["alias"]
    for r in load_json("regions.json")["regions"]:
        assert g.region(r["names"][0]).name == r["name"]
    for f in load_json("features.json")["features"]:
        assert g.lookup(f["aliases"][0])[0].name == f["name"]
    assert all(s in SIDES for s in ("RU", "UA", "THIRD", "UNKNOWN"))


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_language_files(lang):
    """data/lang/{ru,uk}.json: the same keys in both, every label one the model knows, every
    oblast one the gazetteer has; actors_cyrillic.tsv names only actors of actors.tsv."""
    from claimledger.extract.slavic_lexicon import cyrillic_aliases, lexicon
    d = load_json(f"lang/{lang}.json")
    assert d["_about"] and d["version"]
    assert set(d) == set(load_json("lang/uk.json" if lang == "ru" else "lang/ru.json"))
    assert set(d["units"]) <= set(UNITS) and set(d["categories"]) <= set(CATEGORIES)
    assert set(d["types"]) <= set(CLAIM_TYPES) and set(d["frames"]) <= set(framing()["frames"])
    assert set(d["side_words"]) <= set(SIDES) and set(d["party_words"]) <= set(SIDES) | {"CIV"}
    g = gazetteer()
    for name in list(d["regions"].values()) + list(d["region_words"].values()):
        assert g.region(name) is not None, name
    assert sorted(d["months"].values())[0] == 1 and max(d["months"].values()) == 12
    lex = lexicon(lang)  # compiles: the aliases lemmatise, every actor named exists
    assert lex.actors and len(cyrillic_aliases()) > 30
