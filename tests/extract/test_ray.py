"""Extraction on Ray: the same results as a local run, into either backend, and a worker killed
with SIGKILL mid-batch costs a retry, not a batch."""
from __future__ import annotations

import os
import signal

import pytest
from typer.testing import CliRunner

from claimledger import Ledger, Options, export, ingest
from claimledger.cli import app
from claimledger.extract.run import extract_batch
from tests.conftest import SEEDS
from tests.store.test_backends import same_export

pytestmark = pytest.mark.ray


def test_ray_workers_give_the_local_export(ray_runtime, tmp_path, seeds_export):
    ledger = Ledger(tmp_path / "r.db")
    report = ingest([str(SEEDS)], ledger, Options(quiet=True, engine="ray", workers=2, batch_size=2))
    assert (report.extracted, report.claims) == (5, 96)
    export(ledger, tmp_path / "x")
    same_export(tmp_path / "x", seeds_export)


@pytest.mark.postgres
def test_ray_into_postgresql_from_the_cli(ray_runtime, pg_url, tmp_path, seeds_export):
    r = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", pg_url, "--engine", "ray", "--workers", "2", "-q"])
    assert r.exit_code == 0, r.output
    export(Ledger(pg_url, readonly=True), tmp_path / "x")
    same_export(tmp_path / "x", seeds_export)


def test_an_unknown_engine_is_a_coded_error(tmp_path):
    r = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", str(tmp_path / "l.db"), "--engine", "spark"])
    assert r.exit_code == 2 and "E040" in r.output and "local, ray" in r.output


def test_a_worker_killed_mid_batch_is_retried_and_each_batch_comes_back_once(ray_runtime, seeds_ledger):
    from claimledger.extract.ray_engine import RayPool

    docs = [seeds_ledger.get_document(d) for d in seeds_ledger.document_ids()]
    batches = [[d] for d in docs] * 2  # ten one-document batches: four in flight at a time
    local = [[(d.doc_id, [c.to_dict() for c in claims]) for d, claims in extract_batch(b)] for b in batches]
    with RayPool(Options(engine="ray", workers=2)) as pool:
        victim = pool.pids()[1]  # the worker of batches 1, 3, 5, ...
        results = pool.map(batches)
        got = [next(results)]  # batch 0 is back, batches 1-3 are out: worker 1 holds batch 1
        os.kill(victim, signal.SIGKILL)
        got.extend(results)
        assert victim not in pool.pids(), "the killed worker was replaced"
    assert [[(d.doc_id, [c.to_dict() for c in claims]) for d, claims in r] for r in got] == local
