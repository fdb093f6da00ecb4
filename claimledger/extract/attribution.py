"""Attribution: who says each sentence, with the chain of sources behind them.

Per sentence, in order of strength:
- "according to X" / "as described by X" / "attributed to X" (and "..., citing Y" → via Y);
- a speech verb ("said", "reported", "claimed", ...) and its subject, chosen among several by
  where it sits (the root verb wins, a verb with a that-clause next, a pronoun subject last);
- quotes: a sentence inside a quotation takes the quote's speaker, named after the quote
  ("…,” Poddubny said), before it (X said: “…”), or in the sentence just before it;
- pronouns and descriptions ("he", "the spokesperson", "the ministry") resolve to the last
  fitting source; a following sentence that refers back ("These losses, as described by
  Russian sources, ...") attributes the sentence before it.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimledger.extract.actors import SourceInfo, describe, named_people, outlet_source
from claimledger.extract.continuation import Candidate, features
from claimledger.extract.lexicon import actor_index, actor_regex, actors, compiled, cues, speech_verbs
from claimledger.model import PlacesByOffset

_QUOTE_PAIRS = (("«", "»"), ("‘", "’"))
_DOUBLE = re.compile(r'[“”"]|\n+')
_SOURCE_END = re.compile(r",|;|\.(?=\s|$)|:|\bthat\b|—|–|\(")
_APPOSITIVE = re.compile(r",\s+([^,;:.()\n\"“”]{3,120})")
_BACKREF = re.compile(r"^(?:these|this|the|such)\s+(\w+)", re.IGNORECASE)
_REPORTED_BACKREF = re.compile(r"^(?:this|that|it)\s+(?:was|has been|had been|is)\s+(?:reported|announced|stated|said|"
                               r"confirmed|claimed|disclosed|written)\b", re.IGNORECASE)
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "which", "that", "him", "her", "them"}


@dataclass(slots=True)
class SentenceAttribution:
    source: SourceInfo | None = None
    via: list[SourceInfo] = field(default_factory=list)
    verb: str | None = None  # the speech verb's lemma, or "according to", or "quote"
    explicit: bool = False  # found in this sentence (not inherited from a quote or a back-reference)
    backref: str | None = None  # "attributes" or "disputes" when this sentence refers to the one before
    mention: str | None = None  # the words that name the source


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans of quotations of four words or more (apostrophes are not quotes)."""
    spans = _double_quotes(text)
    for open_q, close_q in _QUOTE_PAIRS:
        i = 0
        while True:
            a = text.find(open_q, i)
            if a < 0:
                break
            if open_q == "‘" and a > 0 and text[a - 1].isalnum():
                i = a + 1
                continue
            b = a + 1
            while True:
                b = text.find(close_q, b)
                if b < 0 or close_q != "’" or b + 1 >= len(text) or not text[b + 1].isalpha():
                    break
                b += 1  # an apostrophe inside the quote ("Russia’s")
            if b < 0:
                break
            if len(text[a + 1:b].split()) >= 4:
                spans.append((a, b + 1))
            i = b + 1
    return sorted(spans)


def _double_quotes(text: str) -> list[tuple[int, int]]:
    """Double quotes, straight and curly mixed as copy-edited text mixes them ("… modest,” he said).

    A straight quote opens when it follows a space or a bracket and precedes a word, else closes;
    an opening mark inside an open quote is a nested one and is skipped; a paragraph break ends
    an open quote unless the next paragraph opens again (one quote over several paragraphs)."""
    spans, start = [], None
    for m in _DOUBLE.finditer(text):
        i, ch = m.start(), m.group()
        if ch[0] == "\n":
            if start is not None and text[m.end():m.end() + 1] not in ("“", '"'):
                spans.append((start, i))
                start = None
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = ch == "“" or (ch == '"' and (before.isspace() or before in "([—–-") and not after.isspace())
        if start is None:
            if ch != "”":
                start = i
        elif not opens and ch != "“":
            spans.append((start, m.end()))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if len(text[a + 1:b].split()) >= 4]


@lru_cache(maxsize=512)
def titles_of(actor: str | None) -> frozenset[str]:
    """The words of the posts an actor holds in the actor table ("spokesman", "president")."""
    if actor is None:
        return frozenset()
    return frozenset(w for a in actors() if a.name == actor for r in a.roles for w in r.title.split())


def paragraph_numbers(text: str, sents: list[Span]) -> list[int]:
    """The paragraph each sentence starts in (paragraphs are separated by line breaks)."""
    out, n, pos = [], 0, 0
    for sent in sents:
        n += text.count("\n", pos, sent.start_char) > 0 and bool(out)
        pos = sent.start_char
        out.append(n)
    return out


