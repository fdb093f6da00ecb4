"""Manifests: JSON Lines giving metadata per file, paths relative to the manifest's folder."""
from __future__ import annotations

import json
from pathlib import Path

from claimledger.errors import InputError
from claimledger.model import Rejection


class Manifest:
    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}  # absolute path -> row
        self.used: set[str] = set()
        self.problems: list[Rejection] = []

    @classmethod
    def load(cls, paths: list[str]) -> Manifest:
        m = cls()
        for path in paths:
            p = Path(path)
            try:
                lines = p.read_text(encoding="utf-8").splitlines()
            except OSError as e:
                err = InputError("E002", path=str(p), reason=e.strerror or str(e))
                m.problems.append(Rejection(str(p), err.code, err.message))
                continue
            for n, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict) or not isinstance(row.get("file"), str):
                        raise ValueError("no 'file' field")
                except ValueError as e:
                    err = InputError("E011", path=str(p), line=n, reason=str(e))
                    m.problems.append(Rejection(str(p), err.code, err.message, n))
                    continue
                m.rows[str((p.parent / row["file"]).resolve())] = row
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
