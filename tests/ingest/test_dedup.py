"""Ids are content hashes of a kind: re-ingesting is a no-op; copies are marked, not lost."""
from __future__ import annotations

import json
import sqlite3

from claimledger import Ledger, Options, ingest
from tests.conftest import SEEDS


def dump(path) -> list:
    db = sqlite3.connect(path)
    rows = []
    for table in ("documents", "doc_bands", "rejections", "claims", "events", "schema_migrations"):
        rows.append((table, sorted(map(tuple, db.execute(f"SELECT * FROM {table}").fetchall()), key=repr)))
    db.close()
    return rows


def test_reingest_leaves_the_database_identical(tmp_path):
    path = tmp_path / "l.db"
    ledger = Ledger(path)
    first = ingest([str(SEEDS)], ledger, Options(quiet=True))
    before = dump(path)
    second = ingest([str(SEEDS)], ledger, Options(quiet=True))
    assert first.added == 5 and second.added == 0 and second.unchanged == 5
    assert dump(path) == before


def test_near_duplicate_and_exact_copy_are_marked(tmp_path):
    original = (SEEDS / "002_8b076f6054a706c2.txt").read_text()
    rewrite = original.replace("Saturday", "Sat.").replace("significant", "major").replace("Britain’s", "The UK’s")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a_original.txt").write_text(original)
    (tmp_path / "in" / "b_syndicated.txt").write_text(original)
    (tmp_path / "in" / "c_rewrite.txt").write_text(rewrite)
    (tmp_path / "in" / "d_other.txt").write_text((SEEDS / "001_f87c41939156ae4d.txt").read_text())
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "in")], ledger, Options(extract=False))
    assert (report.added, report.exact_copies, report.near_duplicates) == (4, 1, 1)
    assert ledger.get_document("b_syndicated").duplicate_of == "a_original"
    assert ledger.get_document("c_rewrite").duplicate_of == "a_original"
    assert ledger.get_document("d_other").duplicate_of is None


def test_same_name_other_content_keeps_both(tmp_path):
    for sub, text in (("x", "Russian forces shelled Kharkiv on Monday."), ("y", "Ukraine retook Izium on Saturday.")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "0001.txt").write_text(text)
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(tmp_path / "x"), str(tmp_path / "y")], ledger, Options(extract=False))
    ids = sorted(d.doc_id for d in ledger.iter_documents())
    assert ids[0] == "0001" and ids[1].startswith("0001-") and len(ids) == 2


def test_manifest_fields_win_and_unmatched_rows_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Headline guessed\n\nRussian forces shelled Kharkiv on Monday.\n\nSource: Guessed")
    (tmp_path / "m.jsonl").write_text(
        json.dumps({"file": "a.txt", "title": "From manifest", "outlet": "Reuters", "published": "2022-09"}) + "\n"
        + json.dumps({"file": "missing.txt", "title": "x"}) + "\n")
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "a.txt")], ledger, Options(extract=False), manifests=[str(tmp_path / "m.jsonl")])
    doc = ledger.get_document("a")
    assert (doc.title, doc.outlet, doc.published) == ("From manifest", "Reuters", None)
    assert doc.meta["published_partial"] == "2022-09"
    assert [w.code for w in report.warnings] == ["E012"] and "missing.txt" in report.warnings[0].message
