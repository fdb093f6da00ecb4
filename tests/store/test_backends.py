"""The ledger on both backends (SQLite and PostgreSQL, one parametrised fixture): the same
migrations, transactions, upserts, search and change stamps, byte-identical exports, and
writers that run at once without duplicating or losing a document."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger import Ledger, Options, export, ingest
from claimledger.cli import app
from claimledger.errors import LedgerError
from claimledger.model import Rejection
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
EXPORT_FILES = ("documents.jsonl", "claims.jsonl", "events.jsonl", "places.geojson")


def same_export(a: Path, b: Path) -> None:
    for name in EXPORT_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"{name} differs"


def test_migrations_are_numbered_and_idempotent(ledger_target):
    ledger = Ledger(ledger_target)
    assert [r[0] for r in ledger.db.execute("SELECT name FROM schema_migrations ORDER BY version")] == [
        "initial", "claims", "search", "web_indexes", "event_sides", "link_keys"]
    ledger.close()
    again = Ledger(ledger_target)
    assert again.schema_version() == 6
    with again.transaction():
        again.db.execute("INSERT INTO schema_migrations VALUES (99, 'future')")
    again.close()
    with pytest.raises(LedgerError) as e:
        Ledger(ledger_target)
    assert e.value.code == "E021"


def test_rollback_savepoint_and_upsert(ledger_target):
    ledger = Ledger(ledger_target)
    with pytest.raises(RuntimeError):
        with ledger.transaction():
            ledger.add_rejections([Rejection("a.txt", "E003", "first")])
            raise RuntimeError
    assert ledger.count("rejections") == 0
    with ledger.transaction():
        ledger.add_rejections([Rejection("a.txt", "E003", "first")])
        with pytest.raises(ledger.errors):
            with ledger.savepoint():
                ledger.add_rejections([Rejection("b.txt", "E003", "kept out")])
                ledger.db.execute("INSERT INTO no_such_table VALUES (1)")
        ledger.add_rejections([Rejection("a.txt", "E003", "second")])  # same key: replaced, not doubled
    assert [(r.source, r.message) for r in ledger.rejections()] == [("a.txt", "second")]


def test_the_seeds_export_is_byte_identical_on_both(ledger_target, seeds_export, tmp_path):
    ledger = Ledger(ledger_target)
    report = ingest([str(SEEDS)], ledger, Options(quiet=True))
    assert (report.added, report.rejected) == (5, [])
    export(ledger, tmp_path / "x")
    same_export(tmp_path / "x", seeds_export)
    ledger.close()


def test_search_revision_and_read_only(ledger_target):
    ledger = Ledger(ledger_target)
    before = ledger.revision()
    ingest([str(SEEDS)], ledger, Options(quiet=True))
    assert ledger.revision() != before
    claims, docs = ledger.search(["Konashenkov"])
    assert claims and all("\x02Konashenkov\x03" in r[2] or "Konashenkov" in r[3] for r in claims)
    assert any("\x02Konashenkov\x03" in r[2] for r in claims)
    assert {c[1] for c in claims} <= {r[0] for r in docs}
    assert ledger.search(["nosuchwordanywhere"]) == ([], [])
    ledger.close()
    reader = Ledger(ledger_target, readonly=True)
    assert reader.count("documents") == 5
    with pytest.raises(reader.errors):
        with reader.transaction():
            reader.add_rejections([Rejection("x", "E003", "m")])
    reader.close()


def test_a_prefix_finds_every_case_form(ledger_target, tmp_path):
    """Cyrillic search words are prefixes of their stem (web/queries.py): on both backends."""
    import json
    record = {"id": "uk", "language": "uk", "outlet": "RBC-Ukraine", "published": "2024-05-15",
              "text": "З Вовчанська евакуювали понад 500 жителів, повідомив Олег Синєгубов. У Вовчанську тривають бої."}
    (tmp_path / "uk.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    ledger = Ledger(ledger_target)
    ingest([str(tmp_path / "uk.jsonl")], ledger, Options(quiet=True))
    claims, docs = ledger.search(["Вовчанськ*"])
    found = " ".join(r[2] for r in claims + docs)
    assert "\x02Вовчанська\x03" in found and [r[0] for r in docs] == ["uk"]
    assert ledger.search(["Вовчанськ"]) == ([], [])  # without the marker, the word is whole
    ledger.close()


def test_near_copies_and_renamed_copies_are_marked(ledger_target, tmp_path):
    text = SEED_FILES[1].read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text(text, encoding="utf-8")  # an exact copy under another name
    (folder / "c.txt").write_text(text + "\n\nThe report was updated.", encoding="utf-8")  # a near copy
    ledger = Ledger(ledger_target)
    report = ingest([str(folder)], ledger, Options(quiet=True, extract=False))
    assert (report.added, report.exact_copies, report.near_duplicates) == (3, 1, 1)
    copies = dict(ledger.db.execute("SELECT doc_id, duplicate_of FROM documents ORDER BY doc_id").fetchall())
    assert copies == {"a": None, "b": "a", "c": "a"}


def _two_writers(target: str, tmp_path: Path) -> list[subprocess.CompletedProcess]:
    """Two ingest processes at once on overlapping inputs: seeds 1-4 and seeds 2-5 (plus the
    same crafted reports in both)."""
    extra = [f"Russian forces shelled the village of Village{n} overnight, killing {n % 5 + 2} civilians, "
             f"the governor said on Telegram." for n in range(12)]
    folders = []
    for k, files in enumerate((SEED_FILES[:4], SEED_FILES[1:])):
        folder = tmp_path / f"in{k}"
        folder.mkdir()
        for f in files:
            (folder / f.name).write_bytes(f.read_bytes())
        for n, text in enumerate(extra):
            (folder / f"x{n:02d}.txt").write_text(text, encoding="utf-8")
        folders.append(folder)
    env = {**os.environ, "CLAIMLEDGER_DB": target}
    procs = [subprocess.Popen([sys.executable, "-m", "claimledger.cli", "ingest", str(f), "-q"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in folders]
    done = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


def test_two_writers_at_once_leave_no_duplicates_and_lose_nothing(ledger_target, tmp_path):
    Ledger(ledger_target).close()  # created first, so both processes find it
    runs = _two_writers(ledger_target, tmp_path)
    for run in runs:
        assert run.returncode == 0, run.stderr
    ledger = Ledger(ledger_target, readonly=True)
    ids = [r[0] for r in ledger.db.execute("SELECT doc_id FROM documents ORDER BY doc_id")]
    assert ids == [f.stem for f in SEED_FILES] + [f"x{n:02d}" for n in range(12)]
    assert ledger.count("rejections") == 0
    (n_claims, distinct), = ledger.db.execute("SELECT count(*), count(DISTINCT claim_id) FROM claims").fetchall()
    assert n_claims == distinct > 92
    unlinked = ledger.db.execute("SELECT count(*) FROM claims WHERE event_id IS NULL").fetchone()[0]
    assert unlinked == 0, "every claim of both runs ends in an event"
    events = list(ledger.iter_events())
    assert sorted(c for e in events for c in e["claim_ids"]) == sorted(
        r[0] for r in ledger.db.execute("SELECT claim_id FROM claims"))


@pytest.mark.postgres
def test_the_cli_on_postgresql(pg_url, tmp_path, seeds_export, seeds_ledger):
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(SEEDS), "--db", pg_url, "-q"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "--out", str(tmp_path / "x")], env={"CLAIMLEDGER_DB": pg_url})
    assert r.exit_code == 0, r.output
    same_export(tmp_path / "x", seeds_export)
    r = runner.invoke(app, ["stats", "--db", pg_url])
    assert r.exit_code == 0 and "96" in r.output
    r = runner.invoke(app, ["events", "--db", pg_url, "--place", "Izyum"])
    lite = runner.invoke(app, ["events", "--db", seeds_ledger.path, "--place", "Izyum"])
    assert r.exit_code == 0 and "Events (6 of 6)" in r.output and r.output == lite.output
    r = runner.invoke(app, ["reconcile", "--db", pg_url])
    assert r.exit_code == 0 and "12 events" in r.output


@pytest.mark.postgres
def test_an_unreachable_server_is_a_coded_error(pg_server, tmp_path):
    url = f"postgresql://claimledger:secret@/nosuchdb?host={tmp_path}&port=5999"
    with pytest.raises(LedgerError) as e:
        Ledger(url)
    assert e.value.code == "E026" and "secret" not in e.value.message
    r = CliRunner().invoke(app, ["stats", "--db", url])
    assert r.exit_code == 2 and "E026" in r.output and "secret" not in r.output


@pytest.mark.postgres
def test_text_sorts_by_code_point_whatever_the_locale(pg_url):
    """Ids that a locale collation would order differently ('a-b' < 'aa' in C, not in en_US)."""
    ledger = Ledger(pg_url)
    with ledger.transaction():
        ledger.add_rejections([Rejection(s, "E003", "m") for s in ("aa", "a-b", "B", "é", "z")])
    assert [r.source for r in ledger.rejections()] == sorted(["aa", "a-b", "B", "é", "z"])


@pytest.mark.postgres
def test_the_web_api_reads_postgresql(pg_url, tmp_path):
    from fastapi.testclient import TestClient

    from claimledger.web.app import create_app
    sqlite_path = str(tmp_path / "s.db")
    for target in (pg_url, sqlite_path):
        ledger = Ledger(target)
        ingest([str(SEEDS)], ledger, Options(quiet=True))
        ledger.close()
    pg, lite = TestClient(create_app(pg_url)), TestClient(create_app(sqlite_path))
    for path in ("/index.json", "/events.json?sort=date", "/events.json?sort=sources&side=UA",
                 "/events.json?place=Izyum", "/map.json", "/documents/002_8b076f6054a706c2.json"):
        a, b = pg.get(path), lite.get(path)
        assert a.status_code == b.status_code == 200, path
        assert a.json() == b.json(), path
    event_id = pg.get("/events.json?sort=claims").json()["events"][0]["event_id"]
    assert pg.get(f"/events/{event_id}.json").json() == lite.get(f"/events/{event_id}.json").json()
    found = pg.get("/search.json?q=Konashenkov").json()
    assert found["claims"] and "\x02Konashenkov\x03" in found["claims"][0]["snippet"]
    assert "<mark>Konashenkov</mark>" in pg.get("/search?q=Konashenkov").text
    assert pg.get("/events/nosuch.json").status_code == 404
    # a write shows up on the next request (the caches key on the ledger's revision)
    ledger = Ledger(pg_url)
    before = pg.get("/index.json").json()["totals"]["documents"]
    extra = tmp_path / "more.jsonl"
    extra.write_text(json.dumps({"id": "extra", "text": "Russian forces shelled Kharkiv overnight, killing two "
                                 "civilians, the governor said."}) + "\n")
    ingest([str(extra)], ledger, Options(quiet=True))
    assert pg.get("/index.json").json()["totals"]["documents"] == before + 1


def test_a_missing_server_skips_here_and_fails_under_ci(tmp_path):
    """Without a server the PostgreSQL tests skip with the reason; with
    CLAIMLEDGER_REQUIRE_SERVICES=1 (what .ci/run sets under CI=true) they fail instead."""
    test = "tests/store/test_backends.py::test_text_sorts_by_code_point_whatever_the_locale"
    env = {**os.environ, "PG_BIN": str(tmp_path)}  # no initdb there
    env.pop("CLAIMLEDGER_REQUIRE_SERVICES", None)
    root = Path(__file__).resolve().parents[2]
    skipped = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
                             cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert skipped.returncode == 0 and "1 skipped" in skipped.stdout and "initdb" in skipped.stdout
    failed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=root,
                            env={**env, "CLAIMLEDGER_REQUIRE_SERVICES": "1"}, capture_output=True, text=True,
                            timeout=300)
    assert failed.returncode != 0 and "must run here" in failed.stdout
