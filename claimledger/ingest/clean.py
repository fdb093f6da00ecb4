"""Cleaning: strip page furniture from article text, keep every sentence of the article.

The rules live in ``data/boilerplate.json``; this module holds the mechanism:
whole-line patterns, inline patterns, language-switch lines (a short line in another
script than the body's), and repeated lines (a headline printed twice).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from claimledger.resources import load_json


@dataclass(frozen=True, slots=True)
class Rules:
    lines: re.Pattern
    inline: tuple[re.Pattern, ...]
    switch_line_max_words: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    data = load_json("boilerplate.json")
    lines = re.compile(r"^\s*(?:" + "|".join(f"(?:{p})" for p in data["lines"]) + r")\s*$",
                       re.IGNORECASE)
    inline = tuple(re.compile(p, re.IGNORECASE) for p in data["inline"])
    return Rules(lines, inline, int(data["switch_line_max_words"]))


_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_SOURCE_LINE = re.compile(r"^\s*Source:\s*(?P<outlet>[^\n]{2,80}?)\s*$", re.IGNORECASE)


def script_of(text: str) -> str:
    """The dominant script of ``text``: 'latin', 'cyrillic', 'other' or '' (no letters)."""
    counts = {"latin": 0, "cyrillic": 0, "other": 0}
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            key = "latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC") else "other"
            counts[key] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] else ""


def split_source_line(text: str) -> tuple[str, str | None]:
    """Remove a trailing ``Source: X`` line (among the last few lines); return (text, X)."""
    lines = text.split("\n")
    seen = 0
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip():
            continue
        seen += 1
        m = _SOURCE_LINE.match(lines[i])
        if m:
            del lines[i]
            return "\n".join(lines), m.group("outlet").strip()
        if seen >= 8:
            break
    return text, None


def guess_title(text: str) -> str | None:
    """A leading headline: a short first line without a full stop, followed by more text."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    first = first.strip()
    if not first or not rest.strip() or len(first) > 200 or len(first.split()) < 3:
        return None
    if first[-1] in ".!?:;,\"”’'…":
        return None
    return first


def clean_text(text: str) -> str:
    """Return ``text`` without page furniture, lines trimmed, blank runs collapsed."""
    r = rules()
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    body_script = script_of(text)
    out: list[str] = []
    seen: set[str] = set()
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if not line:
            if out and out[-1] != "":
                out.append("")
            continue
        if r.lines.match(line):
            continue
        for pattern in r.inline:
            line = pattern.sub(" ", line)
        line = _SPACES.sub(" ", line).strip()
        if not line or r.lines.match(line):
            continue  # the whole line was furniture
        key = line.casefold()
        if key in seen and len(line) < 300:
            continue  # a repeated headline or teaser line
        words = line.split()
        if (len(words) <= r.switch_line_max_words and body_script
                and script_of(line) not in ("", body_script)):
            continue  # a language-switch line ("हिंदी मराठी" on an English page)
        seen.add(key)
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
