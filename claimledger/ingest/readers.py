"""Reading inputs: paths, folders, files and stdin become a stream of RawInput records.

Every failure becomes a Rejection in the same stream, so one bad file never stops a batch.
Folders are walked lazily, so a folder of many thousands of files is never held in memory.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from claimledger.errors import InputError
from claimledger.model import Rejection
from claimledger.options import Options

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
SKIP_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass(slots=True)
class RawInput:
    """One article as read, before cleaning."""
    doc_id: str
    source: str
    text: str | None = None
    html: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # title, outlet, published, url, language
    path: str | None = None  # absolute path of the file it came from, for manifests


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:]+)|encoding=["']([A-Za-z0-9_\-]+)["']""",
                      re.IGNORECASE)


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode bytes: a forced encoding, else UTF-8, else the declared charset, else a detected one."""
    if encoding:
        return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii")
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is not None and best.encoding and best.coherence > 0.2:
        return str(best)
    raise InputError("E006", path=path)


def check_binary(data: bytes, path: str) -> None:
    head = data[:8192]
    if b"\x00" in head and not (head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff")):
        raise InputError("E005", path=path, reason="it contains NUL bytes")
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        raise InputError("E005", path=path, reason=f"{controls} control bytes in the first {len(head)}")


def iter_paths(paths: Iterable[str]) -> Iterator[Path | Rejection | str]:
    """Expand arguments into files (folders recursively, sorted, lazily); '-' stays '-'."""
    for arg in paths:
        if arg == "-":
            yield "-"
            continue
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p)
        elif p.exists():
            yield p
        else:
            yield Rejection(str(p), "E001", InputError("E001", path=str(p)).message)


def _walk(folder: Path) -> Iterator[Path | Rejection]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        yield Rejection(str(folder), "E002", InputError("E002", path=str(folder), reason=e.strerror).message)
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_NAMES:
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.name.startswith("manifest") and entry.name.endswith(".jsonl"):
            continue  # manifests describe files; they are not articles (pass them with --manifest)
        else:
            yield Path(entry.path)


def read_inputs(paths: Iterable[str], options: Options) -> Iterator[RawInput | Rejection]:
    """Stream RawInput records (and Rejections) from files, folders and stdin."""
    for item in iter_paths(paths):
        if isinstance(item, Rejection):
            yield item
        elif item == "-":
            yield from read_jsonl_lines(sys.stdin, "<stdin>")
        else:
            try:
                yield from read_file(item, options)
            except InputError as e:
                yield Rejection(str(item), e.code, e.message, e.info.get("line"))


def read_file(path: Path, options: Options) -> Iterator[RawInput | Rejection]:
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES:
        raise InputError("E010", path=str(path), suffix=suffix or "(none)")
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError("E004", path=str(path), size=size, limit=options.max_bytes)
        data = path.read_bytes()
    except OSError as e:
        raise InputError("E002", path=str(path), reason=e.strerror or str(e)) from None
    if not data.strip():
        raise InputError("E003", path=str(path))
    check_binary(data, str(path))
    text = decode(data, str(path), options.encoding)
    absolute = str(path.resolve())
    if suffix in JSON_SUFFIXES:
        yield from read_json_text(text, str(path))
    elif suffix in HTML_SUFFIXES:
        yield RawInput(path.stem, str(path), html=text, path=absolute)
    else:
        yield RawInput(path.stem, str(path), text=text, path=absolute)


RECORD_FIELDS = ("title", "outlet", "published", "url", "language")


def record_to_input(obj: Any, source: str, line: int) -> RawInput:
    if not isinstance(obj, dict):
        raise InputError("E008", path=source, line=line, fields=type(obj).__name__)
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError("E008", path=source, line=line, fields=sorted(obj)[:8])
    doc_id = str(obj.get("id") or obj.get("doc_id") or f"{Path(source).stem}-{line}")
    meta = {k: obj[k] for k in RECORD_FIELDS if obj.get(k) is not None}
    return RawInput(doc_id, f"{source}:{line}", text=text if isinstance(text, str) else None,
                    html=html if isinstance(html, str) and not (isinstance(text, str) and text.strip()) else None,
                    meta=meta)


def read_json_text(text: str, source: str) -> Iterator[RawInput | Rejection]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = json.loads(stripped)
        except json.JSONDecodeError:
            records = None
        if isinstance(records, list):
            for n, obj in enumerate(records, 1):
                try:
                    yield record_to_input(obj, source, n)
                except InputError as e:
                    yield Rejection(source, e.code, e.message, n)
            return
    yield from read_jsonl_lines(text.splitlines(), source)


def read_jsonl_lines(lines: Iterable[str], source: str) -> Iterator[RawInput | Rejection]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err = InputError("E007", path=source, line=n, reason=e.msg)
            yield Rejection(source, err.code, err.message, n)
            continue
        try:
            yield record_to_input(obj, source, n)
        except InputError as e:
            yield Rejection(source, e.code, e.message, n)
