"""The ingest stage: stream inputs in batches into the ledger, then extract and reconcile.

Each stage is a function over a batch of records, so another engine (a process pool here,
Ray elsewhere) can run the same functions:

    read_inputs → prepare_batch → store_batch (dedupe + insert, one transaction)
    → extract pending documents (one transaction per batch) → link their claims into events
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator, TypeVar

from claimledger.errors import InputError
from claimledger.ingest import minhash
from claimledger.ingest.manifest import Manifest
from claimledger.ingest.prepare import prepare
from claimledger.ingest.readers import RawInput, read_inputs
from claimledger.model import LANGUAGES, Document, Rejection
from claimledger.options import Options
from claimledger.store.ledger import Ledger

T = TypeVar("T")


@dataclass
class IngestReport:
    added: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    exact_copies: int = 0
    not_read: int = 0  # documents in a language claimledger does not read (stored, not analysed)
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Rejection] = field(default_factory=list)
    extracted: int = 0
    claims: int = 0
    events: int = 0

    @property
    def exit_code(self) -> int:
        return 3 if self.rejected else 0


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def prepare_batch(batch: list[RawInput | Rejection], manifest: Manifest | None) -> list[Document | Rejection]:
    out: list[Document | Rejection] = []
    for item in batch:
        if isinstance(item, Rejection):
            out.append(item)
            continue
        try:
            out.append(prepare(item, manifest.row_for(item.path) if manifest else None))
        except InputError as e:
            out.append(Rejection(item.source, e.code, e.message, e.info.get("line") or None))
        except Exception as e:  # a parser's own failure on odd input refuses that input only
            err = InputError("E017", doc_id=item.doc_id, path=item.source, reason=f"{type(e).__name__}: {e}")
            out.append(Rejection(item.source, err.code, err.message))
    return out


def store_batch(ledger: Ledger, batch: list[Document | Rejection], options: Options,
                report: IngestReport) -> None:
    """Dedupe and insert one batch in a single transaction."""
    with ledger.transaction():
        for item in batch:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                ledger.add_rejections([item])
                continue
            try:
                with ledger.savepoint():
                    _store_one(ledger, item, options, report)
            except ledger.errors as e:  # the document is refused, never the batch
                if ledger.is_fatal(e):  # the database itself failed, not this document
                    raise
                err = InputError("E017", doc_id=item.doc_id, path=item.source, reason=str(e))
                rejection = Rejection(item.source or item.doc_id, err.code, err.message)
                report.rejected.append(rejection)
                ledger.add_rejections([rejection])


def _store_one(ledger: Ledger, doc: Document, options: Options, report: IngestReport) -> None:
    existing = ledger.document_hash(doc.doc_id)
    if existing == doc.content_hash:
        report.unchanged += 1
        return
    if existing is not None:  # same name, other content: keep both
        doc.doc_id = f"{doc.doc_id}-{doc.content_hash[:8]}"
        if ledger.document_hash(doc.doc_id) is not None:
            report.unchanged += 1
            return
    copy_of = ledger.doc_id_for_hash(doc.content_hash)
    sig = minhash.signature(doc.text)
    keys = minhash.band_keys(sig)
    if copy_of:
        doc.duplicate_of = copy_of
        report.exact_copies += 1
    else:
        for cand_id, cand_sig in ledger.near_duplicate_candidates(keys):
            if minhash.similarity(sig, cand_sig) >= options.near_duplicate_threshold:
                doc.duplicate_of = cand_id
                report.near_duplicates += 1
                break
    ledger.add_document(doc, sig, keys)
    report.added += 1
    report.warnings.extend(doc.warnings)
    if doc.language not in LANGUAGES:
        report.not_read += 1


def ingest(paths: list[str], ledger: Ledger, options: Options | None = None,
           manifests: list[str] | None = None, progress=None) -> IngestReport:
    """Ingest files, folders or '-' (stdin JSON Lines) into ``ledger``; extract and reconcile."""
    options = options or Options()
    report = IngestReport()
    manifest = Manifest.load(manifests) if manifests else None
    if manifest:
        report.rejected.extend(manifest.problems)
        report.warnings.extend(manifest.warnings)
        with ledger.transaction():
            ledger.add_rejections(manifest.problems)
    for batch in batched(read_inputs(paths, options), options.batch_size):
        prepared = prepare_batch(batch, manifest)
        store_batch(ledger, prepared, options, report)
        if progress:
            progress(len(batch))
    if manifest:
        report.warnings.extend(manifest.unmatched())
    if options.extract:
        from claimledger.extract.run import extract_pending
        report.extracted, report.claims = extract_pending(ledger, options)
        if options.reconcile:
            from claimledger.reconcile import link_new
            link_new(ledger)
            report.events = ledger.count("events")
    return report
