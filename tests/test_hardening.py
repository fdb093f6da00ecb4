"""Hostile and clumsy inputs: each ends as a stored document or a coded message, the rest of the
batch goes in with its claims, and the ledger stays usable. One test per defect found."""
from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimledger import Ledger, Options, ingest
from claimledger.cli import app
from claimledger.extract import run as extract_run
from claimledger.ingest.readers import iter_paths, read_inputs
from claimledger.web.app import create_app, doc_id_of, doc_key
from tests.conftest import ROOT, SEEDS

runner = CliRunner()
SEED = sorted(SEEDS.glob("*.txt"))[0]
TEXT = ("Ukraine’s army said Russian forces shelled Izium on Monday, killing 3 civilians. "
        "The mayor said 4 more people were injured.")


def _codes(report) -> list[str]:
    return sorted(r.code for r in report.rejected)


# --- 1. texts over spaCy's limit --------------------------------------------------------------
@pytest.mark.parametrize("text,limit", [
    ("a b c. " * 40, 50),
    ("First paragraph here.\n\nSecond one is longer than that.\n\nThird.", 40),
    ("x" * 250, 100),  # no break at all: hard cuts
    ("Short.", 100),
])
def test_pieces_cover_the_text_and_end_at_breaks(text, limit):
    cuts = extract_run.pieces(text, limit)
    assert "".join(p for _, p in cuts) == text
    assert all(len(p) <= limit for _, p in cuts)
    assert [o for o, _ in cuts] == [sum(len(p) for _, p in cuts[:k]) for k in range(len(cuts))]
    if "\n\n" in text:
        assert all(p.endswith("\n\n") for _, p in cuts[:-1])


def test_a_long_article_is_extracted_in_pieces_with_true_offsets(tmp_path, monkeypatch):
    """Cut into ~2,000-character pieces, a seed gives claims whose offsets still point at their
    sentences in the whole text, and the document records how it was cut (W003)."""
    monkeypatch.setattr(extract_run, "PIECE_CHARS", 2000)
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(SEED)], ledger, Options(quiet=True, reconcile=False))
    doc = ledger.get_document(SEED.stem)
    claims = ledger.claims_for_document(SEED.stem)
    assert len(doc.text) > 4000 and len(claims) >= 5
    assert all(doc.text[c.start:c.end] == c.sentence for c in claims)
    assert all(doc.text[q.start:].startswith(q.text[:3]) for c in claims for q in c.quantities if q.start is not None)
    assert all(doc.text[p.start:p.start + len(p.mention)] == p.mention for p in doc.places)
    assert doc.meta["warnings_extraction"][0].startswith("W003")


def test_a_failing_document_is_recorded_and_never_blocks_later_runs(tmp_path, monkeypatch):
    """A piece the pipeline refuses (here: spaCy's length limit lowered below a seed's size) costs
    that document only: E031 recorded, the other seeds extracted, the next ingest runs."""
    from claimledger.extract.run import get_nlp
    nlp = get_nlp()
    big = max(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)
    monkeypatch.setattr(nlp, "max_length", 3000)
    monkeypatch.setattr(extract_run, "PIECE_CHARS", 10**7)
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(SEEDS)], ledger, Options(quiet=True))
    assert report.extracted == 5
    errors = [r for r in ledger.rejections() if r.code == "E031"]
    assert big.stem in {e.message.split("'")[1] for e in errors}
    from claimledger.extract.pipeline import EXTRACTOR_VERSION
    assert ledger.count_pending(EXTRACTOR_VERSION) == 0 and ledger.count("claims") > 0  # the failed one too
    monkeypatch.undo()
    (tmp_path / "new.txt").write_text(TEXT)
    again = ingest([str(tmp_path / "new.txt")], ledger, Options(quiet=True))
    assert again.added == 1 and again.claims >= 1


