"""Shared fixtures. Tests that need ../shared (the corpus, the gold set, the scorer) skip with
a reason when it is absent; the seeds travel with the repo under examples/seeds."""
from __future__ import annotations

import itertools
import json
import os
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


@pytest.fixture(scope="session")
def corpus_in_two_ingests(tmp_path_factory):
    """The corpus ingested in two batches (incremental linking), exported; then rebuilt. The second
    batch brings the Russian and Ukrainian articles too, so their claims link to English events."""
    from claimledger import Ledger, Options, export, ingest
    from claimledger.reconcile import reconcile_ledger
    tmp = tmp_path_factory.mktemp("incremental")
    files = sorted((CORPUS / "articles").glob("*.txt"))
    halves = [tmp / "a", tmp / "b"]
    for k, folder in enumerate(halves):
        (folder / "articles").mkdir(parents=True)
        (folder / "manifest.jsonl").write_bytes((CORPUS / "manifest.jsonl").read_bytes())
        for f in files[k * len(files) // 2:(k + 1) * len(files) // 2]:
            (folder / "articles" / f.name).write_bytes(f.read_bytes())
    ledger = Ledger(tmp / "c.db")
    for k, folder in enumerate(halves):
        inputs = [str(folder / "articles")] + ([str(CORPUS / "other_lang.jsonl")] if k else [])
        ingest(inputs, ledger, Options(quiet=True), manifests=[str(folder / "manifest.jsonl")])
    export(ledger, tmp / "incremental")
    reconcile_ledger(ledger)
    export(ledger, tmp / "rebuilt")
    return tmp


@pytest.fixture(scope="session")
def other_lang_ledger(tmp_path_factory):
    """The corpus's 26 Russian and Ukrainian articles (other_lang.jsonl), ingested once."""
    from claimledger import Ledger, Options, ingest
    if not (CORPUS / "other_lang.jsonl").exists():
        pytest.skip("../shared (corpus, gold set, scorer) is not beside this checkout")
    ledger = Ledger(tmp_path_factory.mktemp("other") / "other.db")
    report = ingest([str(CORPUS / "other_lang.jsonl")], ledger, Options(quiet=True))
    return ledger, report


@pytest.fixture(scope="session")
def other_lang_export(other_lang_ledger, tmp_path_factory):
    from claimledger import export
    out = tmp_path_factory.mktemp("other-export")
    export(other_lang_ledger[0], out)
    return out


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def analyse(nlp, text: str, published: str | None = None, outlet: str | None = None):
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.outlet = outlet
    return nlp(doc)


# --- PostgreSQL and Ray ------------------------------------------------------------------------
# A user's clone without a PostgreSQL server or Ray skips these tests with the reason; CI sets
# CLAIMLEDGER_REQUIRE_SERVICES=1 (see .ci/run), where a missing one fails instead.
REQUIRE_SERVICES = os.environ.get("CLAIMLEDGER_REQUIRE_SERVICES") == "1"


def unavailable(what: str, reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} must run here (CLAIMLEDGER_REQUIRE_SERVICES=1), but {reason}", pytrace=False)
    pytest.skip(f"{what}: {reason}")


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session (Debian's postgresql package, no Docker)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("PostgreSQL tests", "psycopg is not installed (pip install 'claimledger[postgres]')")
    from claimledger.store.tempserver import ServerMissing, TempPostgres
    try:
        server = TempPostgres().start()
    except ServerMissing as e:
        unavailable("PostgreSQL tests", str(e))
    yield server
    server.stop()


_DATABASES = itertools.count()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new, empty database on the session's server."""
    return pg_server.database(f"t{next(_DATABASES)}")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_target(request, tmp_path) -> str:
    """Where a new ledger goes, once per backend: an SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def ray_runtime():
    """A local Ray runtime with two workers' CPUs (loopback only), started once."""
    try:
        import ray
    except ImportError:
        unavailable("Ray tests", "Ray is not installed (pip install 'claimledger[ray]')")
    from claimledger.extract.ray_engine import start
    yield start(2)
    ray.shutdown()
