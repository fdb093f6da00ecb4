"""Saved HTML pages: main text, title, date and outlet via trafilatura/htmldate."""
from __future__ import annotations

import json

from claimledger import Ledger, Options, ingest
from tests.conftest import CORPUS, needs_shared


@needs_shared
def test_corpus_html_pages(tmp_path):
    ledger = Ledger(tmp_path / "h.db")
    report = ingest([str(CORPUS / "html")], ledger, Options(extract=False))
    assert report.rejected == [] and report.added == 9
    manifest = {json.loads(l)["file"].split("/")[-1][:-5]: json.loads(l)
                for l in (CORPUS / "manifest_html.jsonl").read_text().splitlines()}
    for doc in ledger.iter_documents():
        row = manifest[doc.doc_id]
        assert doc.language == row["language"], doc.doc_id
        assert len(doc.text) > 500 and "<script" not in doc.text and "<div" not in doc.text
        assert doc.title and doc.outlet
    guardian = ledger.get_document("0001")
    assert guardian.published == "2023-05-15"
    assert guardian.outlet == "The Guardian"
    assert guardian.raw.lstrip().lower().startswith("<!doctype html")
