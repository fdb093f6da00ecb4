"""The shared corpus end to end: every article (with its manifest) and every HTML page goes in,
and the export keeps the contract; table-driven cases on real corpus sentences, found by a
short anchor in the article (the texts stay in ../shared)."""
from __future__ import annotations

import json

import pytest

from claimledger import Ledger, Options, export, ingest
from tests.conftest import CORPUS, analyse, needs_shared, read_jsonl

pytestmark = needs_shared


@pytest.fixture(scope="module")
def corpus_export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus")
    ledger = Ledger(tmp / "c.db")
    report = ingest([str(CORPUS / "articles"), str(CORPUS / "html")], ledger, Options(quiet=True),
                    manifests=[str(CORPUS / "manifest.jsonl"), str(CORPUS / "manifest_html.jsonl")])
    export(ledger, tmp / "x")
    return report, tmp / "x"


def test_the_whole_corpus_goes_in_and_exports(corpus_export):
    report, out = corpus_export
    assert report.rejected == [] and report.added == 162 and report.non_english == 4
    docs = {d["doc_id"]: d for d in read_jsonl(out / "documents.jsonl")}
    claims = read_jsonl(out / "claims.jsonl")
    assert len(docs) == 162 and len(claims) > 2000
    manifest = [json.loads(line) for line in (CORPUS / "manifest.jsonl").read_text().splitlines()]
    row = next(r for r in manifest if r["file"] == "articles/0057.txt")
    assert (docs["0057"]["outlet"], docs["0057"]["published"]) == (row["outlet"], row["published"])
    for c in claims:
        assert docs[c["doc_id"]]["text"][c["start"]:c["end"]] == c["sentence"]
        assert docs[c["doc_id"]]["language"] == "en"
    assert read_jsonl(out / "events.jsonl")
    assert json.loads((out / "places.geojson").read_text())["features"]


def sentence_with(article: str, anchor: str) -> str:
    text = (CORPUS / "articles" / f"{article}.txt").read_text(encoding="utf-8")
    i = text.index(anchor)
    start = max(text.rfind(". ", 0, i), text.rfind("\n", 0, i)) + 1
    end = min(x for x in (text.find(". ", i), text.find("\n", i), len(text)) if x >= 0) + 1
    return text[start:end].strip()


CASES = [
    # (article, anchor, claimant side, certainty, figure (value, unit, category, party) or None)
    ("0042", "nearly 9,000 Ukrainian soldiers", "UA", "attributed", (9000, "persons", "killed", "UA")),
    ("0042", "70,000 to 80,000 Russian troops", "THIRD", "attributed", (70000, "persons", "killed", "RU")),
    ("0097", "has rejected Ukraine", "RU", "disputed", None),
    ("0057", "pulling back troops from two areas", "RU", "attributed", None),
]


@pytest.mark.parametrize("article,anchor,side,certainty,figure", CASES)
def test_real_sentences(nlp, article, anchor, side, certainty, figure):
    sentence = sentence_with(article, anchor)
    (claim,) = [c for c in analyse(nlp, sentence)._.claims if anchor in c.sentence]
    assert (claim.claimant.side, claim.certainty) == (side, certainty), claim.claimant
    if figure:
        assert any((q.value, q.unit, q.category, q.party) == figure for q in claim.quantities), claim.quantities


@pytest.mark.postgres
@pytest.mark.slow
def test_the_corpus_on_postgresql_exports_the_same_bytes_and_scores(corpus_export, pg_url):
    """The whole corpus into PostgreSQL: the export is byte-identical to SQLite's, so the quality
    gate's scores are too (scored on both to show it)."""
    from tests.conftest import SHARED
    from tests.store.test_backends import same_export
    from tests.test_quality_gate import run_scorer

    _, lite = corpus_export
    ledger = Ledger(pg_url)
    report = ingest([str(CORPUS / "articles"), str(CORPUS / "html")], ledger, Options(quiet=True),
                    manifests=[str(CORPUS / "manifest.jsonl"), str(CORPUS / "manifest_html.jsonl")])
    assert report.rejected == [] and report.added == 162
    pg = lite.parent / "pg"
    export(ledger, pg)
    same_export(pg, lite)
    gold = SHARED / "eval" / "corpus-dev"
    assert run_scorer(pg, gold, {}) == run_scorer(lite, gold, {})
