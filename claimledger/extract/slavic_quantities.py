"""Figures in Russian and Ukrainian sentences, over lemmatised spaCy tokens.

A figure is a number — digits ("50", "10 700", "2,5"), number words in any case ("двух
тысяч", "пятисот", "шість"), or a vague plural ("десятки", "сотні") — with the bound read from
the words before it ("более", "понад", "до", "около", "приблизно"), the counted noun after it
(adjectives between are skipped: "до 50 военнослужащих ВСУ", "две боевые бронированные
машины"), the category from the noun itself or the nearest outcome word of the sentence, and
the party from the phrase's side words. Dates ("27 окт", "20 листопада"), ordinals ("202-й")
and durations are not figures. The word lists are ``data/lang/{ru,uk}.json``.
"""
from __future__ import annotations

import re

from spacy.tokens import Span

from claimledger.extract.morph import analyse
from claimledger.extract.quantities import allowed_categories
from claimledger.extract.slavic_lexicon import LangLex, fold
from claimledger.model import Quantity

UNIT_WINDOW = 5  # tokens between the number and its noun (adjectives, "единиц" of "единиц техники")
_DIGITS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$|^\d+(?:[.,]\d+)?$")


def _number_at(sent: Span, i: int, lex: LangLex) -> tuple[float, int, bool] | None:
    """(value, index after the number, vague) of a number starting at token ``i``."""
    toks = sent
    tok = toks[i]
    text = tok.text
    j = i
    if _DIGITS.match(text):
        if i + 1 < len(toks) and toks[i + 1].text.startswith("-"):
            return None  # "202-й", "Су-34"
        value = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        j = i + 1
        while j < len(toks) and re.fullmatch(r"\d{3}", toks[j].text) and toks[j - 1].whitespace_ and value < 1000:
            value = value * 1000 + float(toks[j].text)  # "10 700": a thousands separator
            j += 1
    else:
        lemma = fold(tok.lemma_)
        if lemma in lex.vague and tok.pos_ in ("NOUN", "NUM", "X"):
            value, _ = lex.vague[lemma]
            return value, i + 1, True
        if lemma not in lex.numbers:
            return None
        value = 0.0
        while j < len(toks) and fold(toks[j].lemma_) in lex.numbers:
            value += lex.numbers[fold(toks[j].lemma_)]
            j += 1
    if j < len(toks):
        scale = lex.scales.get(fold(toks[j].lemma_)) or lex.scales.get(fold(toks[j].text))
        if scale:
            value *= scale
            j += 1
            if j < len(toks) and toks[j].text == ".":
                j += 1
    return value, j, False


def _unit_after(sent: Span, j: int, lex: LangLex) -> tuple[str, int] | None:
    """(unit, index after the noun) of the counted noun at or after token ``j``."""
    for k in range(j, min(len(sent), j + UNIT_WINDOW)):
        tok = sent[k]
        if tok.is_punct and tok.text not in ("%",):
            return None
        for n in (2, 1):
            key = tuple(fold(t.lemma_) for t in sent[k:k + n])
            if len(key) == n and key in lex.units:
                return lex.units[key], k + n
        if tok.is_alpha:  # any reading of the word: a participle as a noun, a plural-only noun
            unit = next((lex.units[(fold(f),)] for f in analyse(tok.text, lex.lang)[3] if (fold(f),) in lex.units), None)
            if unit:
                return unit, k + 1
        if fold(tok.lemma_) in lex.non_quantity or re.fullmatch(lex.month_pattern, tok.lower_.rstrip(".")):
            return None
        if tok.pos_ not in ("ADJ", "NUM") and not (tok.pos_ == "VERB" and tok.morph.get("Case")):
            return None  # a noun, verb or preposition that is not a unit: no counted noun here
    return None


def _negated(sent: Span, k: int) -> bool:
    """"не эвакуировали", "не дають евакуюватися": the word or the verb governing it is negated."""
    return (k > 0 and sent[k - 1].lower_ == "не") or \
        (k > 1 and sent[k - 2].lower_ == "не" and sent[k - 1].pos_ == "VERB")


