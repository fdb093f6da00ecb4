"""Reading inputs: every kind of bad input is rejected with a code, and the batch goes on."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimledger import Ledger, Options, ingest
from claimledger.cli import app
from claimledger.ingest.readers import iter_paths, read_inputs
from claimledger.model import Rejection

GOOD = "Russian forces shelled Kharkiv overnight, killing two civilians, the governor said.\n"


def _codes(report):
    return sorted(r.code for r in report.rejected)


@pytest.fixture
def ledger(tmp_path):
    return Ledger(tmp_path / "l.db")


@pytest.mark.parametrize("name,content,code", [
    ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 100, "E005"),
    ("empty.txt", b"   \n", "E003"),
    ("unknown.docx", b"whatever", "E010"),
    ("bad.txt", b"\xff\xfe\xfa\xfb" + bytes(range(0x80, 0xff)) * 3, "E006"),  # a BOM, then no text in any charset
    ("nul.txt", b"\xff\xfe\xfa\xfb" + bytes(range(0x80, 0xff)) * 3 + b"\x00", "E005"),  # a BOM does not make it text
])
def test_bad_file_is_rejected_and_the_rest_goes_in(tmp_path, ledger, name, content, code):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(content)
    (tmp_path / "in" / "good.txt").write_text(GOOD)
    report = ingest([str(tmp_path / "in")], ledger, Options(extract=False))
    assert _codes(report) == [code]
    assert report.added == 1
    assert ledger.rejections()[0].code == code
    assert name in ledger.rejections()[0].message


def test_latin1_html_with_declared_charset_is_decoded(tmp_path, ledger):
    html = ('<html><head><meta charset="iso-8859-1"><title>Caf\xe9 shelled</title></head><body><article>'
            + "<p>Russian forces shelled the caf\xe9 in Kharkiv on Monday, killing two people, officials said.</p>" * 5
            + "</article></body></html>")
    (tmp_path / "page.html").write_bytes(html.encode("latin-1"))
    report = ingest([str(tmp_path / "page.html")], ledger, Options(extract=False))
    assert report.added == 1, report.rejected
    assert "café" in ledger.get_document("page").text


def test_oversize_file_is_rejected(tmp_path, ledger):
    (tmp_path / "big.txt").write_text(GOOD * 100)
    report = ingest([str(tmp_path / "big.txt")], ledger, Options(extract=False, max_bytes=1000))
    assert _codes(report) == ["E004"]
    assert "--max-bytes" in report.rejected[0].message


def test_missing_path_is_rejected(tmp_path, ledger):
    report = ingest([str(tmp_path / "nope.txt")], ledger, Options(extract=False))
    assert _codes(report) == ["E001"]


def test_malformed_json_line_reports_its_line_and_keeps_the_others(tmp_path, ledger):
    lines = [json.dumps({"id": "a", "text": GOOD}), "{not json", json.dumps({"id": "b", "text": GOOD + "More."}),
             json.dumps({"id": "c", "title": "no text"})]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    report = ingest([str(tmp_path / "dump.jsonl")], ledger, Options(extract=False))
    assert report.added == 2
    assert sorted((r.code, r.line) for r in report.rejected) == [("E007", 2), ("E008", 4)]
    assert "line 2" in report.rejected[0].message


def test_jsonl_fields_become_metadata(tmp_path, ledger):
    rec = {"id": "x1", "text": GOOD, "title": "T", "outlet": "Reuters", "published": "2022-09-10T10:00:00Z",
           "url": "https://example.org/x1", "language": "en"}
    (tmp_path / "d.jsonl").write_text(json.dumps(rec) + "\n")
    ingest([str(tmp_path / "d.jsonl")], ledger, Options(extract=False))
    doc = ledger.get_document("x1")
    assert (doc.title, doc.outlet, doc.published, doc.url) == ("T", "Reuters", "2022-09-10", "https://example.org/x1")


def test_stdin_reads_json_lines(ledger, monkeypatch):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"id": "s1", "text": GOOD}) + "\n"))
    report = ingest(["-"], ledger, Options(extract=False))
    assert report.added == 1 and ledger.get_document("s1") is not None


def test_stdin_with_a_bad_byte_loses_only_that_character(ledger, monkeypatch):
    import io
    data = (json.dumps({"id": "s2", "text": "Kyiv’s mayor said"}, ensure_ascii=False).encode()[:-2] + b"\xff\"}\n"
            + json.dumps({"id": "s3", "text": GOOD}).encode() + b"\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    report = ingest(["-"], ledger, Options(extract=False))
    assert report.added == 2 and not report.rejected
    assert ledger.get_document("s2").text.startswith("Kyiv’s mayor said") and "\ufffd" in ledger.get_document("s2").text


def test_folder_walk_is_lazy_and_takes_thousands_of_files(tmp_path, ledger):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(3000):
        (folder / f"{i:05d}.txt").write_text(f"Report {i}. Russian forces shelled village number {i} on Monday.")
    walker = iter_paths([str(folder)])
    assert next(walker).name == "00000.txt"  # a generator: nothing listed ahead of need
    report = ingest([str(folder)], ledger, Options(extract=False, batch_size=500))
    assert report.added + report.near_duplicates + report.exact_copies == 3000
    assert ledger.count("documents") == 3000


def test_read_inputs_streams_rejections_in_order(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    items = list(read_inputs([str(tmp_path / "a.txt"), str(tmp_path / "missing.txt")], Options()))
    assert [type(i).__name__ for i in items] == ["RawInput", "Rejection"]
    assert isinstance(items[1], Rejection) and items[1].code == "E001"


def test_cli_exit_status(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    runner = CliRunner()
    db = str(tmp_path / "l.db")
    ok = runner.invoke(app, ["ingest", str(tmp_path / "good.txt"), "--db", db, "--no-extract", "-q"])
    assert ok.exit_code == 0, ok.output
    partial = runner.invoke(app, ["ingest", str(tmp_path), "--db", db, "--no-extract", "-q"])
    assert partial.exit_code == 3
    assert "E003" in partial.output
    usage = runner.invoke(app, ["ingest", "--db", db, "--bogus"])
    assert usage.exit_code == 2


def test_unreadable_file_is_rejected(tmp_path, ledger, monkeypatch):
    from pathlib import Path
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text(GOOD)
    (folder / "open.txt").write_text(GOOD + " Another sentence.")
    real = Path.open

    def deny(self, *args, **kwargs):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    report = ingest([str(folder)], ledger, Options(extract=False))
    assert _codes(report) == ["E002"] and report.added == 1
    assert "Permission denied" in report.rejected[0].message
