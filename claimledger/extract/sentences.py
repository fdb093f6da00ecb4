"""Sentence boundaries that survive news text.

Rules, on character offsets (so they are cheap and testable without a model):
- a line break ends a sentence (headings without full stops, datelines on their own line),
  unless the line ends in an initial or an abbreviation ("P.", "Lt.") or the next line
  starts in lower case;
- inside a line, '.', '!' or '?' (with closing quotes or brackets) followed by space and an
  upper-case letter, a digit or an opening quote ends a sentence, unless the word before is
  an initial ("P. V. Mandryka"), a title or other abbreviation ("Lt. General", "U.S.");
- an ellipsis inside a line does not end a sentence (quotes often run on after one);
- a dateline ("Moscow/Kyiv:", "KYIV (AP) —") at the start of a line is cut off as a
  fragment of its own, so it is never read as the sentence's subject.

The spaCy component ``claimledger_sentences`` sets these boundaries before the parser.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "lt", "gen", "col", "maj", "sgt", "capt", "cpt", "cmdr", "adm",
    "brig", "lieut", "gov", "sen", "rep", "pres", "rev", "hon", "jr", "sr", "no", "vs", "etc", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "inc",
    "ltd", "co", "corp", "dept", "est", "fig", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "pvt", "cpl",
}

_DATELINE = re.compile(r"(?m)^(?:[A-Z][\w.’'-]*(?:[ /,-]+[A-Z][\w.’'-]*){0,3})(?: \([A-Z][\w ]{1,20}\))?\s*[:—–]\s+(?=[A-Z“\"])")
_END = re.compile(r"""[.!?]+["'”’»)\]]*(?=\s+["“‘'«(\[]?[A-ZА-ЯІЇЄҐ0-9])""")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _abbreviation_before(text: str, end: int) -> bool:
    """Is the '.' ending at ``end`` part of an initial or abbreviation?"""
    m = _WORD_BEFORE.search(text, max(0, end - 80), end)  # a window: the whole text would be quadratic
    if not m:
        return False
    word = m.group(1).rstrip(".").lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "P. V. Mandryka"
    return word in ABBREVIATIONS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences in ``text`` (whitespace trimmed)."""
    cuts = [0]
    # line breaks
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        nxt = end + 1
        stripped = line.rstrip()
        if stripped and nxt < len(text):
            following = text[nxt:].lstrip()
            last_word = stripped.split()[-1] if stripped.split() else ""
            joins = (stripped.endswith(".") and _abbreviation_before(stripped, len(stripped) - 1)
                     and len(last_word) <= 5) or (following[:1].islower() and not stripped.endswith((".", "!", "?", "”", '"', ":")))
            if not joins:
                cuts.append(nxt)
        pos = nxt
    # datelines ("Moscow/Kyiv: ...", "KYIV (AP) — ...") stand apart from the sentence they open
    for m in _DATELINE.finditer(text):
        cuts.append(m.end())
    # inside lines
    for m in _END.finditer(text):
        stop = m.start()
        if text[stop] == "." and _abbreviation_before(text, stop):
            continue
        if text[m.start():m.end()].startswith("...") or "…" in text[max(0, stop - 1):m.end()]:
            continue
        cuts.append(m.end())
    cuts = sorted(set(cuts)) + [len(text)]
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            spans.append((a + lead, a + trail))
    return spans


@Language.factory("claimledger_sentences")
def make_sentences(nlp: Language, name: str):
    return SentenceSetter()


class SentenceSetter:
    """Sets token.is_sent_start from ``sentence_spans``; runs before the parser."""

    def __call__(self, doc: Doc) -> Doc:
        starts = {a for a, _ in sentence_spans(doc.text)}
        # One array write: Token.is_sent_start= rescans the whole Doc on each call (quadratic).
        flags = numpy.fromiter((1 if i == 0 or t.idx in starts else -1 for i, t in enumerate(doc)),
                               dtype="int64", count=len(doc)).astype("uint64")  # spaCy's attribute type
        if len(doc):
            doc.from_array([SENT_START], flags.reshape(-1, 1))
        return doc