def _category(sent: Span, at: int, end: int, unit: str, lex: LangLex) -> str:
    """The outcome of the figure: its noun's own (пострадавших) first, else the nearest outcome word
    of the sentence that such a figure can have (people are captured, not seized); a negated word
    ("не дають евакуюватися") says nothing happened."""
    aliases = lex.category_for_unit.get(unit, {})
    allowed = allowed_categories(unit)
    best, best_d = "other", len(sent) + 1
    for k, tok in enumerate(sent):
        cats = lex.categories.get(fold(tok.lemma_))
        if not cats and at <= k < end and tok.is_alpha:
            cats = next((lex.categories[fold(f)] for f in analyse(tok.text, lex.lang)[3] if fold(f) in lex.categories), None)
        if not cats or _negated(sent, k):
            continue
        cat = next((c for c in (aliases.get(c, c) for c in cats) if c in allowed), None)
        d = 0 if at <= k < end else min(abs(k - at), abs(k - (end - 1)))
        if cat and d < best_d:
            best, best_d = cat, d
    return best


GAINS = ("seized", "advanced", "withdrawn", "deployed")


def _party(sent: Span, a: int, b: int, category: str, lex: LangLex) -> str:
    """Whose people or things: the side words of the phrase ("до 50 военнослужащих ВСУ"); for a
    gain, whoever the sentence names before it ("Российские войска освободили 30 сёл")."""
    end = b
    while end < len(sent) and end - b < 8 and sent[end].text not in ".;:!?" and sent[end].pos_ != "VERB":
        end += 1  # the rest of a list: "три танка и две бронемашины противника"
    for tok in sent[a:max(end, b + 2)]:
        side = lex.party_words.get(fold(tok.lemma_)) or lex.party_words.get(fold(tok.text))
        if side is None and tok.is_alpha:  # "чоловіків", "пострадавших": any reading
            side = next((lex.party_words[fold(f)] for f in analyse(tok.text, lex.lang)[3] if fold(f) in lex.party_words),
                        None)
        if side and not (category in GAINS and side == "CIV"):
            return side
    if category in GAINS:
        for tok in sent[:a]:
            side = lex.side_words.get(fold(tok.lemma_)) or lex.side_words.get(fold(tok.text))
            if side in ("RU", "UA"):
                return side
    return "UNKNOWN"


def _bare_count(sent: Span, i: int, j: int, lex: LangLex) -> bool:
    """"ликвидировали 250": a number ending its clause right after an outcome verb counts people."""
    if j < len(sent) and not sent[j].is_punct and fold(sent[j].lemma_) not in ("и", "і", "та", "а"):
        return False
    return any(set(lex.categories.get(fold(t.lemma_), ())) & {"killed", "wounded", "captured"}
               and t.pos_ == "VERB" for t in sent[max(0, i - 3):i])


def find_quantities(sent: Span, lex: LangLex, text: str | None = None) -> list[Quantity]:
    """The figures of one sentence (``text``: the document's text, when the caller has it)."""
    text = sent.doc.text if text is None else text
    out: list[Quantity] = []
    i = 0
    n = len(sent)
    while i < n:
        found = _number_at(sent, i, lex)
        if found is None:
            i += 1
            continue
        value, j, vague = found
        unit_found = _unit_after(sent, j, lex)
        if unit_found is None and not vague and _bare_count(sent, i, j, lex):
            unit_found = ("persons", j)
        if unit_found is None:
            i = max(j, i + 1)
            continue
        unit, end = unit_found
        before = text[max(sent.start_char, sent[i].idx - 30):sent[i].idx]
        bound, start_char = ("lower" if vague else "exact"), sent[i].idx
        for rx, b in lex.bounds:
            m = rx.search(before)
            if m:
                bound, start_char = b, sent[i].idx - (len(before) - m.start())
                break
        low = value if bound == "lower" else None
        high = value if bound == "upper" else None
        category = _category(sent, i, end, unit, lex)
        span = text[start_char:sent[end - 1].idx + len(sent[end - 1])]
        out.append(Quantity(text=span, value=value, low=low, high=high, bound=bound, unit=unit,
                            category=category, party=_party(sent, i, end, category, lex), start=start_char))
        i = end
    return out
