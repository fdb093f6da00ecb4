"""Russian and Ukrainian morphology: pymorphy3 lemmas and case on spaCy tokens.

``claimledger_morph`` sets ``Token.lemma_``, ``Token.pos_`` (Universal POS) and the case in
``Token.morph`` from pymorphy3's most likely analysis, for a ``ru`` or ``uk`` pipeline. Analyses
are cached per word form: news repeats its words, and a form is analysed once per process.
``analyse`` also gives every lemma pymorphy3 admits (places are often unknown words, whose
first guess may be wrong: "Балаклії" → балаклія or балаклій).
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.errors import ClaimledgerError

LANGUAGES = ("ru", "uk")
_UPOS = {"NOUN": "NOUN", "ADJF": "ADJ", "ADJS": "ADJ", "COMP": "ADJ", "VERB": "VERB", "INFN": "VERB",
         "PRTF": "VERB", "PRTS": "VERB", "GRND": "VERB", "NUMR": "NUM", "ADVB": "ADV", "NPRO": "PRON",
         "PRED": "ADV", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART", "INTJ": "INTJ"}
_CASES = {"nomn": "Nom", "gent": "Gen", "datv": "Dat", "accs": "Acc", "ablt": "Ins", "loct": "Loc",
          "voct": "Voc", "gen2": "Gen", "acc2": "Acc", "loc2": "Loc"}


@lru_cache(maxsize=2)
def analyzer(lang: str):
    try:
        import pymorphy3
        return pymorphy3.MorphAnalyzer(lang=lang)
    except ImportError:
        raise ClaimledgerError("E032", what="Russian and Ukrainian morphology",
                               reason="pymorphy3 is not installed (pip install claimledger installs it)") from None


@lru_cache(maxsize=200_000)
def analyse(word: str, lang: str) -> tuple[str, str, str, tuple[str, ...], frozenset[str], frozenset[str]]:
    """(lemma, UPOS, case, every normal form, grammemes of the first analysis, grammemes of any
    analysis) of one word form. A word the dictionary does not know has the grammeme "UNKN"
    among those of any analysis (its readings are guesses from its ending)."""
    morph = analyzer(lang)
    word = word.replace("’", "'").replace("ʼ", "'")  # the dictionaries spell the apostrophe so
    parses = morph.parse(word)
    if not parses:
        return word.lower(), "X", "", (word.lower(),), frozenset(), frozenset({"UNKN"})
    first = parses[0]
    forms = [p.normal_form for p in parses]
    for p in parses:  # a participle used as a noun (пострадавших → пострадавший, not пострадать)
        if p.tag.POS == "PRTF":
            inflected = p.inflect({"nomn", "sing", "masc"})
            if inflected is not None:
                forms.append(inflected.word)
    forms = tuple(dict.fromkeys(forms))
    tag = first.tag
    grammemes = frozenset(str(tag).replace(" ", ",").split(","))  # the tag sets differ by language
    pos = _UPOS.get(tag.POS or "", "X")
    if pos == "NOUN" and grammemes & {"Name", "Surn", "Patr", "Geox", "Orgn"}:
        pos = "PROPN"
    case = _CASES.get(tag.case or "", "")
    every = frozenset(g for p in parses for g in str(p.tag).replace(" ", ",").split(","))
    if not morph.word_is_known(word.lower()):
        every |= {"UNKN"}
    return first.normal_form, pos, case, forms, grammemes, every


def require_language(nlp: Language, component: str) -> str:
    """The pipeline's language, which must be one a Russian/Ukrainian component reads."""
    if nlp.lang not in LANGUAGES:
        raise ValueError(f"{component} reads {', '.join(LANGUAGES)}, not {nlp.lang!r}")
    return nlp.lang


@Language.factory("claimledger_morph")
def make_morph(nlp: Language, name: str):
    return Morphology(require_language(nlp, "claimledger_morph"))


class Morphology:
    def __init__(self, lang: str):
        self.lang = lang
        analyzer(lang)  # load the dictionaries now, not on the first document

    def __call__(self, doc: Doc) -> Doc:
        lang = self.lang
        for tok in doc:
            if not (tok.is_alpha or (tok.text[:1].isalpha() and tok.text.replace("’", "").replace("'", "").isalpha())):
                if tok.like_num:
                    tok.pos_ = "NUM"
                elif tok.is_punct:
                    tok.pos_ = "PUNCT"
                tok.lemma_ = tok.lower_
                continue
            lemma, pos, case = analyse(tok.text, lang)[:3]
            tok.lemma_ = lemma.replace("ё", "е") if lang == "ru" else lemma
            tok.pos_ = pos
            if case:
                tok.set_morph(f"Case={case}")
        return doc