# --- 2. wrong JSON types ----------------------------------------------------------------------
def test_wrong_field_types_cost_the_field_or_the_record_never_the_batch(tmp_path):
    records = [
        {"id": "ok", "text": TEXT},
        {"id": "t", "title": ["a", "b"], "text": TEXT + " One."},
        {"id": "o", "outlet": {"name": "x"}, "url": 5, "published": ["2022"], "text": TEXT + " Two."},
        {"id": ["x"], "text": TEXT + " Three."},
        {"id": 1.5, "text": TEXT + " Four."},
        {"id": True, "text": TEXT + " Five."},
        {"id": 42, "language": ["en"], "text": TEXT + " Six."},
        {"id": "bad\nid", "text": TEXT + " Seven."},
    ]
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    manifest = tmp_path / "manifest.jsonl"
    (tmp_path / "a.txt").write_text(TEXT + " Eight.")
    manifest.write_text(json.dumps({"file": "a.txt", "title": {"x": 1}, "outlet": "Reuters"}) + "\n"
                        + json.dumps({"file": ["b.txt"]}) + "\n")
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(path), str(tmp_path / "a.txt")], ledger, Options(quiet=True), manifests=[str(manifest)])
    assert _codes(report) == ["E011", "E014", "E014", "E014", "E014"]
    assert sorted(ledger.document_ids()) == ["42", "a", "o", "ok", "t"]
    assert ledger.get_document("t").title is None and ledger.get_document("o").outlet is None
    assert ledger.get_document("a").outlet == "Reuters" and ledger.get_document("a").title is None
    assert sorted(w.code for w in report.warnings if w.code == "W001") == ["W001"] * 6
    assert ledger.count("claims") >= 5


# --- 3. deep nesting, numbers past the limit, a manifest not in UTF-8 -------------------------
def test_deep_nesting_and_huge_numbers_are_bad_lines(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text("[" * 1500 + "\n" + '{"id": "n", "text": "x", "v": ' + "1" * 5000 + "}\n"
                    + json.dumps({"id": "ok", "text": TEXT}) + "\n")
    (tmp_path / "deep.json").write_text("[" * 100_000)
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(path), str(tmp_path / "deep.json")], ledger, Options(extract=False))
    assert _codes(report) == ["E007", "E007", "E007"]
    assert "nested too deeply" in report.rejected[0].message
    assert ledger.document_ids() == ["ok"]


def test_a_manifest_not_in_utf8_still_describes_its_files(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "manifest.jsonl").write_bytes(
        json.dumps({"file": "a.txt", "outlet": "Укрінформ"}, ensure_ascii=False).encode("cp1251")[:-2]
        + b'", "published": "2022-09-10"}\n')
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "a.txt")], ledger, Options(extract=False),
                    manifests=[str(tmp_path / "manifest.jsonl")])
    assert report.added == 1 and not report.rejected
    assert ledger.get_document("a").published == "2022-09-10"


# --- 4. one bad byte in UTF-8; 5. UTF-16 ----------------------------------------------------------
def test_one_bad_byte_costs_one_character(tmp_path):
    data = TEXT.encode()
    (tmp_path / "a.txt").write_bytes(data[:30] + b"\xff" + data[30:])
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "a.txt")], ledger, Options(extract=False))
    text = ledger.get_document("a").text
    assert text.startswith("Ukraine’s army") and text.count("\ufffd") == 1 and "‚Äô" not in text
    assert [w.code for w in report.warnings] == ["W002"] and report.exit_code == 0


def test_a_legacy_cyrillic_file_is_not_taken_for_damaged_utf8(tmp_path):
    text = ("Минобороны России заявило, что российские войска отошли от Изюма. "
            "Генштаб ВСУ сообщил об освобождении более 30 населённых пунктов в Харьковской области.\n") * 3
    (tmp_path / "ru.txt").write_bytes(text.encode("cp1251"))
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "ru.txt")], ledger, Options(extract=False))
    assert ledger.get_document("ru").text.startswith("Минобороны России") and not report.warnings


@pytest.mark.parametrize("encoding,bom,forced", [
    ("utf-16", True, None), ("utf-16-le", False, None), ("utf-16-be", False, None),
    ("utf-16", True, "utf-16"), ("utf-16-le", False, "utf-16-le"), ("utf-32", True, None),
])
def test_utf16_from_windows_tools_is_read(tmp_path, encoding, bom, forced):
    text = TEXT + " Київ, Харків."
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    assert (text.encode(encoding)[:2] in (b"\xff\xfe", b"\xfe\xff")) == bom
    ledger = Ledger(tmp_path / "l.db")
    report = ingest([str(tmp_path / "a.txt")], ledger, Options(extract=False, encoding=forced))
    assert report.added == 1, report.rejected
    assert ledger.get_document("a").text == text


# --- 6. ids unsafe in URLs ------------------------------------------------------------------------
UNSAFE_IDS = ["a/b", "x?y#z", "100%", "..", "../etc/passwd", "report.json", "~tilde", "ünï code", "plain-id_1.v2"]


