"""Dates: explicit and relative date expressions, resolved against the publication date.

``find_dates(text)`` returns the expressions in a sentence; ``resolve(expr, published)``
turns one into a (start, end) pair of ISO dates, or None when it cannot be placed
(a relative expression in an undated document). Weekdays mean the latest such day on or
before publication ("on Saturday" in a Saturday paper is that day); a month and day with
no year take the publication year, or the year before when that would lie in the future.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12, "24": 24, "48": 48, "72": 72, "a": 1, "few": 3}

_MON = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
PATTERNS = [
    ("dmy", re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("mdy", re.compile(r"\b" + _MON + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b", re.I)),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<day>\d{2})\b")),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|this\s+|early\s+|late\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("rel_day", re.compile(r"\b(?P<w>yesterday|today|overnight|last night|this morning|tonight|earlier today)\b", re.I)),
    ("past_n", re.compile(r"\b(?:in|over|during|within)\s+the\s+(?:past|last|previous)\s+(?P<n>\w+)\s+(?P<unit>hours|days|weeks|months)\b", re.I)),
    ("last_unit", re.compile(r"\b(?P<which>last|this|past|previous|earlier this|the previous)\s+(?P<unit>week|month)\b", re.I)),
    ("month_year", re.compile(r"\b(?:in\s+)?" + _MON + r"\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
]


@dataclass(frozen=True, slots=True)
class DateExpr:
    kind: str
    text: str
    start: int
    groups: tuple[tuple[str, str | None], ...]


def _matches(patterns, text: str):
    """(kind, match) of each pattern in turn, skipping matches that overlap an earlier one."""
    taken: list[tuple[int, int]] = []
    for kind, rx in patterns:
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            yield kind, m


def find_dates(text: str, offset: int = 0) -> list[DateExpr]:
    found = [DateExpr(kind, m.group(0), offset + m.start(), tuple(m.groupdict().items()))
             for kind, m in _matches(PATTERNS, text)]
    return sorted(found, key=lambda d: d.start)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _iso(d: date) -> str:
    return d.isoformat()


def resolve(expr: DateExpr, published: str | None) -> tuple[str, str] | None:
    g = dict(expr.groups)
    pub = date.fromisoformat(published) if published else None
    try:
        if expr.kind in ("dmy", "mdy", "iso"):
            month = int(g["m"]) if expr.kind == "iso" else _month(g["mon"])
            day = int(g["day"])
            if g.get("year"):
                d = date(int(g["year"]), month, day)
            elif pub:
                d = date(pub.year, month, day)
                if d > pub + timedelta(days=1):
                    d = date(pub.year - 1, month, day)
            else:
                return None
            return _iso(d), _iso(d)
        if expr.kind == "month_year":
            month = _month(g["mon"])
            first = date(int(g["year"]), month, 1)
            last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return _iso(first), _iso(last)
        if pub is None:
            return None
        if expr.kind == "weekday":
            back = (pub.weekday() - WEEKDAYS[g["wd"].lower()]) % 7
            if expr.text.lower().startswith("last") and back == 0:
                back = 7
            d = pub - timedelta(days=back)
            return _iso(d), _iso(d)
        if expr.kind == "rel_day":
            w = g["w"].lower()
            if w == "yesterday":
                return _iso(pub - timedelta(days=1)), _iso(pub - timedelta(days=1))
            if w in ("overnight", "last night"):
                return _iso(pub - timedelta(days=1)), _iso(pub)
            return _iso(pub), _iso(pub)
        if expr.kind == "past_n":
            n = NUMBER_WORDS.get(g["n"].lower()) or (int(g["n"]) if g["n"].isdigit() else None)
            if n is None:
                return None
            unit = g["unit"].lower()
            days = {"hours": n / 24, "days": n, "weeks": 7 * n, "months": 30 * n}[unit]
            return _iso(pub - timedelta(days=max(1, round(days)))), _iso(pub)
        if expr.kind == "last_unit":
            unit = g["unit"].lower()
            if g["which"].lower() in ("this", "earlier this"):
                start = pub - timedelta(days=pub.weekday()) if unit == "week" else pub.replace(day=1)
                return _iso(start), _iso(pub)
            if unit == "week":
                start = pub - timedelta(days=pub.weekday() + 7)
                return _iso(start), _iso(start + timedelta(days=6))
            first_this = pub.replace(day=1)
            last_prev = first_this - timedelta(days=1)
            return _iso(last_prev.replace(day=1)), _iso(last_prev)
    except (ValueError, KeyError, TypeError):
        return None
    return None


_ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _cyrillic_patterns(lang: str):
    from claimledger.extract.slavic_lexicon import lexicon

    lex = lexicon(lang)
    words = lambda ws: "|".join(re.escape(w) for w in sorted(ws, key=lambda w: (-len(w), w)))  # noqa: E731
    return lex, [
        ("dmy", re.compile(r"(?<!\w)(?P<day>\d{1,2})(?:-?го)?\s+(?P<mon>" + lex.month_pattern
                           + r")\.?(?:\s+(?P<year>(?:19|20)\d{2}))?(?!\w)", re.I)),
        ("rel_day", re.compile(r"(?<!\w)(?P<w>" + words(lex.relative_days) + r")(?!\w)", re.I)),
        ("weekday", re.compile(r"(?<!\w)(?:в|у|во)\s+(?P<wd>" + words(lex.weekdays) + r")(?!\w)", re.I)),
    ]


def find_dates_cyrillic(text: str, offset: int, lang: str) -> list[DateExpr]:
    """``find_dates`` for Russian and Ukrainian: the same kinds of expression, with month names,
    relative days and weekdays from ``data/lang/{lang}.json``."""
    lex, patterns = _cached_patterns(lang)
    found: list[DateExpr] = []
    for kind, m in _matches(patterns, text):
        g, a = m.groupdict(), m.start()
        if kind == "dmy":
            mon = g["mon"].lower().rstrip(".")
            stem = max((s for s in lex.months if mon.startswith(s)), key=len, default=None)
            if stem is None:
                continue
            groups = (("year", g.get("year")), ("m", f"{lex.months[stem]:02d}"), ("day", g["day"]))
            found.append(DateExpr("iso", m.group(0), offset + a, groups))
        elif kind == "rel_day":
            found.append(DateExpr(kind, m.group(0), offset + a, (("w", lex.relative_days[g["w"].lower()]),)))
        else:
            wd = _ENGLISH_WEEKDAYS[lex.weekdays[g["wd"].lower()]]
            found.append(DateExpr(kind, m.group(0), offset + a, (("wd", wd),)))
    return sorted(found, key=lambda d: d.start)


_PATTERNS: dict[str, tuple] = {}


def _cached_patterns(lang: str):
    if lang not in _PATTERNS:
        _PATTERNS[lang] = _cyrillic_patterns(lang)
    return _PATTERNS[lang]
