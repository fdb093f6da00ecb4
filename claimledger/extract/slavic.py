"""Claims in Russian and Ukrainian: who says what, how surely, about which happening.

``claimledger_slavic_claims`` is the ``ru`` / ``uk`` counterpart of ``claimledger_claims``: it
writes the same ``ClaimDraft`` records to ``Doc._.claims``, so storage, events, export and the
UI treat every language alike. It reads lemmas and case (``claimledger_morph``), names
(``claimledger_names``) and the language's word lists (``data/lang/{lang}.json``):

- **sources**: actors by any alias in any case form (``data/lang/actors_cyrillic.tsv``: Минобороны
  России = Міноборони РФ = Russian Defence Ministry), people by their names (transliterated to
  the actor table's English form, "Олег Синєгубов" → Oleh Syniehubov), organisations, "sources";
- **attribution**: a speech verb's nearest source in the nominative or after "в/у"
  ("сообщило Минобороны", "уточнили в ведомстве"), else after "по данным / за словами / как
  сообщает"; a pronoun or "там / в ведомстве" means the last source; a quotation spanning
  sentences is its speaker's throughout; a sentence with no source of its own continues the
  previous one's when that was an official's report, unless it opens background ("Напомним");
- **certainty**: denials ("опроверг", "спростували", "фейк") → disputed, distancing words
  ("якобы", "нібито") → hedged, a source → attributed, else asserted;
- **type** from the happening's words, **figures** from ``slavic_quantities``.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from claimledger.extract.actors import SourceInfo, lookup_person, outlet_source
from claimledger.extract.attribution import SentenceAttribution, find_quotes
from claimledger.extract.claims import choose_type, claimant_of, fill_parties, type_lexicon
from claimledger.extract.dates import find_dates_cyrillic
from claimledger.extract.lexicon import actors
from claimledger.extract.morph import analyse, require_language
from claimledger.extract.pipeline import ClaimDraft
from claimledger.extract.slavic_lexicon import LangLex, fold, lexicon
from claimledger.extract.slavic_quantities import find_quantities
from claimledger.resolve import translit

SOURCE_WINDOW = 12  # tokens between a speech verb and its source
BACKGROUND = {"ru": ("напомним", "ранее", "как известно", "отметим"),
              "uk": ("нагадаємо", "нагадаю", "раніше", "як відомо", "зазначимо")}
SUBJECT_CASES = ("Nom", "")


@dataclass(slots=True)
class Candidate:
    start: int  # token indexes in the Doc
    end: int
    info: SourceInfo | None  # None: a pronoun or a back-reference, resolved against earlier sources
    case: str
    after_preposition: bool
    ref: str | None = None  # "person" (a pronoun) or "any" (там, в ведомстве)


def _title_case(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def person_name(span: Span, lang: str) -> tuple[str, str]:
    """(nominative Cyrillic name, its Latin transliteration) of a PERSON span."""
    words = []
    for tok in span:
        if not tok.is_alpha:
            continue
        parses = analyse(tok.text, lang)
        forms = parses[3]
        words.append(_title_case(forms[0] if "Name" in parses[4] or "Surn" in parses[4] else tok.lemma_))
    cyr = " ".join(words) or span.text
    latin = (translit.ukrainian if lang == "uk" else translit.russian)(cyr)
    return cyr, latin


def _person_actor(span: Span, cyr: str, latin: str, lang: str):
    """The actor a PERSON span names: by its transliterated name, else by any lemma of its surname."""
    other = translit.russian if lang == "uk" else translit.ukrainian
    names = [latin, other(cyr)]
    last = [t for t in span if t.is_alpha][-1:]
    for tok in last:
        stems = list(analyse(tok.text, lang)[3])
        # a surname in a case form the dictionary does not know: Синєгубова, Ганчеву → Синєгубов, Ганчев
        stems += [tok.text[:-k] for k in (1, 2, 3) if len(tok.text) - k >= 5]
        names += [tr(f) for f in stems for tr in (translit.ukrainian, translit.russian)]
    for name in names:
        actor = lookup_person(name)
        if actor is not None and actor.type == "person":
            return actor
    return None


class Sources:
    """The source mentions of a document, by sentence."""

    def __init__(self, doc: Doc, lex: LangLex):
        self.doc, self.lex = doc, lex
        lemmas = [fold(t.lemma_) for t in doc]
        surface = [fold(t.text) for t in doc]
        self.cands: list[Candidate] = []
        taken = bytearray(len(doc) + 1)
        i = 0
        by_name = {a.name: a for a in actors()}
        while i < len(doc):  # actors by alias, longest first, on lemmas or (indeclinable) surface
            name, n = None, 1
            for n in range(min(lex.actor_max, len(doc) - i), 1, -1):
                name = lex.actors.get(tuple(lemmas[i:i + n])) or lex.actors.get(tuple(surface[i:i + n]))
                if name:
                    break
            if name is None and doc[i].text[:1].isupper():  # one word: only a capitalised one names
                n = 1
                name = lex.actors.get((surface[i],)) or next(
                    (lex.actors[(fold(f),)] for f in analyse(doc[i].text, lex.lang)[3] if (fold(f),) in lex.actors), None)
            if name is None:
                i += 1
                continue
            actor = by_name[name]
            self._add(i, i + n, SourceInfo(actor.name, actor.kind, actor.side, actor.name, actor.type))
            taken[i:i + n] = b"\x01" * n
            i += n
        places = sorted(p.start for p in (doc._.places or []) if p.start is not None and p.lat is not None)
        for ent in doc.ents:
            if taken.find(1, ent.start, ent.end) >= 0:
                continue
            if ent.label_ == "PERSON":
                words = [analyse(t.text, lex.lang) for t in ent if t.text[:1].isalpha()]
                every = set().union(*(w[5] for w in words)) if words else set()
                if not every & {"Name", "Surn", "Patr", "UNKN"} or any(ent.start_char <= p < ent.end_char for p in places):
                    continue  # natasha's "PER" on common words or on a Ukrainian place name
                cyr, latin = person_name(ent, lex.lang)
                actor = _person_actor(ent, cyr, latin, lex.lang)
                if actor is not None:
                    info = SourceInfo(actor.name, actor.kind, actor.side, actor.name, "person")
                else:
                    side = self.side_near(ent.start, ent.end)
                    info = SourceInfo(latin, "official" if self.titled(ent.start) or side != "UNKNOWN" else "unknown",
                                      side, None, "person")
                self._add(ent.start, ent.end, info)
            elif ent.label_ == "ORG":
                bare = ent.text.strip("«»\" ")
                latin = (translit.ukrainian if lex.lang == "uk" else translit.russian)(bare) or bare
                side = self.side_near(ent.start, ent.end, window=0)
                self._add(ent.start, ent.end, SourceInfo(latin, "official", side, None, "org"))
            else:
                continue
            taken[ent.start:ent.end] = b"\x01" * (ent.end - ent.start)
        for k, tok in enumerate(doc):
            if taken[k]:
                continue
            low = lemmas[k]
            prep = k > 0 and lemmas[k - 1] in lex.source_prepositions
            if low in lex.pronouns and tok.pos_ == "PRON":
                self.cands.append(Candidate(k, k + 1, None, self._case(k), False, "person"))
            elif low in lex.backref_words and (low != "там" or tok.pos_ == "ADV"):
                self.cands.append(Candidate(k, k + 1, None, "" if tok.pos_ == "ADV" else self._case(k), prep, "any"))
            elif tok.pos_ == "NOUN" and self._case(k) == "Nom" and not tok.is_stop and low not in lex.titles \
                    and (low in lex.organisations or "anim" in analyse(tok.text, lex.lang)[4]):
                self.cands.append(Candidate(k, k + 1, None, "Nom", False, "noun"))
            elif low in lex.anonymous:
                side = self.side_near(k, k + 1, window=4)
                self._add(k, k + 1, SourceInfo("sources" if tok.text.lower().endswith(("и", "і", "а")) else "source",
                                               "anonymous", side, None, "group"))
        self.cands.sort(key=lambda c: c.start)

    def _case(self, k: int) -> str:
        return (self.doc[k].morph.get("Case") or [""])[0]

    def _add(self, a: int, b: int, info: SourceInfo) -> None:
        head = b - 1 if info.type == "person" else a
        case = self._case(head)
        if info.type == "person" and any("nomn" in analyse(t.text, self.lex.lang)[5] for t in self.doc[a:b]):
            case = "Nom"  # a surname's first reading is often another case (Синегубов: genitive plural)
        elif info.type != "person" and (self.doc[a].text.isupper() or "Fixd" in analyse(self.doc[a].text, self.lex.lang)[5]
                                        or "nomn" in analyse(self.doc[a].text, self.lex.lang)[5]):
            case = ""  # an abbreviation or indeclinable name (Минобороны, ЗСУ): any case
        prep = a > 0 and fold(self.doc[a - 1].text) in self.lex.source_prepositions
        if not prep and a > 1 and fold(self.doc[a - 1].lemma_) in self.lex.titles:
            prep = fold(self.doc[a - 2].text) in self.lex.source_prepositions
        self.cands.append(Candidate(a, b, info, case, prep))

    def titled(self, start: int) -> bool:
        return any(fold(t.lemma_) in self.lex.titles for t in self.doc[max(0, start - 6):start])

    def side_near(self, start: int, end: int, window: int = 6) -> str:
        """The side named by the words of a mention and the title before it ("начальник Харківської ОВА")."""
        for tok in list(self.doc[start:end]) + list(self.doc[max(0, start - window):start])[::-1]:
            side = self.lex.side_words.get(fold(tok.lemma_)) or self.lex.side_words.get(fold(tok.text))
            if side:
                return side
        return "UNKNOWN"

    def between(self, a: int, b: int) -> list[Candidate]:
        return [c for c in self.cands if a <= c.start and c.end <= b]


class SlavicAttributor:
    def __init__(self, doc: Doc, sents: list[Span], lex: LangLex):
        self.doc, self.sents, self.lex = doc, sents, lex
        self.sources = Sources(doc, lex)
        text = doc.text
        self.text = text
        self.quotes = find_quotes(text)
        self.last: SourceInfo | None = None
        self.last_person: SourceInfo | None = None

    def in_quote(self, char: int) -> bool:
        return any(a < char < b for a, b in self.quotes)

    def resolve(self, c: Candidate) -> SourceInfo | None:
        if c.info is not None:
            return c.info
        if c.ref == "noun":  # "бойовик так званої ЛНР скаржиться": a described, unnamed speaker
            start, end = c.start, c.end
            while start > 0 and c.start - start < 4 and self.doc[start - 1].pos_ in ("ADJ", "NUM") \
                    or (start > 0 and self.doc[start - 1].text == "-" and start - 2 >= 0 and self.doc[start - 2].like_num):
                start -= 1  # "25-а окрема повітрянодесантна Січеславська бригада"
            while end < len(self.doc) and end - c.end < 4 and self.doc[end].pos_ not in ("VERB", "PUNCT") \
                    and self.doc[end].morph.get("Case") in (["Gen"], []) and self.doc[end].text not in (",", "-", "–", "—"):
                end += 1
            words = self.doc[start:end].text.strip("«»\" ")
            latin = (translit.ukrainian if self.lex.lang == "uk" else translit.russian)(words) or words
            org = fold(self.doc[c.start].lemma_) in self.lex.organisations
            side = self.sources.side_near(start, end, window=0)
            return SourceInfo(latin, "official" if org and side != "UNKNOWN" else "unknown", side, None,
                              "org" if org else "person")
        earlier = [x.info for x in self.sources.cands if x.info is not None and x.end <= c.start
                   and not self.in_quote(self.doc[x.start].idx)
                   and (c.ref != "person" or (x.info.type == "person" and x.case == "Nom"))]
        if c.ref == "person":
            return earlier[-1] if earlier else self.last_person
        return self.last or (earlier[-1] if earlier else None)

    def by_verbs(self, verbs, cands: list[Candidate]):
        """((distance, source, verb) of the nearest source of a reporting verb, or None; the sources
        of relaying verbs, "передает ТАСС", "передає кореспондент")."""
        per_verb: list[tuple[int, Candidate, str, bool]] = []
        for v in verbs:
            mine: tuple[int, Candidate, str, bool] | None = None
            relay = bool(self.lex.media.fullmatch(v.lower_))
            for c in cands:
                d = c.start - v.i if c.start > v.i else v.i - c.end + 1
                inverted = c.start > v.i and d <= 2 and c.info is not None and c.info.type == "person" \
                    and c.case == "Gen"  # "— проинформировал Синегубов" (a surname read as a genitive)
                if not (c.case in SUBJECT_CASES or c.after_preposition or inverted or c.ref in ("person", "noun")):
                    continue
                if c.ref == "noun" and d > 4:
                    continue
                rank = d + (SOURCE_WINDOW if c.ref == "noun" else 0)  # a named source before a described one
                if d <= SOURCE_WINDOW and (mine is None or rank < mine[0]):
                    mine = (rank, c, fold(v.lemma_), relay)
            if mine is not None:
                per_verb.append(mine)
        said = [x for x in per_verb if not x[3]] or per_verb
        if not said:
            return None, []
        d, c, verb, _ = min(said, key=lambda x: x[0])
        return (d, c, verb), [x[1] for x in per_verb if x[3] and x[1] is not c]

    def speaker(self, best: tuple[int, Candidate, str], cands: list[Candidate]):
        """Who speaks when the nearest source is an institution: the described speaker it qualifies
        ("бойовик так званої «ЛНР»"), or the person named with it ("голова ХОВА Олег Синєгубов";
        "передает ТАСС слова Ганчева", where the outlet relays). Returns (best, relaying outlet)."""
        c = best[1]
        if c.info is not None and c.info.type != "person":
            noun = next((x for x in cands if x.ref == "noun" and x.end <= c.start and c.start - x.end <= 3), None)
            if noun is not None:
                return (best[0], noun, best[2]), None
        if c.info is None or c.info.type != "person":
            reach = 6 if c.ref == "any" else 3
            person = next((x for x in cands if x.start >= c.end and x.start - c.end <= reach and x.info is not None
                           and x.info.type == "person"), None)
            if person is not None:
                return (best[0], person, best[2]), (c.info if c.info is not None and c.info.kind == "media" else None)
        return best, None

    def explicit(self, sent: Span) -> SentenceAttribution | None:
        """The source this sentence names for itself, if any."""
        lex = self.lex
        cands = [c for c in self.sources.between(sent.start, sent.end) if not self.in_quote(self.doc[c.start].idx)]
        verbs = [t for t in sent if t.pos_ == "VERB" and fold(t.lemma_) in lex.reporting_verbs
                 and not self.in_quote(t.idx)]
        text = self.text[sent.start_char:sent.end_char]
        best, relays = self.by_verbs(verbs, cands)
        via_media: SourceInfo | None = None
        if best is not None:
            best, via_media = self.speaker(best, cands)
        via: list[SourceInfo] = []
        for m in lex.according.finditer(text):  # "по данным X", "за словами X", "как сообщает X"
            start = sent.start_char + m.end()
            after = [c for c in cands if self.doc[c.start].idx >= start]
            if not after or self.doc[after[0].start].idx - start > 60:
                continue
            c = after[0]
            info = self.resolve(c)
            if best is None:
                best = (0, c, "according to")
            elif info is not None and info.kind == "media" and best[1] is not c:
                via.append(info)
        if best is None and text.rstrip().endswith(":"):  # "Минобороны прервало молчание:" and a list
            subject = next((c for c in cands if c.info is not None and c.case in SUBJECT_CASES
                            and c.info.kind == "official"), None)
            if subject is not None:
                return SentenceAttribution(subject.info, [], "colon", False, None, None)
        if best is None:
            return None
        info = self.resolve(best[1])
        if info is None:
            return None
        if via_media is not None:
            via.insert(0, via_media)
        for r in relays:
            relayed = self.resolve(r)
            if relayed is not None and relayed is not info:
                via.append(relayed)
        back = lex.backward.search(text)  # "Об этом сообщил X": X said what came before
        backref = "attributes" if back and back.start() < self.doc[best[1].start].idx - sent.start_char else None
        return SentenceAttribution(info, via, best[2], True, backref, self.doc[best[1].start:best[1].end].text)

    def run(self) -> list[SentenceAttribution | None]:
        out: list[SentenceAttribution | None] = []
        for s in self.sents:  # in order: "там", "в ведомстве" and pronouns refer to what came before
            att = self.explicit(s)
            out.append(att)
            if att and att.source and att.explicit:
                self.last = att.source
                if att.source.type == "person":
                    self.last_person = att.source
        # "Об этом сообщил X", "Про це заявив X": X said the sentences before, back to the paragraph start
        for k, att in enumerate(out):
            if not (att and att.backref == "attributes"):
                continue
            j = k - 1
            while j >= 0 and out[j] is None:
                out[j] = SentenceAttribution(att.source, att.via, att.verb, False, None, att.mention)
                if "\n" in self.text[self.sents[j].start_char - 1:self.sents[j].start_char] or j == 0:
                    break
                j -= 1
        # a quotation across sentences belongs to its speaker throughout
        for a, b in self.quotes:
            inside = [k for k, s in enumerate(self.sents) if s.start_char < b and a < s.end_char]
            if len(inside) < 2:
                continue
            att = next((out[k] for k in reversed(inside) if out[k]), None)
            for k in inside:
                if out[k] is None and att is not None:
                    out[k] = SentenceAttribution(att.source, att.via, "quote", False, None, att.mention)
        # continuation of an official's report
        background = BACKGROUND[self.lex.lang]
        prev: SentenceAttribution | None = None
        for k, s in enumerate(self.sents):
            att = out[k]
            if att is None and prev is not None and prev.source and prev.source.kind == "official" \
                    and not s.text.lower().startswith(background):
                att = out[k] = SentenceAttribution(prev.source, prev.via, "continues", False, None, prev.mention)
            prev = att
        return out


def type_scores(sent: Span, lex: LangLex, quantities) -> dict[str, float]:
    scores: dict[str, float] = {}
    for tok in sent:
        for t in lex.type_words.get(fold(tok.lemma_), ()):
            scores[t] = scores.get(t, 0) + 1
    low = sent.text.lower()
    for rx, t in lex.type_phrases:
        if rx.search(low):
            scores[t] = scores.get(t, 0) + 1
    from_category = type_lexicon().from_category
    for q in quantities:
        t = from_category.get(q.category)
        if t:
            scores[t] = scores.get(t, 0) + 1
    return scores


def certainty(sent_text: str, att: SentenceAttribution | None, lex: LangLex) -> str:
    low = sent_text.lower()
    if lex.denial.search(low) or lex.unverified.search(low) or (att and att.verb in lex.denial_verbs):
        return "disputed"
    if lex.hedge.search(low):
        return "hedged"
    return "attributed" if att and att.source else "asserted"


@Language.factory("claimledger_slavic_claims")
def make_slavic_claims(nlp: Language, name: str):
    return SlavicClaimFinder(require_language(nlp, "claimledger_slavic_claims"))


class SlavicClaimFinder:
    def __init__(self, lang: str):
        self.lang = lang
        lexicon(lang)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[Span, ClaimDraft]]:
        lex = lexicon(self.lang)
        outlet = doc.user_data.get("outlet") or doc._.outlet
        sents = list(doc.sents)
        atts = SlavicAttributor(doc, sents, lex).run()
        text = doc.text
        found: list[tuple[Span, ClaimDraft]] = []
        for sent, att in zip(sents, atts):
            if len(sent) < 4 or sum(t.is_alpha for t in sent) < 3:
                continue
            quantities = find_quantities(sent, lex, text)
            scores = type_scores(sent, lex, quantities)
            event = max(scores.values(), default=0)
            sourced = att is not None and att.source is not None and att.explicit
            if not event and not quantities and not sourced:
                continue
            claimant = claimant_of(att, outlet)
            if not (att and att.source):
                o = outlet_source(outlet)
                claimant.kind, claimant.side = o.kind, o.side
            fill_parties(quantities, claimant)
            sentence = text[sent.start_char:sent.end_char]
            found.append((sent, ClaimDraft(
                start=sent.start_char, end=sent.end_char, sentence=sentence,
                type=choose_type(scores) if scores or not found else found[-1][1].type,
                claimant=claimant, certainty=certainty(sentence, att, lex), quantities=quantities,
                dates=find_dates_cyrillic(sentence, sent.start_char, self.lang))))
        return found

    @staticmethod
    def set_annotations(doc: Doc, found) -> None:
        doc._.claims = [d for _, d in found]
        for sent, draft in found:
            sent._.claim = draft
