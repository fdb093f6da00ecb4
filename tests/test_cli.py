"""The command line: every command runs on the sample and says what it did."""
from __future__ import annotations

import re

from typer.testing import CliRunner

from claimledger.cli import app
from tests.conftest import SEEDS, read_jsonl

runner = CliRunner()


def test_ingest_export_stats_events(tmp_path):
    db = str(tmp_path / "l.db")
    r = runner.invoke(app, ["ingest", str(SEEDS), "--db", db, "-q"])
    assert r.exit_code == 0, r.output
    assert "5 added, 0 unchanged" in r.output and "5 documents extracted" in r.output
    r = runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "x")])
    assert r.exit_code == 0 and re.search(r"5 documents, \d+ claims, \d+ events, \d+ places", r.output)
    assert len(read_jsonl(tmp_path / "x" / "documents.jsonl")) == 5
    r = runner.invoke(app, ["stats", "--db", db])
    assert r.exit_code == 0 and "documents" in r.output and "CNN Brasil" in r.output
    r = runner.invoke(app, ["events", "--db", db, "--place", "Izyum"])
    assert r.exit_code == 0 and "Izium" in r.output
    r = runner.invoke(app, ["events", "--db", db, "--status", "nonsense"])
    assert r.exit_code == 2 and "E040" in r.output
    r = runner.invoke(app, ["events", "--db", db, "--type", "bogus"])
    assert r.exit_code == 2 and "E040" in r.output and "casualties" in r.output
    r = runner.invoke(app, ["events", "--db", db, "--limit", "-1"])
    assert r.exit_code == 2
    before = read_jsonl(tmp_path / "x" / "events.jsonl")
    r = runner.invoke(app, ["reconcile", "--db", db])
    assert r.exit_code == 0 and f"{len(before)} events." in r.output
    runner.invoke(app, ["export", "--db", db, "--out", str(tmp_path / "y")])
    assert read_jsonl(tmp_path / "y" / "events.jsonl") == before  # a rebuild gives the events the ingest linked
    r = runner.invoke(app, ["reconcile", "--db", db, "--rule", "bogus"])
    assert r.exit_code == 2 and "E040" in r.output
    r = runner.invoke(app, ["extract", "--db", db, "-q"])
    assert r.exit_code == 0 and "0 documents extracted" in r.output
    r = runner.invoke(app, ["extract", "--db", db, "--force", "-q"])
    assert "5 documents extracted" in r.output


def test_missing_ledger_is_a_coded_error(tmp_path):
    r = runner.invoke(app, ["stats", "--db", str(tmp_path / "nope.db")])
    assert r.exit_code == 2 and "E020" in r.output


def test_every_command_has_help_with_an_example():
    for command in ("ingest", "extract", "reconcile", "export", "stats", "events"):
        r = runner.invoke(app, [command, "--help"])
        assert r.exit_code == 0 and "Example: claimledger " + command in r.output, command
