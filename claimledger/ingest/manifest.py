"""Manifests: JSON Lines giving metadata per file, paths relative to the manifest's folder."""
from __future__ import annotations

from pathlib import Path

from claimledger.errors import InputError, message
from claimledger.ingest.readers import RECORD_FIELDS, decode, loads_json, type_name, utf8_replacing
from claimledger.model import Rejection


class Manifest:
    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}  # absolute path -> row
        self.used: set[str] = set()
        self.problems: list[Rejection] = []
        self.warnings: list[Rejection] = []  # fields dropped, bytes replaced

    @classmethod
    def load(cls, paths: list[str]) -> Manifest:
        m = cls()
        for path in paths:
            p = Path(path)
            try:
                if not p.is_file():
                    raise InputError("E001" if not p.exists() else "E015", path=str(p), kind="not a plain file")
                data = p.read_bytes()
                try:
                    text, warnings = decode(data, str(p))
                except InputError:  # JSON is UTF-8: keep every row, with the bad bytes replaced
                    text, warnings, _, _ = utf8_replacing(data, str(p))
            except OSError as e:
                err = InputError("E002", path=str(p), reason=e.strerror or str(e))
                m.problems.append(Rejection(str(p), err.code, err.message))
                continue
            except InputError as e:
                m.problems.append(Rejection(str(p), e.code, e.message))
                continue
            m.warnings.extend(warnings)
            for n, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    row = loads_json(line)
                    if not isinstance(row, dict) or not isinstance(row.get("file"), str) or not row["file"].strip():
                        raise ValueError("no 'file' field with a path")
                    path = str((p.parent / row["file"]).resolve())
                except (ValueError, OSError) as e:  # OSError: a path the system cannot resolve (NUL in it)
                    err = InputError("E011", path=str(p), line=n, reason=str(e))
                    m.problems.append(Rejection(str(p), err.code, err.message, n))
                    continue
                for key in [k for k in RECORD_FIELDS if row.get(k) is not None and not isinstance(row[k], str)]:
                    m.warnings.append(Rejection(str(p), "W001", message(
                        "W001", path=f"{p}:{n}", field=key, found=type_name(row.pop(key))), n))
                m.rows[path] = row
        return m

    def row_for(self, absolute_path: str | None) -> dict | None:
        if absolute_path and absolute_path in self.rows:
            self.used.add(absolute_path)
            return self.rows[absolute_path]
        return None

    def unmatched(self) -> list[Rejection]:
        out = []
        for path, row in self.rows.items():
            if path not in self.used:
                err = InputError("E012", file=row["file"])
                out.append(Rejection(path, err.code, err.message))
        return out
