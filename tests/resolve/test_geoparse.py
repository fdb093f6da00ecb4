"""Places: transliterations, renamings, misspellings, regions, features, disambiguation."""
from __future__ import annotations

import pytest

from claimledger.resolve import translit
from claimledger.resolve.gazetteer import gazetteer
from tests.conftest import analyse


@pytest.mark.parametrize("cyrillic,uk,ru", [
    ("Ізюм", "Izium", None), ("Изюм", None, "Izyum"), ("Купянск", None, "Kupyansk"),
    ("Куп’янськ", "Kupiansk", None), ("Балаклія", "Balakliia", None), ("Харьков", None, "Kharkov"),
])
def test_transliteration(cyrillic, uk, ru):
    if uk:
        assert translit.ukrainian(cyrillic) == uk
    if ru:
        assert translit.russian(cyrillic) == ru


@pytest.mark.parametrize("a,b", [("Kupyansk", "Kupiansk"), ("Balakleya", "Balakliia"), ("Izyum", "Izium"),
                                 ("Lyptsi", "Liptsy")])
def test_fold_joins_spellings(a, b):
    assert translit.fold(a) == translit.fold(b)


@pytest.mark.parametrize("name,canonical,spelling", [
    ("Izyum", "Izium", "ru"), ("Izium", "Izium", "ua"), ("Kupyansk", "Kupiansk", "ru"), ("Kharkov", "Kharkiv", "ru"),
    ("Kiev", "Kyiv", "ru"), ("Krasnoarmeysk", "Pokrovsk", "ru"), ("Artemovsk", "Bakhmut", "ru"),
    ("Dnepropetrovsk", "Dnipro", "ru"), ("Kirovograd", "Kropyvnytskyi", "ru"), ("Volchansk", "Vovchansk", "ru"),
    ("Balakleya", "Balakliia", "ru"),
])
def test_gazetteer_lookup_and_spelling(name, canonical, spelling):
    g = gazetteer()
    hits = g.lookup(name)
    best = max(hits, key=lambda e: (e.country == "UA", e.population))
    assert best.name == canonical and best.country == "UA"
    assert g.spelling(name, best) == spelling


def places(nlp, text):
    return [(p.mention, p.name, p.kind, p.country) for p in analyse(nlp, text)._.places]


@pytest.mark.parametrize("text,expected", [
    ("Ukrainian soldiers were encircled in Krasnarmeysk in Donetsk.",
     [("Krasnarmeysk", "Pokrovsk", "city", "UA"), ("Donetsk", "Donetsk", "city", "UA")]),
    ("Russian forces struck a training ground near the city of Poltava.", [("Poltava", "Poltava", "city", "UA")]),
    ("Fighting continued in the Kharkiv region and the Donbass region.",
     [("Kharkiv region", "Kharkiv Oblast", "region", "UA"), ("Donbass region", "Donbas", "region", "UA")]),
    ("A bridge over the Oskil River was damaged near the Zaporizhzhia Nuclear Power Plant.",
     [("Oskil River", "Oskil River", "river", "UA"),
      ("Zaporizhzhia Nuclear Power Plant", "Zaporizhzhia Nuclear Power Plant", "facility", "UA")]),
    ("Balakliia in Kharkiv Oblast was retaken.",
     [("Balakliia", "Balakliia", "city", "UA"), ("Kharkiv Oblast", "Kharkiv Oblast", "region", "UA")]),
])
def test_places_in_text(nlp, text, expected):
    assert places(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "The meeting of the Moscow-led CSTO alliance ended.",  # an adjective
    "Kyiv said the attack was repelled.",  # the government speaking
    "A Washington-based think tank said so.",
    "Dmytro Orlov said power was restored.",  # a person
])
def test_not_places(nlp, text):
    assert [p for p in analyse(nlp, text)._.places if p.kind not in ("country", "continent")] == []


def test_balakliia_prefers_the_kharkiv_town(nlp):
    doc = analyse(nlp, "Ukrainian troops reclaimed Balakliya, south-east of Kharkiv, on Thursday.")
    bal = next(p for p in doc._.places if p.mention == "Balakliya")
    assert bal.admin1 == "Kharkiv Oblast" and abs(bal.lat - 49.46) < 0.1


def test_unresolvable_mention_is_kept_without_coordinates(nlp):
    doc = analyse(nlp, "Ukrainian forces advanced from Kupiansk, then towards Zzyzxovka in the north.")
    names = {p.mention: p for p in doc._.places}
    assert "Kupiansk" in names and names["Kupiansk"].lat is not None
    assert all(p.lat is not None or p.gazetteer_id is None for p in doc._.places)


def test_countries_have_no_invented_coordinates(nlp):
    doc = analyse(nlp, "Germany will assist Ukraine in removing munitions.")
    germany = next(p for p in doc._.places if p.mention == "Germany")
    assert (germany.kind, germany.country, germany.lat) == ("country", "DE", None)
