"""The claimledger command line: thin commands that parse options and call the library."""
from __future__ import annotations

import codecs
import functools
import sqlite3
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from claimledger.errors import ClaimledgerError, LedgerError, UsageError, message
from claimledger.options import Options

app = typer.Typer(help="claimledger: a source-attributed ledger of claims from conflict news.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DB = typer.Option("ledger.db", "--db", envvar="CLAIMLEDGER_DB",
                  help="The ledger: an SQLite file, or a PostgreSQL URL (postgresql://user@host/dbname).")
ENGINE = typer.Option("local", "--engine", help="Where extraction runs: local (this machine's processes) or ray.")
RAY_ADDRESS = typer.Option(None, "--ray-address",
                           help="With --engine ray: the cluster to join (e.g. ray://head:10001 or auto); "
                                "default: a local Ray runtime with --workers workers.")
WAIT = typer.Option(60.0, "--wait", min=0, help="Seconds to wait for another writer's lock before giving up (E023).")


def _fail(e: ClaimledgerError, code: int = 2) -> None:
    err.print(f"[red]error[/red] {e.message}")
    raise typer.Exit(code)


def _coded(command):
    """Every failure a command can meet ends as a coded message and an exit status, never a traceback."""
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ClaimledgerError as e:
            _fail(e)
        except sqlite3.DatabaseError as e:  # the file went bad under us, or the disk did
            db = kwargs.get("db", "ledger.db")
            locked = isinstance(e, sqlite3.OperationalError) and "locked" in str(e)
            _fail(LedgerError("E023", path=db, seconds=kwargs.get("wait", 0)) if locked
                  else LedgerError("E024", path=db, reason=str(e)))
        except Exception as e:
            if not type(e).__module__.startswith("psycopg"):
                raise
            from claimledger.store.postgres import reason, redact  # the server went away, or refused a statement
            _fail(LedgerError("E027", path=redact(kwargs.get("db", "")), reason=reason(e)))
    return run


def _waiting(seconds: float) -> None:
    err.print(f"[yellow]waiting[/yellow] for the ledger: another writer holds its lock ({seconds:.0f} s so far)…")


def _open(db: str, readonly: bool = False, wait: float = 60.0):
    from claimledger.store.ledger import Ledger
    if readonly:
        try:
            return Ledger(db, readonly=True)
        except LedgerError as e:
            if e.code != "E022":
                raise
        Ledger(db, lock_wait=wait, on_wait=_waiting).close()  # an older schema: bring it up to date once
        return Ledger(db, readonly=True)
    return Ledger(db, lock_wait=wait, on_wait=_waiting)


def _engine(name: str) -> str:
    if name not in ("local", "ray"):
        raise UsageError("E040", what="engine", value=name, choices="local, ray")
    return name


