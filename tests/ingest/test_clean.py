"""Cleaning removes page furniture and keeps every sentence of the article."""
from __future__ import annotations

import json
import re

import pytest

from claimledger.ingest.clean import clean_text, guess_title, split_source_line
from claimledger.ingest.prepare import prepare
from claimledger.ingest.readers import RawInput
from tests.conftest import CORPUS, GOLD, SEEDS, needs_shared


@pytest.mark.parametrize("line", [
    "- Article Top Advertisement -", "- Article Inline Advertisement 1-", "- Advertisement -",
    "Please enter your comment!", "Please enter your name here", "Hot Topics", "Related Articles",
    "Continue to read more latest news", "350 total views,  1 views today", "Read also: Russia shells Kharkiv",
    "Click below to express your thoughts and views on this news:", "हिंदी    मराठी", "Share this article",
])
def test_furniture_lines_go(line):
    text = f"Russian forces shelled Kharkiv on Monday.\n{line}\nTwo people were killed, officials said."
    assert clean_text(text) == "Russian forces shelled Kharkiv on Monday.\nTwo people were killed, officials said."


@pytest.mark.parametrize("text,expected", [
    ("Shelling continues. Follow AP’s coverage of the war in Ukraine: https://apnews.com/hub/russia-ukraine Kyiv said.",
     "Shelling continues. Kyiv said."),
    ("A strike hit Kharkiv. (AP Photo/Evgeniy Maloletka, File) Two died.", "A strike hit Kharkiv. Two died."),
    # wire-service credit sentences joined into the last paragraph
    ("The bridge was hit twice. Additional reporting by Anna Kovalenko.", "The bridge was hit twice."),
    ("The talks ended. Petrenko reported from Kyiv. AP writer Jan Novak in Prague contributed to this report.",
     "The talks ended."),
    ("Fighting went on. ___ Follow all AP stories on the war at https://apnews.com/hub/x.", "Fighting went on."),
    # tweet embeds, photo credits, map credits
    ("Troops moved in… pic.twitter.com/AbC123xyz — Some Analyst (@analyst99) June 3, 2024\n\nNext.",
     "Troops moved in…\n\nNext."),
    ("A shelled school in Kupiansk. (Olena Shevchenko/The Local Herald)\n\nNext.", "A shelled school in Kupiansk.\n\nNext."),
    ("A burnt car. June 1, 2024 / Photo: Ivan Lysenko for City News\n\nNext.", "A burnt car. June 1, 2024\n\nNext."),
    ("The map shows the front line. Center for Front Studies\n\nNext.", "The map shows the front line.\n\nNext."),
    ("By Staff, Wires\n\nThe general said.", "The general said."),
])
def test_inline_furniture_goes(text, expected):
    assert re.sub(r"\s+", " ", clean_text(text)) == re.sub(r"\s+", " ", expected)


@pytest.mark.parametrize("text", [
    "The BBC reported from Kharkiv that three people had died.",
    "Reuters reported from Kyiv on Monday that the mayor said so.",
    "Fighting near Izium (Izium/Izyum in Russian) went on.",
    "By Monday, Russian forces had taken the town.",
    "We will hold the line. Olena Ivanova Head of the Regional Council",  # a signature names the speaker: kept
])
def test_sentences_like_furniture_stay(text):
    assert clean_text(text) == text


def test_repeated_headline_is_dropped_once():
    text = "Russia admits to partial withdrawal\n\nRussia admits to partial withdrawal\n\nThe ministry said so."
    assert clean_text(text).count("Russia admits") == 1


def test_title_and_source_line():
    text, outlet = split_source_line("Russia sends reinforcements\n\nBody text here.\n\nSource: CNN Brasil\n\n- Ad -")
    assert outlet == "CNN Brasil" and "Source:" not in text
    assert guess_title(text) == "Russia sends reinforcements"
    assert guess_title("A full sentence that ends with a stop.\nMore.") is None


@needs_shared
def test_gold_boilerplate_is_gone_from_the_seeds():
    for gold in sorted(GOLD.glob("*.json")):
        g = json.loads(gold.read_text())
        raw = (SEEDS / f"{g['doc_id']}.txt").read_text()
        doc = prepare(RawInput(g["doc_id"], "seed", text=raw))
        for b in g["boilerplate"]:
            assert b not in doc.text, (g["doc_id"], b)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])(?<!\b[A-Z]\.)\s+|\n+", text) if len(s.split()) >= 5]


def _all_sentences_kept(raw: str, cleaned: str) -> list[str]:
    flat = re.sub(r"\s+", " ", cleaned)
    lost = []
    for s in _sentences(raw):
        s = re.sub(r"\s+", " ", s)
        if s in flat or clean_text(s).strip() == "":
            continue
        core = re.sub(r"\s+", " ", clean_text(s)).strip()
        if core and core not in flat:
            lost.append(s)
    return lost


def test_no_sentence_of_a_seed_is_lost():
    for path in sorted(SEEDS.glob("*.txt")):
        raw = path.read_text()
        doc = prepare(RawInput(path.stem, str(path), text=raw))
        assert _all_sentences_kept(raw, doc.text) == [], path.name


@needs_shared
def test_no_sentence_of_the_corpus_is_lost():
    lost = {}
    for path in sorted((CORPUS / "articles").glob("*.txt")):
        raw = path.read_text()
        doc = prepare(RawInput(path.stem, str(path), text=raw))
        missing = _all_sentences_kept(raw, doc.text)
        if missing:
            lost[path.name] = missing
    assert lost == {}


@pytest.mark.parametrize("furniture", [
    "Фото з відкритих джерел", "Фото: наслідки обстрілу Харкова", "Фото из открытых источников",
    "Читайте також: що відомо про наступ", "Смотрите также: главное за день", "Підписуйтесь на наш Telegram-канал",
])
def test_russian_and_ukrainian_page_furniture_goes(furniture):
    body = "Російські війська відступили від Ізюма, повідомив Генштаб ЗСУ.\n"
    assert clean_text(body + furniture + "\nЗСУ звільнили село Гракове.") == \
        body + "ЗСУ звільнили село Гракове."


def test_a_photo_credit_after_a_caption_goes_and_the_caption_stays():
    text = "Начальник Генштабу ЗС РФ Валерій Герасимов. Фото з відкритих джерел\nВійська відступили від міста."
    assert clean_text(text) == "Начальник Генштабу ЗС РФ Валерій Герасимов.\nВійська відступили від міста."
