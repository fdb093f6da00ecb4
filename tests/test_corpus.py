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
    assert report.rejected == [] and report.added == 162 and report.not_read == 4
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


def test_every_russian_and_ukrainian_article_gives_claims(other_lang_ledger, other_lang_export):
    """All 26 articles of other_lang.jsonl are read by their language's pipeline: claims with
    sources named in the actor table's English form, Cyrillic places on the gazetteer, the
    sentence as written."""
    ledger, report = other_lang_ledger
    assert report.rejected == [] and report.added == 26
    docs = {d["doc_id"]: d for d in read_jsonl(other_lang_export / "documents.jsonl")}
    claims = read_jsonl(other_lang_export / "claims.jsonl")
    assert {d["language"] for d in docs.values()} == {"ru", "uk"}
    by_doc = {}
    for c in claims:
        by_doc.setdefault(c["doc_id"], []).append(c)
        assert docs[c["doc_id"]]["text"][c["start"]:c["end"]] == c["sentence"]
    assert set(by_doc) == set(docs)
    actors = {c["claimant"]["actor"] for c in claims}
    assert {"Russian Defence Ministry", "Oleh Syniehubov", "Valery Gerasimov"} <= actors
    names = {p["name"] for d in docs.values() for p in d["places"]}
    assert {"Kupiansk", "Vovchansk", "Izium", "Balakliia", "Kharkiv Oblast"} <= names


OTHER_CASES = [
    # (article, anchor, claimant actor, side, certainty, figure (value, unit, category, party) or None)
    ("ol-0017", "уничтожено до 50 военнослужащих ВСУ", "Russian Defence Ministry", "RU", "attributed",
     (50, "persons", "killed", "UA")),
    ("ol-0022", "спростували в ОТУ", "Kharkiv Operational-Tactical Group", "UA", "disputed", None),
    ("ol-0012", "евакуювали вже 10 700 людей", "Oleh Syniehubov", "UA", "attributed",
     (10700, "persons", "evacuated", "CIV")),
]


@pytest.mark.parametrize("doc_id,anchor,actor,side,certainty,figure", OTHER_CASES, ids=[c[0] for c in OTHER_CASES])
def test_real_russian_and_ukrainian_sentences(other_lang_export, doc_id, anchor, actor, side, certainty, figure):
    (claim,) = [c for c in read_jsonl(other_lang_export / "claims.jsonl") if c["doc_id"] == doc_id and anchor in c["sentence"]]
    assert (claim["claimant"]["actor"], claim["claimant"]["side"], claim["certainty"]) == (actor, side, certainty)
    if figure:
        assert any((q["value"], q["unit"], q["category"], q["party"]) == figure for q in claim["quantities"])


def test_search_finds_cyrillic_words_in_every_case_form(other_lang_ledger):
    from claimledger.web.queries import search_term
    ledger, _ = other_lang_ledger
    claims, docs = ledger.search([search_term("Купянск")], 50)
    snippets = " ".join(r[2] for r in claims)
    assert "Купянске" in snippets.replace("\x02", "").replace("\x03", "") and docs
