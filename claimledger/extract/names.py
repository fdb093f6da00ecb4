"""Names of people, organisations and places in Russian and Ukrainian text.

``claimledger_names`` runs natasha's slovnet NER model (news-trained, shipped inside the
``natasha`` wheel: no download) and writes its spans to ``Doc.ents`` as PERSON / ORG / LOC.
The model is Russian; on Ukrainian it finds people and organisations well and places poorly
(measured in docs/LANGUAGES.md), which is why places never rest on it: the gazetteer decides.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from claimledger.errors import ClaimledgerError

LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}


@lru_cache(maxsize=1)
def tagger():
    try:
        from natasha import NewsEmbedding, NewsNERTagger
    except ImportError:
        raise ClaimledgerError("E032", what="Russian and Ukrainian names",
                               reason="natasha is not installed (pip install claimledger installs it)") from None
    return NewsNERTagger(NewsEmbedding())


@Language.factory("claimledger_names")
def make_names(nlp: Language, name: str):
    return NameFinder()


class NameFinder:
    def __init__(self):
        tagger()

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc.text))
        return doc

    @staticmethod
    def match(text: str) -> list[tuple[int, int, str]]:
        return [(s.start, s.stop, LABELS[s.type]) for s in tagger()(text).spans if s.type in LABELS]

    @staticmethod
    def set_annotations(doc: Doc, found: list[tuple[int, int, str]]) -> None:
        spans = [doc.char_span(a, b, label=label, alignment_mode="expand") for a, b, label in found]
        doc.ents = filter_spans([s for s in spans if s is not None])