def test_doc_keys_round_trip():
    for doc_id in UNSAFE_IDS:
        key = doc_key(doc_id)
        assert doc_id_of(key) == doc_id
        assert all(ch.isalnum() or ch in "-_.~" for ch in key) and ".." not in key and not key.endswith(".json")
    assert doc_key("plain-id_1.v2") == "plain-id_1.v2"
    assert doc_id_of("~!!!") is None


def test_every_page_works_with_unsafe_ids(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": f"{TEXT} Report {n}: Kharkiv was shelled, killing {n + 2} "
                                        f"people, the governor said."}) + "\n" for n, i in enumerate(UNSAFE_IDS)))
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(path)], ledger, Options(quiet=True))
    ledger.close()
    client = TestClient(create_app(str(tmp_path / "l.db")))
    for doc_id in UNSAFE_IDS:
        page = client.get(f"/documents/{doc_key(doc_id)}")
        assert page.status_code == 200, doc_id
        assert client.get(f"/documents/{doc_key(doc_id)}.json").json()["document"]["doc_id"] == doc_id
    search = client.get("/search", params={"q": "governor"}).text
    for doc_id in UNSAFE_IDS:
        assert f'href="/documents/{doc_key(doc_id)}"' in search
    claim = json.loads((client.get("/search.json", params={"q": "Kharkiv"}).text))["claims"][0]
    page = client.get(f"/claims/{claim['claim_id']}").text
    assert f'href="/documents/{doc_key(claim["doc_id"])}"' in page
    linked = set()
    for event in client.get("/events.json").json()["events"]:
        page = client.get(f"/events/{event['event_id']}").text
        linked |= {d for d in UNSAFE_IDS if f'href="/documents/{doc_key(d)}"' in page}
        assert 'href="/documents/../' not in page and 'href="/documents/a/b"' not in page
    assert linked == set(UNSAFE_IDS)


# --- 7. FIFOs and symlinks ------------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_fifo_is_refused_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "good.txt").write_text(TEXT)
    code = ("import sys; from claimledger.ingest.readers import read_inputs; from claimledger.options import Options;"
            "print(sorted(getattr(x, 'code', 'ok') for x in read_inputs([sys.argv[1]], Options())))")
    out = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT)
    assert out.stdout.strip() == "['E015', 'ok']", out.stderr


def test_links_are_followed_only_inside_the_folders_given(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("not yours")
    (inside / "sub").mkdir()
    (inside / "sub" / "a.txt").write_text(TEXT)
    (inside / "passwd.txt").symlink_to(outside / "secret.txt")
    (inside / "alias.txt").symlink_to(inside / "sub" / "a.txt")
    (inside / "linked").symlink_to(inside / "sub")  # a linked folder inside: walked
    (inside / "loop").symlink_to(inside)  # a loop: walked once
    (inside / "away").symlink_to(outside)

    def walk(follow):
        out = []
        for item in iter_paths([str(inside)], follow):
            out.append(item.code if hasattr(item, "code") else item.relative_to(inside).as_posix())
        return sorted(out)

    assert walk(False) == ["E016", "E016", "alias.txt", "linked/a.txt", "sub/a.txt"]
    assert walk(True) == ["alias.txt", "away/secret.txt", "linked/a.txt", "passwd.txt", "sub/a.txt"]
    stored = [x.doc_id for x in read_inputs([str(inside)], Options()) if hasattr(x, "doc_id")]
    assert "passwd" not in stored and stored.count("a") == 2


# --- 8. read-only ledgers -------------------------------------------------------------------------
def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("writable_folder", [True, False])
def test_reading_never_writes(tmp_path, monkeypatch, writable_folder):
    db = tmp_path / "l.db"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "-q"])
    before = _digest(db)
    if not writable_folder:  # as root a chmod does not bite: make the folder look read-only instead
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if mode == os.W_OK else real(p, mode, **kw))
    for args in (["stats"], ["events"], ["export", "--out", str(tmp_path / "x")]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
    assert TestClient(create_app(str(db))).get("/events.json").status_code == 200
    assert _digest(db) == before


def test_an_older_ledger_read_only_is_upgraded_once_then_read(tmp_path):
    db = tmp_path / "l.db"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "-q"])
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
        con.execute("DROP TABLE link_keys")
    result = runner.invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0, result.output


