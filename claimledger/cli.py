"""The claimledger command line: thin commands that parse options and call the library."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from claimledger.errors import ClaimledgerError, UsageError
from claimledger.options import Options

app = typer.Typer(help="claimledger: a source-attributed ledger of claims from conflict news.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DB = typer.Option("ledger.db", "--db", help="The ledger database file (SQLite).")


def _fail(e: ClaimledgerError, code: int = 2) -> None:
    err.print(f"[red]error[/red] {e.message}")
    raise typer.Exit(code)


def _open(db: str, readonly: bool = False):
    from pathlib import Path

    from claimledger.store.ledger import Ledger
    try:
        if readonly and Path(db).exists():
            Ledger(db).close()  # bring an older ledger's schema up to date first (a no-op when current)
        return Ledger(db, readonly=readonly)
    except ClaimledgerError as e:
        _fail(e)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders (recursive) or '-' for JSON Lines on stdin."),
    db: str = DB,
    manifest: Optional[List[str]] = typer.Option(None, "--manifest", help="JSON Lines of per-file metadata."),
    max_bytes: int = typer.Option(20 * 1024 * 1024, "--max-bytes", help="Reject inputs larger than this."),
    workers: int = typer.Option(1, "--workers", min=1, help="Extraction processes."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Store documents only; run 'extract' later."),
    no_link: bool = typer.Option(False, "--no-link", help="Extract but do not link events; run 'reconcile' later."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the input encoding."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Ingest articles into the ledger, then extract claims and group them into events.

    Example: claimledger ingest examples/seeds --db ledger.db

    Exit status: 0 when every input went in, 3 when some were rejected, 2 on usage errors.
    """
    from claimledger.ingest.pipeline import ingest as run
    from claimledger.report.progress import progress_bar

    options = Options(max_bytes=max_bytes, workers=workers, extract=not no_extract, encoding=encoding,
                      quiet=quiet, reconcile=not no_link)
    ledger = _open(db)
    with progress_bar("reading", quiet) as advance:
        report = run(paths, ledger, options, manifests=manifest or None, progress=advance)
    for r in report.rejected:
        err.print(f"[yellow]rejected[/yellow] {r.message}", soft_wrap=True)
    for w in report.warnings[:5]:
        err.print(f"[yellow]warning[/yellow] {w.message}", soft_wrap=True)
    if len(report.warnings) > 5:
        err.print(f"[yellow]warning[/yellow] … and {len(report.warnings) - 5} more manifest rows name no ingested "
                  "file (expected when ingesting part of a collection).", soft_wrap=True)
    out.print(f"{report.added} added, {report.unchanged} unchanged, "
              f"{report.exact_copies + report.near_duplicates} duplicates marked, "
              f"{len(report.rejected)} rejected; {report.non_english} not in English "
              "(set aside from English-only steps).")
    if options.extract:
        linked = f", {report.events} events" if options.reconcile else " (events not linked: run 'reconcile')"
        out.print(f"{report.extracted} documents extracted, {report.claims} claims{linked}.")
    ledger.close()
    raise typer.Exit(report.exit_code)


@app.command()
def extract(
    db: str = DB,
    workers: int = typer.Option(1, "--workers", min=1, help="Extraction processes."),
    force: bool = typer.Option(False, "--force", help="Re-extract every document, not only pending ones."),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Extract claims from documents not yet extracted by this version, then reconcile events.

    Example: claimledger extract --db ledger.db --workers 2
    """
    from claimledger.extract.run import extract_pending
    from claimledger.reconcile import reconcile_ledger

    ledger = _open(db)
    if force:
        ledger.reset_extraction()
    docs, claims = extract_pending(ledger, Options(workers=workers, quiet=quiet))
    events = reconcile_ledger(ledger)
    out.print(f"{docs} documents extracted, {claims} claims, {events} events.")


@app.command()
def reconcile(
    db: str = DB,
    rule: str = typer.Option("ucdp", "--rule", help="Best estimate: ucdp (median of sources) or acled (lowest)."),
) -> None:
    """Rebuild every event from the ledger's claims (an ingest links new claims incrementally;
    this replays all documents in ingestion order and gives the same events).

    Example: claimledger reconcile --db ledger.db
    """
    from claimledger.reconcile import reconcile_ledger

    if rule not in ("ucdp", "acled"):
        _fail(UsageError("E040", what="rule", value=rule, choices="ucdp, acled"))
    events = reconcile_ledger(_open(db), rule)
    out.print(f"{events} events.")


@app.command()
def export(
    db: str = DB,
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the export into."),
) -> None:
    """Write documents.jsonl, claims.jsonl, events.jsonl and places.geojson (see EXPORT.md).

    Example: claimledger export --db ledger.db --out export/
    """
    from claimledger.report.export import export as run

    ledger = _open(db, readonly=True)
    counts = run(ledger, out_dir)
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" written to {out_dir}")


@app.command()
def stats(db: str = DB) -> None:
    """Summarise the ledger: documents by outlet, language and year; claims; rejections.

    Example: claimledger stats --db ledger.db
    """
    from claimledger.report.stats import render, stats as run

    ledger = _open(db, readonly=True)
    render(run(ledger), out)


@app.command()
def events(
    db: str = DB,
    status: Optional[str] = typer.Option(None, "--status", help="corroborated, single_source or contested."),
    place: Optional[str] = typer.Option(None, "--place", help="Only events at this place (any spelling)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only events on or after YYYY-MM-DD."),
    type_: Optional[str] = typer.Option(None, "--type", help="Only events of this claim type."),
    limit: int = typer.Option(50, "--limit", min=0, help="At most this many rows."),
) -> None:
    """List events as a table: status, type, date, places, sources and estimates.

    Example: claimledger events --db ledger.db --status contested --place Izyum
    """
    from claimledger.reconcile.query import filter_events, render_events

    ledger = _open(db, readonly=True)
    try:
        rows = filter_events(ledger, status=status, place=place, since=since, type_=type_)
    except ClaimledgerError as e:
        _fail(e)
    render_events(rows[:limit], out, total=len(rows))


@app.command()
def serve(
    db: str = DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Open the ledger in the browser: overview, map, events side by side, claims, search. Read-only.

    Example: claimledger serve --db ledger.db --port 8000
    """
    from claimledger.web.app import serve as run

    _open(db, readonly=True).close()
    out.print(f"claimledger is serving {db} at http://{host}:{port}/  (Ctrl+C stops it)")
    run(db, host, port)


def main() -> None:  # pragma: no cover - the console script
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
