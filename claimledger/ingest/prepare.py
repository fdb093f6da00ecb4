"""Preparing: a RawInput becomes a Document with cleaned text, metadata, language and hash."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from claimledger.errors import InputError
from claimledger.ingest.clean import clean_text, guess_title, split_source_line
from claimledger.ingest.readers import RECORD_FIELDS, RawInput
from claimledger.model import Document

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def normalise_date(value: object) -> str | None:
    """'2022-09-10', '2022-09-10T08:00:00Z' → '2022-09-10'; partial or invalid dates → None."""
    if not isinstance(value, str):
        return None
    m = _ISO_DAY.match(value.strip())
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def content_hash(text: str) -> str:
    norm = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def detect_language(text: str) -> str:
    import py3langid
    lang, _ = py3langid.classify(text[:3000])
    return lang


def from_html(raw: RawInput) -> tuple[str, dict]:
    import trafilatura
    result = trafilatura.bare_extraction(raw.html, with_metadata=True, include_comments=False,
                                         include_tables=False, url=raw.meta.get("url"))
    if result is None or not (result.text or "").strip():
        raise InputError("E009", path=raw.source)
    meta = {"title": result.title, "outlet": result.sitename or result.hostname,
            "published": result.date, "url": result.url, "language": result.language}
    if not meta["published"]:
        from htmldate import find_date
        meta["published"] = find_date(raw.html, outputformat="%Y-%m-%d", original_date=True)
    return result.text, {k: v for k, v in meta.items() if v}


def _no_nul(value):
    """NUL is never text (and PostgreSQL cannot store it): it becomes U+FFFD, as a bad byte does."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def prepare(raw: RawInput, manifest_row: dict | None = None) -> Document:
    """Clean one input and gather its metadata: manifest fields win over guessed ones."""
    raw.text, raw.html = _no_nul(raw.text), _no_nul(raw.html)
    raw.meta = {k: _no_nul(v) for k, v in raw.meta.items()}
    manifest_row = {k: _no_nul(v) for k, v in manifest_row.items()} if manifest_row else manifest_row
    guessed: dict = {}
    if raw.html is not None:
        body, guessed = from_html(raw)
        raw_text = raw.html
    else:
        body = raw_text = raw.text or ""
        body, outlet = split_source_line(body)
        if outlet:
            guessed["outlet"] = outlet
        title = guess_title(body)
        if title:
            guessed["title"] = title
    text = clean_text(body)
    if not text.strip():
        raise InputError("E013", path=raw.source, line=0)
    meta = {**guessed, **raw.meta, **{k: v for k, v in (manifest_row or {}).items() if v is not None}}
    language = meta.get("language") or detect_language(text)
    extra = {k: v for k, v in (manifest_row or {}).items()
             if k != "file" and k not in RECORD_FIELDS}
    if raw.warnings:
        extra["warnings"] = [w.message for w in raw.warnings]
    if isinstance(meta.get("published"), str) and not normalise_date(meta["published"]):
        extra["published_partial"] = meta["published"]
    return Document(
        doc_id=raw.doc_id, text=text, title=meta.get("title"), outlet=meta.get("outlet"),
        published=normalise_date(meta.get("published")), language=str(language)[:2].lower(),
        url=meta.get("url"), source=raw.source, raw=raw_text, content_hash=content_hash(text),
        meta=extra, warnings=list(raw.warnings),
    )