def _inside(start: int, end: int, quotes: list[tuple[int, int]]) -> tuple[int, int] | None:
    for a, b in quotes:
        if a <= start and end <= b:
            return a, b
    return None




def _subject_span(tok: Token) -> tuple[int, int]:
    """Character span of a subject's words, without relative clauses or a dateline.

    A participle clause naming an agent stays ("footage taken by journalist X")."""
    left, right = tok.left_edge.i, tok.right_edge.i
    for child in tok.children:
        if child.i > tok.i and (child.dep_ == "relcl" or (child.dep_ == "acl" and not any(
                t.dep_ == "agent" for t in child.subtree))):
            right = min(right, child.left_edge.i - 1)
    doc = tok.doc
    for k in range(left, tok.i):
        if doc[k].text == ":":
            left = k + 1  # "Moscow/Kyiv: The Russian Ministry of Defence"
    while right > left and doc[right].is_punct:
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


class Attributor:
    """Walks a document's sentences in order, remembering sources for pronouns."""

    def __init__(self, doc: Doc, published: str | None = None):
        self.doc = doc
        self.text = doc.text  # Doc.text re-joins every token on each access
        self.published = published
        self.outlet = doc.user_data.get("outlet") or doc._.outlet
        self.quotes = find_quotes(self.text)
        # doc.ents and span.sent rebuild objects on every access: read them once
        self.person_ents = [(e.start_char, e.end_char, e.text, e.root.dep_) for e in doc.ents if e.label_ == "PERSON"]
        self.sent_bounds = [(s.start_char, s.end_char) for s in doc.sents]
        self._places: PlacesByOffset | None = None  # built on first use by regions_near
        self.memory: list[tuple[str, SourceInfo]] = []  # (mention, source)
        self.people: dict[str, SourceInfo] = {}  # surname → the person as first described
        c = cues()
        self.speech = speech_verbs()
        self.weak = frozenset(c["speech_verbs_weak"])
        self.descriptions = c["descriptions"]
        self.generic_official_heads = frozenset(c["generic_official_heads"])
        self.appositive_titles = frozenset(c["appositive_titles"])
        rx = compiled()
        self.according = rx["according"]
        self.citing = rx["citing"]

    # --- sources from words -------------------------------------------------------
    def source_at(self, start: int, end: int) -> SourceInfo | None:
        text = self.text[start:end]
        words = text.strip().lower().split()
        if not words:
            return None
        if len(words) == 1 and words[0] in _PRONOUNS:
            return self.resolve_pronoun(words[0])
        persons = [t for a, b, t, _ in self.person_ents if a >= start and b <= end]
        if not persons:  # "the spokesman for the prosecutor's office, Dmytro Chubenko, said"
            after = next((p for p in self.person_ents if p[0] in (end + 2, end + 1) and
                          self.text[end:p[0]].strip() == ","), None)
            if after:
                persons = [after[2]]
                text = self.text[start:after[1]]
            else:  # "the head of the regional administration Taras Melnyk announced": a name the NER missed
                pair = next(iter(named_people(self.text[end:end + 60])), None)
                if pair and self.text.startswith(" " + pair, end):
                    persons = [pair]
                    text = self.text[start:end + 1 + len(pair)]
        regions = self.regions_near(start)
        info = describe(text, persons, self.published, regions)
        if info.type == "person" and info.actor is None and info.side == "UNKNOWN":
            info = self._appositive(info, text, end, persons, regions)
        bare = text.strip().split()
        if info.actor is None and (info.type == "person" or (len(bare) == 1 and bare[0].lower() in self.people)):
            info = self.known_person(info)
        if info.actor is None and info.type != "person":
            resolved = self.resolve_description(words, info.side)
            if resolved:
                return resolved
        return info

    def _appositive(self, info: SourceInfo, text: str, end: int, persons: list[str], regions: list[str]
                    ) -> SourceInfo:
        """A person whose side their name does not give, described right after it: "according to
        Serhii Bolvinov, head of the Investigation Department of the National Police in Kharkiv
        Oblast" (only a description that opens with a post, so ", Russian troops shelled ..." is
        never read as one)."""
        m = _APPOSITIVE.match(self.text, end)
        if not m or not any(w.strip("'’s") in self.appositive_titles for w in m.group(1).lower().split()[:4]):
            return info
        described = describe(text + m.group(0), persons, self.published, regions)
        if described.side == "UNKNOWN":
            return info
        return SourceInfo(info.name, described.kind, described.side, None, "person")

    def regions_near(self, start: int) -> list[str]:
        """Oblast names of the places in the sentence around ``start`` ('governor' → of which?)."""
        k = bisect.bisect_right(self.sent_bounds, (start, float("inf"))) - 1
        if k < 0:
            return []
        lo, hi = self.sent_bounds[k]
        if self._places is None:
            self._places = PlacesByOffset(p for p in self.doc._.places or [] if p.start is not None)
        out = []
        for p in self._places.between(lo, hi):
            region = p.name if p.kind == "region" else p.admin1
            if region:
                out.append(region.split()[0].lower())
        return out

    def known_person(self, info: SourceInfo) -> SourceInfo:
        """A person described once ("Ukrainian military analyst Oleh Zhdanov") keeps that side
        and kind when named again ("Zhdanov said"); the fullest name seen is used."""
        key = info.name.split()[-1].lower() if info.name.split() else ""
        seen = self.people.get(key)
        if info.side != "UNKNOWN" or info.kind != "unknown":
            if seen is None or len(info.name) >= len(seen.name):
                self.people[key] = info
            return info
        if seen is not None:
            return SourceInfo(seen.name if len(seen.name) > len(info.name) else info.name, seen.kind, seen.side,
                              None, "person")
        return SourceInfo(info.name, info.kind, info.side, None, "person")

    def resolve_pronoun(self, word: str) -> SourceInfo | None:
        want = {"he": "person", "she": "person", "i": "person", "him": "person", "her": "person"}.get(word)
        for _, src in reversed(self.memory):
            if want == "person" and src.type != "person":
                continue
            if word in ("they", "them", "it") and src.type == "person":
                continue
            return src
        return None

    def resolve_description(self, words: list[str], side: str) -> SourceInfo | None:
        """'the spokesperson', 'the ministry', 'the Russian spokesperson' → the last fitting source."""
        if words[0] not in ("the", "this", "that") or len(words) > 4:
            return None
        head = words[-1].strip(",.")
        what = self.descriptions.get(head)
        if what is None:
            return None
        for mention, src in reversed(self.memory):
            if what == "document" or (what == "person" and head == "speaker" and src.type == "person"):
                return src  # "the statement said", "the speaker added": whoever spoke last
            if side not in ("UNKNOWN", src.side):
                continue
            if head in mention.lower() or head in src.name.lower() or head in titles_of(src.actor):
                return src  # "the president" → Zelensky, named before, whose post that is
            if head in self.generic_official_heads and src.type == "person" and src.kind == "official":
                return src  # "the official": any official named before
        return None

    # --- one sentence -----------------------------------------------------------
    def explicit(self, sent: Span) -> SentenceAttribution | None:
        """The sentence's own source. A news outlet that only carries someone's words ("Zelensky
        said ..., according to CNN"; "..., the AP reports") gives way to the speaker it carries."""
        att = self.according_to(sent)
        if att is not None and att.source.kind != "media":
            return att
        spoken = self.spoken(sent)
        if spoken is not None and (att is None or (spoken.source.kind not in ("media", "unknown") and not att.via)):
            return spoken  # (an agency citing its own sources stays: "according to TASS, citing ...")
        return att

    def according_to(self, sent: Span) -> SentenceAttribution | None:
        text = self.text
        # "according to X[, citing Y]"
        for m in self.according.finditer(text, sent.start_char, sent.end_char):
            if _inside(m.start(), m.end(), self.quotes):
                continue
            start = m.end()
            if text.startswith(" reports from ", start) or text.startswith(" reports by ", start):
                start = text.find(" ", start + 9) + 1
            stop = _SOURCE_END.search(text, start, sent.end_char)
            end = stop.start() if stop else sent.end_char
            src = self.source_at(start, end)
            if src is None:
                continue
            att = SentenceAttribution(src, verb="according to", explicit=True, mention=text[start:end])
            att.via = self.cited(sent, end)
            return att
        return None

    def spoken(self, sent: Span, quoted: bool = False) -> SentenceAttribution | None:
        """A speech verb and its subject; with ``quoted``, only a verb inside a quotation (the
        speaker quoting someone else: "“Russian sources reported that ...,” the analyst wrote")."""
        best, best_score = None, -99
        candidates: list[tuple[Token, Token, int]] = []
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in self.speech:
                continue
            if bool(_inside(tok.idx, tok.idx + len(tok.text), self.quotes)) != quoted:
                continue
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
            subj = by or next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)  # "reported by X"
            governed = subj is None and tok.dep_ in ("xcomp", "advcl", "acl", "conj") and \
                tok.lemma_.lower() not in ("cite", "quote")  # "..., citing X" cites for the sentence's source
            if governed:
                # the subject of the verb it depends on: "X refused to comment", "X went on to allege",
                # "X praised the troops, stating that", "X issued a statement claiming that"
                head = tok.head.head if tok.dep_ == "acl" and tok.head.dep_ == "dobj" else tok.head
                if head.pos_ in ("VERB", "AUX"):
                    subj = next((c for c in head.children if c.dep_ in _SUBJECT_DEPS), None)
            if subj is None or (subj.dep_ == "nsubjpass" and subj.lower_ in ("it", "there", "this", "that")):
                continue
            if self.outlet and subj.text.lower() in self.outlet.lower() and len(subj.text) > 2:
                continue  # the publisher signing off ("..., Censor.NET reports"): not the claimant
            if subj.lower_ in ("which", "who", "that") and tok.dep_ == "relcl":
                subj = tok.head
            score = (3 if tok.dep_ == "ROOT" else 0) + (2 if any(c.dep_ in ("ccomp", "xcomp") for c in tok.children) else 0)
            score -= 1 if governed else 0
            score -= 2 if subj.lower_ in _PRONOUNS else 0
            if tok.lemma_.lower() in self.weak:
                score -= 2
            candidates.append((tok, subj, score))
            if score > best_score:
                best, best_score = (tok, subj), score
        if best and best[1].lower_ in _PRONOUNS:
            # "He commented after the governor reported that ...": the inner, named speaker
            inner = [c[:2] for c in candidates if c[1].lower_ not in _PRONOUNS and c[0] is not best[0]
                     and best[0] in c[0].ancestors and any(k.dep_ in ("ccomp", "xcomp") for k in c[0].children)]
            if inner:
                best = inner[0]
        if not best:
            return None
        att = self._speaker(sent, *best)
        if att is not None and att.source.kind == "media":  # "Zelensky said ..., the AP reports"
            for tok, subj, _ in sorted(candidates, key=lambda c: -c[2]):
                other = self._speaker(sent, tok, subj) if tok is not best[0] else None
                if other is not None and other.source.kind not in ("media", "unknown"):
                    return other
        return att

    def _speaker(self, sent: Span, tok: Token, subj: Token) -> SentenceAttribution | None:
        a, b = _subject_span(subj) if subj.lower_ not in _PRONOUNS else (subj.idx, subj.idx + len(subj.text))
        src = self.source_at(a, b)
        if not src or (tok.lemma_.lower() in self.weak and not src.actor and src.kind == "unknown"):
            return None
        att = SentenceAttribution(src, verb=tok.lemma_.lower(), explicit=True, mention=self.text[a:b])
        att.via = self.cited(sent, b)
        if not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children) and \
                any(c.dep_ == "dobj" and c.lower_ == "this" for c in tok.children):
            att.backref = "attributes"  # "X announced this on Telegram": X says what came before
        return att

    def cited(self, sent: Span, after: int) -> list[SourceInfo]:
        """Sources cited by the claimant: '..., citing unnamed law enforcement sources'."""
        out = []
        for m in self.citing.finditer(self.text, after, sent.end_char):
            if _inside(m.start(), m.end(), self.quotes):
                continue
            stop = _SOURCE_END.search(self.text, m.end(), sent.end_char)
            end = stop.start() if stop else sent.end_char
            src = self.source_at(m.end(), end)
            if src:
                out.append(src)
        return out

    def remember(self, sent: Span, att: SentenceAttribution | None) -> None:
        if att and att.source and att.explicit:
            self.memory.append((att.mention or att.source.name, att.source))
        for a, b, text, dep in self.person_ents:
            if sent.start_char <= a and b <= sent.end_char and dep in _SUBJECT_DEPS:
                info = describe(text, [text], self.published)
                if info.actor is None and info.type == "person":
                    info = self.known_person(info)  # "Marchenko" is the mayor described before
                if not att or not att.source or att.source.name != info.name:
                    self.memory.append((text, info))
        if not att or not att.explicit:  # "The General Staff issued a statement." ... "the statement said"
            subj = next((c for c in sent.root.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                a, b = _subject_span(subj)
                if not actor_regex().search(self.text[a:b].lower().replace("’", "'")):
                    return  # no actor named: describe could not find one either
                info = describe(self.text[a:b], [], self.published)
                if info.actor and info.type not in ("state", "person"):
                    self.memory.append((self.text[a:b], info))

    # --- the document -----------------------------------------------------------
    def run(self) -> list[SentenceAttribution | None]:
        sents = list(self.doc.sents)
        self.paragraphs = paragraph_numbers(self.text, sents)
        out: list[SentenceAttribution | None] = []
        for sent in sents:
            att = self.explicit(sent)
            out.append(att)
            self.remember(sent, att)
        self._quotes(sents, out)
        self._backrefs(sents, out)
        self.sents, self.out = sents, out
        return out

    def continuation(self, i: int) -> Candidate | None:
        """The source sentence ``i`` (unattributed) may continue: that of the last attributed
        sentence before it, with the features the continuation model weighs (after ``run``)."""
        out, sents = self.out, self.sents
        j = next((k for k in range(i - 1, -1, -1) if out[k] and out[k].source), None)
        if j is None or out[i] is not None:
            return None
        src = out[j].source
        key = src.actor or src.name
        explicit = [a.source.actor or a.source.name for a in out if a and a.source and a.explicit]
        sent = sents[i]
        low = sent.text.lower()
        other = any(sent.start_char <= a and b <= sent.end_char for a, b, _, _ in self.person_ents) or any(
            (a := actor_index()[re.sub(r"\s+", " ", m.group(0))]).type not in ("state",) and a.name != src.actor
            for m in actor_regex().finditer(low))
        x = features(same_paragraph=self.paragraphs[i] == self.paragraphs[j],
                     paragraph_gap=self.paragraphs[i] - self.paragraphs[j], sentence_gap=i - j,
                     previous_sentence=j == i - 1, source=src, text=sent.text,
                     dominant=explicit.count(key) / len(explicit) if explicit else 0.0,
                     sources=len(set(explicit)), partisan_outlet=outlet_source(self.outlet).side in ("RU", "UA"),
                     other_source=other, present_tense=sent.root.tag_ in ("VBZ", "VBP") or any(
                         c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in sent.root.children))
        return Candidate(i, src, list(out[j].via), x)

    def _quotes(self, sents: list[Span], out: list[SentenceAttribution | None]) -> None:
        for qa, qb in self.quotes:
            idx = [i for i, s in enumerate(sents) if s.end_char > qa and s.start_char < qb]
            if not idx:
                continue
            first, last = idx[0], idx[-1]
            speaker = None
            for i in (last, first):  # named after the quote, else before it
                if out[i] and out[i].explicit and out[i].verb != "quote":
                    speaker = out[i]
                    break
            if speaker is None and first > 0 and out[first - 1] and out[first - 1].explicit:
                prev = sents[first - 1]
                if sents[first].start_char == qa or prev.text.rstrip().endswith(":"):
                    speaker = out[first - 1]
            if speaker is None:
                continue
            for i in idx:
                if out[i] is None:  # every sentence the quote touches, unless it names its own source
                    via = list(speaker.via)
                    inner = self.spoken(sents[i], quoted=True)
                    if inner is not None and inner.mention and inner.mention.lower() not in _PRONOUNS \
                            and inner.source.name != speaker.source.name:
                        via += [inner.source, *inner.via]  # the speaker reports someone else's account
                    out[i] = SentenceAttribution(speaker.source, via, "quote", False)

    def _backrefs(self, sents: list[Span], out: list[SentenceAttribution | None]) -> None:
        rx = compiled()
        backref_nouns = set(cues()["backref_nouns"])
        for i, sent in enumerate(sents):
            if i and out[i] and out[i].explicit and out[i - 1] is None and (
                    out[i].backref == "attributes" or _REPORTED_BACKREF.match(sent.text)):
                # "This was reported by X", "X announced this": X says what came before, back to the
                # start of the paragraph before (a lead paragraph and its source line)
                out[i].backref = "attributes"
                j = i - 1
                while j >= 0 and out[j] is None and self.paragraphs[j] >= self.paragraphs[i - 1]:
                    out[j] = SentenceAttribution(out[i].source, list(out[i].via), "backref", False)
                    j -= 1
                continue
            m = _BACKREF.match(sent.text)
            if not m or m.group(1).lower() not in backref_nouns or i == 0:
                continue
            if rx["unverified"].search(sent.text) or rx["denial"].search(sent.text):
                out[i] = out[i] or SentenceAttribution()
                out[i].backref = "disputes"
            elif out[i] and out[i].explicit:
                out[i].backref = "attributes"
                if out[i - 1] is None:
                    out[i - 1] = SentenceAttribution(out[i].source, list(out[i].via), "backref", False)
