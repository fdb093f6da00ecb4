"""Places in Russian and Ukrainian text, resolved on the gazetteer by lemma.

A Cyrillic name is looked up by each of its lemmas (pymorphy3's normal forms: "в Купянске" →
купянск, "з Вовчанська" → вовчанськ, "під Ізюмом" → ізюм), transliterated the way the
gazetteer indexes the place's own Cyrillic names, so no case form is listed anywhere. An
oblast is its adjective before "область" ("Харьковской области") or its one-word name
("Харківщина"), from ``data/lang/{ru,uk}.json``. Candidates are then ranked exactly as for
English (``PlaceFinder.match``: population, the front, regions and places named nearby).

A capitalised word is a place candidate when pymorphy3 knows it as a place name, when it stands
inside a sentence (not first), or after a locative preposition; people's names (pymorphy3's
Name / Surn / Patr) and the language's ``not_places`` never are.
"""
from __future__ import annotations

import bisect
import itertools

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.extract.morph import analyse
from claimledger.extract.slavic_lexicon import fold, lexicon
from claimledger.model import Place
from claimledger.resolve import translit
from claimledger.resolve.gazetteer import Entry, gazetteer
from claimledger.resolve.geoparse import Mention, PlaceFinder

FRONT = ("UA", "RU", "BY", "MD")
_PERSON = {"Name", "Surn", "Patr"}


@Language.factory("claimledger_cyrillic_places")
def make_cyrillic_places(nlp: Language, name: str):
    return CyrillicPlaceFinder(nlp.lang)


def _cyrillic_word(text: str) -> bool:
    return text[:1].isupper() and translit.is_cyrillic(text) and any(c.isalpha() for c in text)


class CyrillicPlaceFinder(PlaceFinder):
    def __init__(self, lang: str):
        self.lang = lang
        self.to_latin = translit.ukrainian if lang == "uk" else translit.russian

    def lookup(self, forms) -> tuple[list[Entry], str | None]:
        """Entries named by any of the forms (a word's lemmas: покровськ, покровський), ranked
        later by ``PlaceFinder.score``; a match only through an alternate name (Петровка → a
        place once called so) counts only when it is the form's one match. The key is the
        form looked up when only one form names places."""
        g = gazetteer()
        found: dict[str, Entry] = {}
        keys = []
        for form in forms:
            latin = self.to_latin(form[:1].upper() + form[1:])
            hits = [e for e in g.lookup(latin) if e.country in FRONT or e.population >= 100_000]
            key = translit.fold(latin)
            primary = [e for e in hits if e.kind != "city" or key in (translit.fold(e.name), translit.fold(e.ru_name or ""))
                       or translit.normalise(latin) in g.styles]
            if primary or len(hits) == 1:
                keys.append(latin)
                for e in primary or hits:
                    found.setdefault(e.id, e)
        return list(found.values()), (keys[0] if len(keys) == 1 else None)

    def person_tokens(self, doc: Doc) -> set[int]:
        """Tokens of natasha's people with a first name or patronymic among their readings
        (Ukrainian places are often tagged PER, and many read as surnames: "Куп’янська")."""
        out = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON" and any({"Name", "Patr"} & analyse(t.text, self.lang)[5]
                                              for t in ent if t.text[:1].isalpha()):
                out.update(range(ent.start, ent.end))
        return out

    def find_mentions(self, doc: Doc) -> list[Mention]:
        lex = lexicon(self.lang)
        g = gazetteer()
        lang = self.lang
        sent_starts = [s.start for s in doc.sents]
        first_of_sent = set(sent_starts)
        persons = self.person_tokens(doc)

        def sent_of(i: int) -> int:
            return sent_starts[bisect.bisect_right(sent_starts, i) - 1] if sent_starts else 0

        mentions: list[Mention] = []
        n = len(doc)
        i = 0
        while i < n:
            tok = doc[i]
            if not _cyrillic_word(tok.text) or len(tok.text) < 3 or (tok.text.isupper() and len(tok.text) < 5) \
                    or (i + 1 == n and not doc.text[tok.idx + len(tok):].strip()):
                i += 1  # short words, acronyms, a word cut off at the end of a stored text
                continue
            lemma, pos, _, forms, grams, every = analyse(tok.text, lang)
            forms = tuple(fold(f) for f in forms)
            nxt = fold(doc[i + 1].lemma_) if i + 1 < n else ""
            after = fold(doc[i + 2].lemma_) if i + 2 < n else ""
            region = next((lex.regions[f] for f in forms if f in lex.regions), None)
            if region and (nxt in lex.region_nouns or after in lex.region_nouns):
                entry = g.region(region)
                if entry is not None:
                    end = i + 2 if nxt in lex.region_nouns else i + 1
                    mentions.append(Mention(tok.idx, doc[end - 1].idx + len(doc[end - 1]), doc[i:end].text,
                                            [entry], sent_of(i), key=entry.name))
                    i = end
                    continue
            word = next((lex.region_words[f] for f in forms if f in lex.region_words), None)
            if word and g.region(word) is not None:
                entry = g.region(word)
                mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, [entry], sent_of(i), key=entry.name))
                i += 1
                continue
            country = next((lex.countries[f] for f in forms if f in lex.countries), None)
            if country:
                mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, [], sent_of(i),
                                        country=("country", country)))
                i += 1
                continue
            if any(f in lex.not_places for f in forms[:1]) or (_PERSON & grams and "Geox" not in every) \
                    or pos not in ("NOUN", "PROPN", "ADJ", "X") or i in persons \
                    or (fold(lemma),) in lex.actors:
                i += 1  # common words, people (a name, a surname, an actor), prepositions
                continue
            prev = fold(doc[i - 1].text) if i > 0 else ""
            if not ("Geox" in grams or i not in first_of_sent or prev in lex.locative):
                i += 1
                continue
            found = None
            if i + 1 < n and _cyrillic_word(doc[i + 1].text):  # two-word names: Великий Бурлук, Старый Салтов
                second = tuple(fold(f) for f in analyse(doc[i + 1].text, lang)[3])
                pairs = [f"{a} {b}" for a, b in itertools.islice(itertools.product(forms, second), 9)]
                hits, key = self.lookup(pairs)
                if hits:
                    found = (i + 2, hits, key)
            if found is None:
                hits, key = self.lookup(forms + (fold(tok.text),))
                if hits:
                    found = (i + 1, hits, key)
            if found is None:
                i += 1
                continue
            end, hits, key = found
            mentions.append(Mention(tok.idx, doc[end - 1].idx + len(doc[end - 1]), doc[i:end].text, hits,
                                    sent_of(i), key=key))
            i = end
        return mentions

    def match(self, doc: Doc) -> list[Place]:
        places = super().match(doc)
        style = "ua" if self.lang == "uk" else "ru"
        for p in places:
            if p.country == "UA" and p.kind == "city":
                p.spelling = style  # which usage: the language itself
        return places