def _encoding(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError("E041", what="--encoding", value=name,
                         reason="not an encoding Python knows (e.g. utf-8, utf-16, cp1251, latin-1)") from None


@app.command()
@_coded
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders (recursive) or '-' for JSON Lines on stdin."),
    db: str = DB,
    manifest: Optional[List[str]] = typer.Option(None, "--manifest", help="JSON Lines of per-file metadata."),
    max_bytes: int = typer.Option(20 * 1024 * 1024, "--max-bytes", help="Reject inputs larger than this."),
    workers: int = typer.Option(1, "--workers", min=1, help="Extraction processes (or Ray workers)."),
    engine: str = ENGINE,
    ray_address: Optional[str] = RAY_ADDRESS,
    no_extract: bool = typer.Option(False, "--no-extract", help="Store documents only; run 'extract' later."),
    no_link: bool = typer.Option(False, "--no-link", help="Extract but do not link events; run 'reconcile' later."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the input encoding (e.g. utf-16, cp1251)."),
    follow_symlinks: bool = typer.Option(False, "--follow-symlinks",
                                         help="Inside folders, also follow links to files outside the folders given."),
    wait: float = WAIT,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Ingest articles into the ledger, then extract claims and group them into events.

    Example: claimledger ingest examples/seeds --db ledger.db

    Exit status: 0 when every input went in, 3 when some were rejected, 2 on usage errors.
    """
    from claimledger.ingest.pipeline import ingest as run
    from claimledger.report.progress import progress_bar

    options = Options(max_bytes=max_bytes, workers=workers, extract=not no_extract, encoding=_encoding(encoding),
                      quiet=quiet, reconcile=not no_link, follow_symlinks=follow_symlinks, lock_wait=wait,
                      engine=_engine(engine), ray_address=ray_address)
    ledger = _open(db, wait=wait)
    with progress_bar("reading", quiet) as advance:
        report = run(paths, ledger, options, manifests=manifest or None, progress=advance)
    for r in report.rejected:
        err.print(f"[yellow]rejected[/yellow] {r.message}", soft_wrap=True)
    for w in report.warnings[:10]:
        err.print(f"[yellow]warning[/yellow] {w.message}", soft_wrap=True)
    if len(report.warnings) > 10:
        unmatched = sum(w.code == "E012" for w in report.warnings[10:])
        err.print(f"[yellow]warning[/yellow] … and {len(report.warnings) - 10} more ({unmatched} of them manifest rows "
                  "that name no ingested file, expected when ingesting part of a collection).", soft_wrap=True)
    out.print(f"{report.added} added, {report.unchanged} unchanged, "
              f"{report.exact_copies + report.near_duplicates} duplicates marked, "
              f"{len(report.rejected)} rejected; {report.not_read} in other languages than English, Russian "
              "and Ukrainian (stored, not analysed).")
    if options.extract:
        linked = f", {report.events} events" if options.reconcile else " (events not linked: run 'reconcile')"
        out.print(f"{report.extracted} documents extracted, {report.claims} claims{linked}.")
    ledger.close()
    raise typer.Exit(report.exit_code)


@app.command()
@_coded
def extract(
    db: str = DB,
    workers: int = typer.Option(1, "--workers", min=1, help="Extraction processes (or Ray workers)."),
    engine: str = ENGINE,
    ray_address: Optional[str] = RAY_ADDRESS,
    force: bool = typer.Option(False, "--force", help="Re-extract every document, not only pending ones."),
    wait: float = WAIT,
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """Extract claims from documents not yet extracted by this version, then reconcile events.

    Example: claimledger extract --db ledger.db --workers 2
    """
    from claimledger.extract.run import extract_pending
    from claimledger.reconcile import reconcile_ledger

    ledger = _open(db, wait=wait)
    if force:
        ledger.reset_extraction()
    docs, claims = extract_pending(ledger, Options(workers=workers, quiet=quiet, lock_wait=wait,
                                                   engine=_engine(engine), ray_address=ray_address))
    events = reconcile_ledger(ledger)
    out.print(f"{docs} documents extracted, {claims} claims, {events} events.")


@app.command()
@_coded
def reconcile(
    db: str = DB,
    rule: str = typer.Option("ucdp", "--rule", help="Best estimate: ucdp (median of sources) or acled (lowest)."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="Link independent parts of the ledger (no block joins them) in this many processes."),
    wait: float = WAIT,
) -> None:
    """Rebuild every event from the ledger's claims (an ingest links new claims incrementally;
    this replays all documents in ingestion order and gives the same events).

    Example: claimledger reconcile --db ledger.db --workers 2
    """
    from claimledger.reconcile import reconcile_ledger

    if rule not in ("ucdp", "acled"):
        _fail(UsageError("E040", what="rule", value=rule, choices="ucdp, acled"))
    if workers > 1:
        from claimledger.reconcile.partition import rebuild
        events, parts = rebuild(_open(db, wait=wait), rule, workers)
        out.print(f"{events} events ({parts} independent parts linked in {workers} processes).")
        return
    events = reconcile_ledger(_open(db, wait=wait), rule)
    out.print(f"{events} events.")


@app.command()
@_coded
def export(
    db: str = DB,
    out_dir: Path = typer.Option(..., "--out", help="Folder to write the export into."),
) -> None:
    """Write documents.jsonl, claims.jsonl, events.jsonl and places.geojson (see EXPORT.md).

    Example: claimledger export --db ledger.db --out export/
    """
    from claimledger.report.export import export as run

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError("E025", path=str(out_dir), reason="it is a file, not a folder; give a folder (new or existing)")
    ledger = _open(db, readonly=True)
    try:
        counts = run(ledger, out_dir)
    except OSError as e:
        raise UsageError("E025", path=str(e.filename or out_dir), reason=e.strerror or str(e)) from None
    out.print(", ".join(f"{v} {k}" for k, v in counts.items()) + f" written to {out_dir}")


@app.command()
@_coded
def stats(db: str = DB) -> None:
    """Summarise the ledger: documents by outlet, language and year; claims; rejections.

    Example: claimledger stats --db ledger.db
    """
    from claimledger.report.stats import render, stats as run

    ledger = _open(db, readonly=True)
    render(run(ledger), out)


@app.command()
@_coded
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
@_coded
def serve(
    db: str = DB,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this machine only)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on (1-65535)."),
) -> None:
    """Open the ledger in the browser: overview, map, events side by side, claims, search. Read-only.

    Example: claimledger serve --db ledger.db --port 8000
    """
    from claimledger.web.app import serve as run

    if not 0 < port < 65536:
        raise UsageError("E041", what="--port", value=port, reason="a port is a number from 1 to 65535")
    _open(db, readonly=True).close()
    sock = _listen(host, port)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning[/yellow] {message('W004', host=host, port=port)}", soft_wrap=True)
    out.print(f"claimledger is serving {db} at http://{host}:{port}/  (Ctrl+C stops it)")
    run(db, host, port, sock=sock)


def _listen(host: str, port: int):
    """The listening socket, bound before 'serving' is printed, so a port in use is said plainly."""
    import socket
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as e:
        raise UsageError("E042", host=host, port=port, reason=e.strerror or str(e)) from None
    return sock


def main() -> None:  # pragma: no cover - the console script
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
