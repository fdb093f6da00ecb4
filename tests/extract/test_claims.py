"""Claim detection and types on the seeds, and dates."""
from __future__ import annotations

import pytest

from claimledger.extract.dates import find_dates, resolve
from tests.conftest import SEEDS, analyse


COMMENTARY = [
    "This perspective, however, contrasts sharply with the international community’s view of Ukraine.",
    "The situation highlights the urgent need for a peaceful resolution to the conflict.",
    "The escalating violence in Ukraine underscores the need for a diplomatic solution to the crisis.",
    "Allegations on Pullout",
]


@pytest.mark.parametrize("text", COMMENTARY)
def test_commentary_is_not_a_claim(nlp, text):
    assert analyse(nlp, text)._.claims == []


@pytest.mark.parametrize("text,type_", [
    ("Russia’s Defense Ministry stated on Saturday that it was withdrawing soldiers from two districts.", "movement"),
    ("A 62-year-old woman was murdered in a Russian missile strike in the Kharkiv region.", "casualties"),
    ("According to TASS, Russian forces have also targeted a training ground near the city of Poltava.", "strike"),
    ("Drones, radars, artillery guns and command posts of the Ukrainian army were destroyed.", "equipment"),
    ("Ukrainian President Volodymyr Zelenskyy said on Friday that forces had recaptured more than 30 settlements.", "territory"),
    ("Electricity and water have been restored in the Russian-held city of Enerhodar, the mayor said.", "infrastructure"),
    ("Officials in Izyum had begun transporting inhabitants to Russia, the head of the administration said.", "humanitarian"),
])
def test_claim_type(nlp, text, type_):
    assert analyse(nlp, text)._.claims[0].type == type_


def test_every_seed_yields_claims(nlp):
    for path in sorted(SEEDS.glob("*.txt")):
        doc = analyse(nlp, path.read_text())
        assert len(doc._.claims) >= 5, path.name


@pytest.mark.parametrize("text,published,expected", [
    ("stated on Saturday", "2022-09-10", ("2022-09-10", "2022-09-10")),
    ("said on Friday", "2022-09-10", ("2022-09-09", "2022-09-09")),
    ("in the last 48 hours", "2022-09-10", ("2022-09-08", "2022-09-10")),
    ("On October 29, Putin visited", "2025-11-02", ("2025-10-29", "2025-10-29")),
    ("On October 29, Putin visited", "2025-03-01", ("2024-10-29", "2024-10-29")),
    ("on 10 September 2022", None, ("2022-09-10", "2022-09-10")),
    ("last week", "2022-09-10", ("2022-08-29", "2022-09-04")),
    ("overnight", "2022-09-10", ("2022-09-09", "2022-09-10")),
    ("in May 2024", None, ("2024-05-01", "2024-05-31")),
])
def test_dates(text, published, expected):
    exprs = find_dates(text)
    assert exprs, text
    assert resolve(exprs[0], published) == expected


def test_relative_date_without_publication_date_is_unknown():
    assert resolve(find_dates("on Saturday")[0], None) is None
