"""Who is a source: match a source mention to the actor table, or describe an unknown one.

``describe(text, persons, published)`` turns the words that name a source
("Russian Defense Ministry spokesman Igor Konashenkov", "the Ukrainian governor of Kharkiv",
"unnamed law enforcement sources") into a Source with a side and a kind:

1. a named person in the mention, looked up in the actor table (full name or surname);
2. else the longest actor alias in the mention (ministries, agencies, outlets);
3. else a title and a nationality ("the Russian leader", "Ukraine's top general") resolved to
   whoever held that post at the document's date — the name keeps the words as written and
   adds the identity: "Ukraine's top general (Oleksandr Syrskyi)";
4. else the mention itself, its side from nationality words, its kind from its head words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from claimledger.extract.lexicon import (Actor, actor_index, actor_regex, actors, cues, given_names, phrase_regex,
                                         side_words)

_APPOSITIVE_PERSON = re.compile(
    r"^(?P<name>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){1,2}), (?:a|an|the|who is)\b[^,]*?\b(?:spokes(?:man|woman|person)|"
    r"official|analyst|commander|minister|governor|head|mayor|advis[eo]r|expert|chief|general|journalist|correspondent|"
    r"blogger|deputy|ambassador|secretary|officer|colonel|soldier|resident|president|researcher|lawmaker)\b")
_NAME_PAIR = re.compile(r"(?<![\w'’-])([A-Z][a-z'’-]+)(?= ([A-Z][a-z'’-]+(?:-[A-Z][a-z'’-]+)?)(?![\w'’-]))")
TOWN_MIN_POPULATION = 5_000  # smaller places share their names across both countries
_DETERMINERS = re.compile(r"^(?:the|a|an|this|that|these|those)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:.—–-]+$")
_WORDS = re.compile(r"[\w.'’-]+")


@dataclass(slots=True)
class SourceInfo:
    name: str
    kind: str
    side: str
    actor: str | None = None  # canonical actor name, used to count independent sources
    type: str = "org"  # person, org or group


@lru_cache(maxsize=1)
def _kind_patterns() -> list[tuple[str, re.Pattern]]:
    c = cues()
    return [(k, phrase_regex(c["kind_words"][k])) for k in c["kind_priority"]]


@lru_cache(maxsize=1)
def _title_patterns() -> list[tuple[str, re.Pattern]]:
    titles = sorted({r.title for a in actors() for r in a.roles}, key=lambda t: (-len(t), t))  # no set order
    return [(t, phrase_regex([t, t.replace("defence", "defense")])) for t in titles]


def _sides_named(text: str) -> list[str]:
    words = side_words()
    found = []
    for w in _WORDS.findall(text.lower().replace("’", "'")):
        w = w.strip(".")
        side = words.get(w) or (words.get(w[:-2]) if w.endswith("'s") else None)
        if side:
            found.append(side)
    return found


def _both(found: list[str], text: str) -> bool:
    return "RU" in found and "UA" in found and len(text.split()) <= 6 and " and " in text.lower()


def both_sides(text: str) -> bool:
    """Both belligerents named together as one source: "Russia and Ukraine", "Moscow and Kyiv"."""
    return _both(_sides_named(text), text)


def side_of(text: str) -> str:
    """The side named by nationality words in ``text`` (the first one wins), else UNKNOWN.

    Both belligerents named together ("Russia and Ukraine") is no side: UNKNOWN."""
    found = _sides_named(text)
    return "UNKNOWN" if not found or _both(found, text) else found[0]


def region_side(text: str) -> str:
    """The country of an oblast, border region or town named in ``text`` (UA or RU), else UNKNOWN:
    "the Kharkiv Regional Prosecutor's Office", "Izyum Mayor Valeriy Marchenko", "the Kupyansk
    city administration" (a town: the most populous place of that name)."""
    from claimledger.resolve.gazetteer import gazetteer
    g = gazetteer()
    words = re.findall(r"[A-Z][\w'’-]+", text)
    for word in words:
        region = g.region(word)
        if region is not None and region.country in ("UA", "RU") and region.name not in ("Donbas", "Crimea"):
            return region.country
    for word in words:
        towns = [e for e in g.lookup(word) if e.kind == "city"]
        if towns and not side_words().get(word.lower()) and word not in given_names():  # not "Vladimir Rogov"
            town = max(towns, key=lambda e: (e.population, e.id))
            if town.country in ("UA", "RU") and town.population >= TOWN_MIN_POPULATION:
                return town.country
    return "UNKNOWN"


def kind_of(text: str) -> str:
    for kind, pattern in _kind_patterns():
        if pattern.search(text):
            return kind
    return "unknown"


def _holder(title: str, side: str, published: str | None) -> Actor | None:
    """Who held ``title`` for ``side`` on ``published`` (latest holder if the date is unknown)."""
    best, best_start = None, ""
    for a in actors():
        for r in a.roles:
            if r.title != title or (r.side != side and not (side == "THIRD" and r.side not in ("RU", "UA"))):
                continue
            if published:
                if (r.start and published < r.start) or (r.end and published > r.end):
                    continue
            elif r.end:
                continue
            if r.start >= best_start:
                best, best_start = a, r.start
    return best