# --- 9. a ledger locked by another writer ---------------------------------------------------------
def test_a_locked_ledger_waits_then_says_so(tmp_path):
    db = tmp_path / "l.db"
    Ledger(db).close()
    holder = sqlite3.connect(db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    began = time.monotonic()
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "-q", "--wait", "1.5"])
    assert result.exit_code == 2 and "E023" in result.output and "waiting" in result.output
    assert 1.4 < time.monotonic() - began < 30
    threading.Timer(1.0, holder.rollback).start()  # released while the next one waits: it goes on
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "-q", "--wait", "30"])
    assert result.exit_code == 0, result.output
    holder.close()


# --- 10. other tracebacks -------------------------------------------------------------------------
def test_bad_options_get_coded_messages(tmp_path):
    db = str(tmp_path / "l.db")
    (tmp_path / "a.txt").write_text(TEXT)
    r = runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "--encoding", "bogus"])
    assert r.exit_code == 2 and "E041" in r.output
    runner.invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", db, "-q"])
    (tmp_path / "file").write_text("x")
    r = runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "file")])
    assert r.exit_code == 2 and "E025" in r.output
    r = runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "file" / "sub")])
    assert r.exit_code == 2 and "E025" in r.output
    r = runner.invoke(app, ["serve", "--db", db, "--port", "99999"])
    assert r.exit_code == 2 and "E041" in r.output


def test_serve_says_a_port_is_taken_before_serving_and_warns_off_loopback(tmp_path, monkeypatch):
    db = str(tmp_path / "l.db")
    Ledger(db).close()
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    r = runner.invoke(app, ["serve", "--db", db, "--port", str(port)])
    assert r.exit_code == 2 and "E042" in r.output and "serving" not in r.output
    busy.close()  # free again
    served = []
    monkeypatch.setattr("claimledger.web.app.serve", lambda *a, sock=None, **k: served.append(sock.close()))
    r = runner.invoke(app, ["serve", "--db", db, "--host", "0.0.0.0", "--port", str(port)])
    assert r.exit_code == 0 and "W004" in r.output and served


def test_a_damaged_ledger_is_said_to_be_damaged(tmp_path):
    db = tmp_path / "l.db"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "-q"])
    data = bytearray(db.read_bytes())
    data[4096 * 3:4096 * 3 + 4096] = b"\xde\xad" * 2048
    db.write_bytes(bytes(data))
    r = runner.invoke(app, ["ingest", str(SEEDS), "--db", str(db), "-q"])
    assert r.exit_code == 2 and "E024" in r.output and ".recover" in r.output
    (tmp_path / "junk.db").write_bytes(os.urandom(100))
    r = runner.invoke(app, ["stats", "--db", str(tmp_path / "junk.db")])
    assert r.exit_code == 2 and "E024" in r.output


def test_a_running_server_sees_a_ledger_rebuilt_under_it(tmp_path):
    db = tmp_path / "l.db"
    (tmp_path / "a.txt").write_text(TEXT)
    ingest([str(tmp_path / "a.txt")], Ledger(db), Options(quiet=True))
    client = TestClient(create_app(str(db)))
    assert client.get("/documents/a.json").status_code == 200
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{db}{suffix}"):
            os.remove(f"{db}{suffix}")
    ingest([str(SEED)], Ledger(db), Options(quiet=True))
    assert client.get("/documents/a.json").status_code == 404
    assert client.get(f"/documents/{SEED.stem}.json").status_code == 200


def test_openapi_lists_the_errors_the_api_gives(tmp_path):
    Ledger(tmp_path / "l.db").close()
    spec = create_app(str(tmp_path / "l.db")).openapi()
    events = spec["paths"]["/events.json"]["get"]["responses"]
    assert "400" in events and "ErrorBody" in json.dumps(events["400"])
    assert "404" in spec["paths"]["/documents/{doc_id}.json"]["get"]["responses"]
    page = spec["paths"]["/documents/{doc_id}"]["get"]["responses"]["404"]
    assert list(page["content"]) == ["text/html"]  # a page answers with a page
    client = TestClient(create_app(str(tmp_path / "l.db")))
    for path, status, kind in (("/events.json?status=bogus", 400, "application/json"), ("/events?status=bogus", 400,
                               "text/html"), ("/documents/nope.json", 404, "application/json"),
                               ("/documents/nope", 404, "text/html")):
        r = client.get(path)
        assert r.status_code == status and r.headers["content-type"].startswith(kind), path
        if kind == "application/json":
            assert set(r.json()["error"]) == {"code", "message"}
    assert spec["components"]["schemas"]["ErrorBody"]["properties"]["error"]
