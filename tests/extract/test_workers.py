"""Two extraction processes give exactly what one gives."""
from __future__ import annotations

from claimledger import Ledger, Options, ingest
from tests.conftest import SEEDS


def test_two_workers_match_one(tmp_path):
    results = []
    for workers in (1, 2):
        ledger = Ledger(tmp_path / f"w{workers}.db")
        ingest([str(SEEDS)], ledger, Options(workers=workers, batch_size=2, quiet=True))
        results.append(sorted((c.claim_id, c.type, c.certainty, c.claimant.name, len(c.quantities))
                              for c in ledger.iter_claims()))
    assert results[0] == results[1] and len(results[0]) > 50


def test_a_failing_document_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch):
    import importlib

    pipeline = importlib.import_module("claimledger.extract.pipeline")  # claimledger.extract is the function
    real = pipeline.find_quantities

    def explode(sent):
        if "EXPLODE" in sent.text:
            raise RuntimeError("boom")
        return real(sent)

    monkeypatch.setattr(pipeline, "find_quantities", explode)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_text("Russian forces shelled Kharkiv, killing 5 people. EXPLODE now, officials said.")
    (folder / "good.txt").write_text("Russian forces shelled Izium, killing 3 civilians, the governor said.")
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(folder)], ledger, Options(quiet=True))
    assert [r.code for r in ledger.rejections()] == ["E031"] and "boom" in ledger.rejections()[0].message
    assert ledger.claims_for_document("good") and ledger.claims_for_document("bad") == []
