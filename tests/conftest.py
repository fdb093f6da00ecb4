"""Shared fixtures. Tests that need ../shared (the corpus, the gold set, the scorer) skip with
a reason when it is absent; the seeds travel with the repo under examples/seeds."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "eval" / "dev"
SCORER = SHARED / "eval" / "score.py"

needs_shared = pytest.mark.skipif(not (SHARED / "corpus").is_dir(),
                                  reason="../shared (corpus, gold set, scorer) is not beside this checkout")


@pytest.fixture(scope="session")
def nlp():
    from claimledger.extract.run import get_nlp
    return get_nlp()


@pytest.fixture(scope="session")
def seeds_ledger(tmp_path_factory):
    """The bundled seeds, ingested and extracted once for the session."""
    from claimledger import Ledger, Options, ingest
    path = tmp_path_factory.mktemp("seeds") / "seeds.db"
    ledger = Ledger(path)
    ingest([str(SEEDS)], ledger, Options(quiet=True))
    return ledger


@pytest.fixture(scope="session")
def seeds_export(seeds_ledger, tmp_path_factory):
    from claimledger import export
    out = tmp_path_factory.mktemp("export")
    export(seeds_ledger, out)
    return out


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def analyse(nlp, text: str, published: str | None = None, outlet: str | None = None):
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.outlet = outlet
    return nlp(doc)