def named_people(text: str) -> list[str]:
    """"Firstname Surname" pairs whose first word is a known given name (people the NER missed)."""
    names = given_names()
    return [f"{m.group(1)} {m.group(2)}" for m in _NAME_PAIR.finditer(text) if m.group(1) in names]


def lookup_person(name: str) -> Actor | None:
    key = name.lower().replace("’", "'").strip()
    index = actor_index()
    if key in index:
        return index[key]
    parts = key.split()
    if len(parts) > 1 and parts[-1] in index and index[parts[-1]].type == "person":
        return index[parts[-1]]
    return None


def clean_mention(text: str) -> str:
    text = _TRAILING.sub("", text.strip())
    if text.count("(") > text.count(")"):
        text = _TRAILING.sub("", text[:text.rindex("(")])  # "the Institute for the Study of War (ISW"
    return text.strip(" “”\"'‘’")


def _as_actor(actor: Actor, mention: str) -> SourceInfo:
    """A known actor as a source. A person goes by their canonical name; an organisation or a
    state keeps the words the text uses ("Ukrainian rescue services", "Kiev"), and the actor
    field carries the canonical identity used to count independent sources."""
    name = actor.name if actor.type == "person" else _DETERMINERS.sub("", mention)
    return SourceInfo(name, actor.kind, actor.side, actor.name, actor.type)


def describe(text: str, persons: list[str] | None = None, published: str | None = None,
             regions: list[str] | None = None) -> SourceInfo:
    """Describe the source named by ``text``; ``persons`` are PERSON entities inside it."""
    mention = clean_mention(text)
    low = mention.lower().replace("’", "'")
    if not persons:
        m = _APPOSITIVE_PERSON.match(mention)  # "Volodymyr Fitio, a Ukrainian army spokesman" (NER missed him)
        if m:
            persons = [m.group("name")]
        else:
            persons = named_people(mention)
    else:  # "Izyum Mayor Taras Melnyk": the NER took only "Melnyk"
        pairs = named_people(mention)
        persons = [next((q for q in pairs if q.endswith(" " + p)), p) if " " not in p else p for p in persons]
    # 1. a named person
    for person in persons or []:
        actor = lookup_person(person)
        if actor:  # (the NER may take "Kiev" or "Rosgvardia" for a person: then it is the actor it is)
            return _as_actor(actor, mention)
    # 2. an actor alias
    best, best_rank = None, (False, 0)
    bare = _DETERMINERS.sub("", low).strip()
    for m in actor_regex().finditer(low):
        actor = actor_index()[re.sub(r"\s+", " ", m.group(0))]
        if actor.type == "state" and m.group(0) != bare:
            continue  # "Russia said" is the state speaking; "Ukraine's top general" is not
        rest = low[m.end():].lstrip()
        if actor.type == "person" and rest and rest[0] not in ",(":
            continue  # "a Putin loyalist", "Putin's spokesman": the name only modifies the speaker
        rank = (actor.type == "person", len(m.group(0)))  # a named person is the speaker
        if best is None or rank > best_rank:
            best, best_rank = m, rank
    if best is not None and not persons:
        return _as_actor(actor_index()[re.sub(r"\s+", " ", best.group(0))], mention)
    side = side_of(low)
    # 3. a post held by someone
    if not persons:
        for title, pattern in _title_patterns():
            if pattern.search(low) or (regions and title.split(" of ")[0] in low.split() and " of " in title
                                       and title.split(" of ")[1] in regions and " of " not in low):
                post_side = side if side != "UNKNOWN" else region_side(mention)  # "the governor of Kharkiv region"
                holder = _holder(title, post_side, published) if post_side != "UNKNOWN" else None
                if holder:
                    return SourceInfo(f"{_DETERMINERS.sub('', mention)} ({holder.name})", holder.kind,
                                      holder.side, holder.name, "person")
    # 4. a description, or an unknown person
    if persons:
        name, type_ = persons[0], "person"
    else:
        name = _DETERMINERS.sub("", mention)
        head = low.split()[-1] if low.split() else ""
        type_ = "group" if head.endswith("s") and not head.endswith("ss") else "org"
    kind = kind_of(low)
    if kind == "unknown" and persons:
        kind = "official" if side != "UNKNOWN" else "unknown"
    if side == "UNKNOWN" and kind == "official" and not both_sides(low):
        side = region_side(mention)  # "the Kharkiv Regional Prosecutor's Office" is Ukrainian
    if side == "UNKNOWN" and kind == "expert":
        side = "THIRD"
    return SourceInfo(name, kind, side, None, type_)


@lru_cache(maxsize=256)
def outlet_source(outlet: str | None) -> SourceInfo:
    """The publishing outlet as the claimant of its own asserted claims."""
    if not outlet:
        return SourceInfo("the publishing outlet", "outlet", "UNKNOWN", None, "org")
    low = outlet.lower()
    index = actor_index()
    actor = index.get(low)
    if actor is None:
        for m in actor_regex().finditer(low):
            actor = index[re.sub(r"\s+", " ", m.group(0))]
            break
    if actor is not None and actor.kind == "media":
        return SourceInfo(outlet, "outlet", actor.side, actor.name, "org")
    return SourceInfo(outlet, "outlet", "UNKNOWN" if actor is None else actor.side, None, "org")
