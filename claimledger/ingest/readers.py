"""Reading inputs: paths, folders, files and stdin become a stream of RawInput records.

Every failure becomes a Rejection in the same stream, so one bad file never stops a batch.
Folders are walked lazily, so a folder of many thousands of files is never held in memory.
"""
from __future__ import annotations

import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from claimledger.errors import InputError, message
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
    warnings: list[Rejection] = field(default_factory=list)  # what was repaired or dropped on the way


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-:]+)|encoding=["']([A-Za-z0-9_\-]+)["']""",
                      re.IGNORECASE)
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# What news text in the languages read here is made of: Latin and Cyrillic letters, digits,
# spaces, punctuation. A wrong guess at UTF-16 reads as CJK or symbols instead.
_TEXTY = re.compile(r"[\s\x20-\x7e\u00a0-\u024f\u0370-\u052f\u2000-\u206f\u20ac\u2116]")


def _reads_as_text(data: bytes, encoding: str) -> bool:
    sample = data[:8192]
    if encoding.startswith("utf-16"):
        sample = sample[:len(sample) // 2 * 2]
    elif encoding.startswith("utf-32"):
        sample = sample[:len(sample) // 4 * 4]
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    return bool(text) and len(_TEXTY.findall(text)) / len(text) > 0.9


def _utf16(data: bytes) -> str | None:
    """The encoding of UTF-16/32 text (by its byte-order mark, or its pattern of NUL bytes), or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name if _reads_as_text(data, name) else None
    if b"\x00" not in data[:8192] or len(data) < 4:
        return None
    for name in ("utf-16-le", "utf-16-be"):
        if _reads_as_text(data, name):
            return name
    return None


def utf8_replacing(data: bytes, path: str) -> tuple[str, list[Rejection], int, int]:
    """UTF-8 with U+FFFD for each invalid sequence: (text, its W002 warning or none, how many
    were replaced, how many valid non-ASCII characters there are)."""
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if not bad:
        return text, [], 0, good
    try:
        data.decode("utf-8")
        first = 0
    except UnicodeDecodeError as e:
        first = e.start
    return text, [Rejection(path, "W002", message("W002", path=path, count=bad, offset=first))], bad, good


def decode(data: bytes, path: str, encoding: str | None = None) -> tuple[str, list[Rejection]]:
    """Decode bytes: a forced encoding, else UTF-16/32 by BOM or pattern, else UTF-8 (a few bad
    bytes replaced, with a W002 warning), else the declared charset, else a detected one."""
    if encoding:
        return data.decode(encoding, errors="replace"), []
    wide = _utf16(data)
    if wide:
        return data.decode(wide, errors="replace").lstrip("\ufeff"), []
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # Invalid sequences rare among valid multi-byte ones: UTF-8 damaged in places, not another
    # charset; replacing the bad bytes keeps every other character.
    text, warnings, bad, good = utf8_replacing(data, path)
    if good and bad <= max(2, good // 10):
        return text, warnings
    m = _CHARSET.search(data[:4096])
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii")
        try:
            return data.decode(declared), []
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is not None and best.encoding and best.coherence > 0.2:
        return str(best), []
    raise InputError("E006", path=path)


def check_binary(text: str, path: str) -> None:
    """Refuse decoded text that holds NULs or many control characters: it was never text."""
    head = text[:8192]
    if "\x00" in head:
        raise InputError("E005", path=path, reason="it contains NUL bytes")
    controls = sum(1 for ch in head if ord(ch) < 9 or 13 < ord(ch) < 32)
    if head and controls / len(head) > 0.05:
        raise InputError("E005", path=path, reason=f"{controls} control bytes in the first {len(head)}")


def iter_paths(paths: Iterable[str], follow_symlinks: bool = False) -> Iterator[Path | Rejection | str]:
    """Expand arguments into files (folders recursively, sorted, lazily); '-' stays '-'.

    A path given by name is read even when it is a link. Inside a folder, links are followed
    only to files and folders inside the folders given (``follow_symlinks`` lifts that)."""
    paths = list(paths)
    roots = [Path(a).resolve() for a in paths if a != "-" and Path(a).is_dir()]
    for arg in paths:
        if arg == "-":
            yield "-"
            continue
        p = Path(arg)
        if p.is_dir():
            yield from _walk(p, roots, follow_symlinks, {p.resolve()})
        elif p.exists() or p.is_symlink():
            yield p
        else:
            yield Rejection(str(p), "E001", InputError("E001", path=str(p)).message)


def _walk(folder: Path, roots: list[Path], follow: bool, seen: set[Path]) -> Iterator[Path | Rejection]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        yield Rejection(str(folder), "E002", InputError("E002", path=str(folder), reason=e.strerror).message)
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIP_NAMES:
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            target = path.resolve()
            if not follow and not any(target.is_relative_to(r) for r in roots):
                err = InputError("E016", path=str(path), target=str(target))
                yield Rejection(str(path), err.code, err.message)
                continue
            if target.is_dir():
                if target not in seen:  # a link back up the tree is walked once, never in a loop
                    yield from _walk(path, roots, follow, seen | {target})
                continue
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(path, roots, follow, seen | {path.resolve()})
            continue
        if entry.name.startswith("manifest") and entry.name.endswith(".jsonl"):
            continue  # manifests describe files; they are not articles (pass them with --manifest)
        yield path


def read_inputs(paths: Iterable[str], options: Options) -> Iterator[RawInput | Rejection]:
    """Stream RawInput records (and Rejections) from files, folders and stdin."""
    for item in iter_paths(paths, options.follow_symlinks):
        if isinstance(item, Rejection):
            yield item
        elif item == "-":
            raw = getattr(sys.stdin, "buffer", None)  # bytes, so a bad byte spoils one record, not the stream
            lines = sys.stdin if raw is None else (b.decode("utf-8", errors="replace") for b in raw)
            yield from read_jsonl_lines(lines, "<stdin>")
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
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO would block the read forever; a device never ends
            raise InputError("E015", path=str(path), kind=_kind(st.st_mode))
        if st.st_size > options.max_bytes:
            raise InputError("E004", path=str(path), size=st.st_size, limit=options.max_bytes)
        with path.open("rb") as f:
            data = f.read(options.max_bytes + 1)
    except OSError as e:
        raise InputError("E002", path=str(path), reason=e.strerror or str(e)) from None
    if len(data) > options.max_bytes:  # it grew after stat
        raise InputError("E004", path=str(path), size=len(data), limit=options.max_bytes)
    if not data.strip():
        raise InputError("E003", path=str(path))
    if b"\x00" in data[:8192] and not options.encoding and not _utf16(data):
        raise InputError("E005", path=str(path), reason="it contains NUL bytes")
    text, warnings = decode(data, str(path), options.encoding)
    check_binary(text, str(path))
    absolute = str(path.resolve())
    if suffix in JSON_SUFFIXES:
        records = 0
        for item in read_json_text(text, str(path)):
            records += 1
            if isinstance(item, RawInput):
                item.warnings.extend(warnings)
            yield item
        if not records:  # only blank lines (as Unicode sees them)
            raise InputError("E003", path=str(path))
    elif suffix in HTML_SUFFIXES:
        yield RawInput(path.stem, str(path), html=text, path=absolute, warnings=warnings)
    else:
        yield RawInput(path.stem, str(path), text=text, path=absolute, warnings=warnings)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a plain file"


RECORD_FIELDS = ("title", "outlet", "published", "url", "language")


MAX_ID = 512


def type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _record_id(obj: dict, source: str, line: int) -> str:
    for key in ("id", "doc_id"):
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise InputError("E014", path=source, line=line, field=key, expected="text or a whole number",
                             found=type_name(value))
        value = str(value).strip()
        if len(value) > MAX_ID or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
            raise InputError("E014", path=source, line=line, field=key, found=f"{len(value)} characters",
                             expected=f"at most {MAX_ID} characters without control characters")
        if value:
            return value
    return f"{Path(source).stem}-{line}"


def record_to_input(obj: Any, source: str, line: int) -> RawInput:
    """One JSON record as an input. A wrong-typed id rejects the record (E014); a wrong-typed
    metadata field is dropped with a warning (W001); the text is required (E008)."""
    if not isinstance(obj, dict):
        raise InputError("E008", path=source, line=line, fields=type_name(obj))
    text, html = obj.get("text"), obj.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError("E008", path=source, line=line, fields=sorted(map(str, obj))[:8])
    doc_id = _record_id(obj, source, line)
    where = f"{source}:{line}"
    meta, warnings = {}, []
    for k in RECORD_FIELDS:
        value = obj.get(k)
        if value is None:
            continue
        if isinstance(value, str):
            meta[k] = value
        else:
            warnings.append(Rejection(source, "W001", message("W001", path=where, field=k, found=type_name(value)),
                                      line))
    use_text = isinstance(text, str) and text.strip()
    return RawInput(doc_id, where, text=text if use_text else None,
                    html=html if isinstance(html, str) and not use_text else None, meta=meta, warnings=warnings)


def loads_json(line: str):
    """json.loads, with every way it can fail (bad syntax, nesting past the stack, a 5,000-digit
    number) as a ValueError whose text says which."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except json.JSONDecodeError as e:
        raise ValueError(e.msg) from None


def read_json_text(text: str, source: str) -> Iterator[RawInput | Rejection]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            records = loads_json(stripped)
        except ValueError:
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
            obj = loads_json(line)
        except ValueError as e:
            err = InputError("E007", path=source, line=n, reason=str(e))
            yield Rejection(source, err.code, err.message, n)
            continue
        try:
            yield record_to_input(obj, source, n)
        except InputError as e:
            yield Rejection(source, e.code, e.message, n)
