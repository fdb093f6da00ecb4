"""Attribution and certainty, table-driven over crafted and seed sentences."""
from __future__ import annotations

import pytest

from claimledger.extract.actors import describe, side_of
from tests.conftest import analyse


def claims(nlp, text, published=None, outlet=None):
    return analyse(nlp, text, published, outlet)._.claims


CASES = [
    # (text, index of the claim, name, side, kind, via names, certainty)
    ("According to reports from Russia’s TASS news agency, citing unnamed law enforcement sources, the Ukrainian "
     "military has concentrated artillery units in the area.", 0, "Russia’s TASS news agency", "RU", "media",
     ["unnamed law enforcement sources"], "attributed"),
    ("Britain’s Defense Ministry said Saturday that Ukrainian troops had moved up to 50 kilometers south of Kharkiv.",
     0, "Britain’s Defense Ministry", "THIRD", "official", [], "attributed"),
    ("Ukrainian officials claimed huge advances in the Kharkiv region on Saturday.", 0, "Ukrainian officials", "UA",
     "official", [], "hedged"),
    ("Social media videos purport to show the Ukrainian military on the outskirts of Izyum.", 0,
     "Social media videos", "UNKNOWN", "social", [], "hedged"),
    ("Video footage taken by Russian military journalist Yevgeniy Poddubny shows Russian helicopters arriving in "
     "the region.", 0, "Yevgeny Poddubny", "RU", "media", [], "attributed"),
    ("“Our reserves are coming to the front lines,” Poddubny said.", 0, "Yevgeny Poddubny", "RU", "media", [],
     "attributed"),
    ("Russian forces shelled Kharkiv overnight, killing two people. These claims, however, remain unverified by "
     "independent sources.", 0, "the publishing outlet", "UNKNOWN", "outlet", [], "disputed"),
    ("Kremlin spokesperson Dmitry Peskov has rejected Ukraine’s claim that Russian troops committed war crimes in Izium.",
     0, "Dmitry Peskov", "RU", "official", [], "disputed"),
    ("In recent weeks, the plant has been repeatedly shelled, which Russia and Ukraine accuse each other of doing.",
     0, "Russia and Ukraine", "UNKNOWN", "official", [], "disputed"),
    ("According to analysts, Russia may have sent troops from the east to reinforce the area.", 0, "analysts", "THIRD",
     "expert", [], "hedged"),
]


@pytest.mark.parametrize("text,i,name,side,kind,via,certainty", CASES)
def test_attribution(nlp, text, i, name, side, kind, via, certainty):
    c = claims(nlp, text)[i]
    assert (c.claimant.name, c.claimant.side, c.claimant.kind, [v.name for v in c.claimant.via], c.certainty) == \
        (name, side, kind, via, certainty)


def test_multi_sentence_quote_takes_the_speaker_at_its_end(nlp):
    text = ("‘In the last 48 hours, Russian air force and artillery units have launched fierce attacks on Ukrainian "
            "units in Kharkiv. More than 750 Ukrainian soldiers have been killed in these attacks. Drones and radars "
            "of the Ukrainian army were destroyed,’ the Russian Defence Ministry said.")
    cs = claims(nlp, text)
    assert len(cs) == 3
    assert {c.claimant.name for c in cs} == {"Russian Defence Ministry"}
    assert [c.type for c in cs] == ["strike", "casualties", "equipment"]


def test_pronoun_resolves_to_the_last_named_person(nlp):
    text = ("The Defense Minister of Russia, Andrei Belousov, reported that Russian forces had seized 880 square "
            "kilometers. He also noted that 28 settlements had been liberated by Russian forces.")
    cs = claims(nlp, text)
    assert [c.claimant.name for c in cs] == ["Andrei Belousov", "Andrei Belousov"]


def test_backward_reference_attributes_the_sentence_before(nlp):
    text = ("Over a single day, the Ukrainian Armed Forces reportedly suffered multiple losses, including the "
            "destruction of several howitzers. These losses, as described by Russian sources, are part of a pattern.")
    cs = claims(nlp, text)
    assert cs[0].claimant.name == "Russian sources" and cs[0].certainty == "hedged"


def test_title_resolves_to_the_holder_on_the_date(nlp):
    text = "In the besieged Donbas, the Ukrainian governor reported civilians were killed by shelling near Bakhmut."
    c = claims(nlp, text, published="2022-09-10")[0]
    assert c.claimant.name == "Ukrainian governor (Pavlo Kyrylenko)" and c.claimant.side == "UA"
    later = claims(nlp, text, published="2024-03-01")[0]
    assert later.claimant.name == "Ukrainian governor (Vadym Filashkin)"


def test_asserted_claim_belongs_to_the_outlet(nlp):
    c = claims(nlp, "Russian forces shelled Kharkiv overnight, killing two civilians.", outlet="RT")[0]
    assert (c.claimant.name, c.claimant.kind, c.claimant.side, c.certainty) == ("RT", "outlet", "RU", "asserted")


@pytest.mark.parametrize("text,side", [
    ("a Ukrainian official", "UA"), ("Russian-installed administrator", "RU"), ("Britain's Defence Ministry", "THIRD"),
    ("Russia and Ukraine", "UNKNOWN"), ("the spokesman", "UNKNOWN"), ("Moscow-appointed head", "RU"),
])
def test_side_words(text, side):
    assert side_of(text) == side


@pytest.mark.parametrize("text,name,kind,side", [
    ("Lt. General Igor Konashenkov, the spokesperson of the Russian Defence Ministry", "Igor Konashenkov", "official", "RU"),
    ("Ukraine's military chief, Gen. Valerii Zaluzhnyi", "Valerii Zaluzhnyi", "official", "UA"),
    ("the Institute for the Study of War", "Institute for the Study of War", "expert", "THIRD"),
    ("unnamed law enforcement sources", "unnamed law enforcement sources", "anonymous", "UNKNOWN"),
    ("Russia", "Russia", "official", "RU"),
])
def test_describe(text, name, kind, side):
    info = describe(text, [])
    assert (info.name, info.kind, info.side) == (name, kind, side)


def test_a_person_keeps_the_description_given_at_first_mention(nlp):
    text = ("“Russia will try to take more territory,” said Mykola Sunhurovskyi, a Ukrainian military analyst. "
            "Sunhurovskyi said Russian forces had lost 500 tanks near Kharkiv.")
    cs = claims(nlp, text)
    assert [(c.claimant.name, c.claimant.side, c.claimant.kind) for c in cs][-1] == \
        ("Mykola Sunhurovskyi", "UA", "expert")


def test_passive_agent_and_publisher_sign_off(nlp):
    text = ("Most residents of the village were killed by a single missile. This was reported by the spokesman for "
            "the Kharkiv Regional Prosecutor's Office, Dmytro Chubenko, during the telethon, Censor.NET reports.")
    first = claims(nlp, text, outlet="Censor.NET")[0]  # "This was reported by X" attributes the sentence before
    assert (first.claimant.name, first.claimant.side, first.certainty) == ("Dmytro Chubenko", "UA", "attributed")


def test_object_pronoun_resolves(nlp):
    text = ("Volodymyr Fitio, a Ukrainian army spokesman, spoke on television. According to him, Russian forces "
            "launched 26 drones and lost 158 soldiers near Kupiansk.")
    assert claims(nlp, text)[-1].claimant.name == "Volodymyr Fitio"


@pytest.mark.parametrize("text,name", [
    ("a Putin loyalist", "Putin loyalist"),
    ("Russian Defense Ministry spokesman Igor Konashenkov", "Igor Konashenkov"),
    ("Konashenkov, the ministry's spokesman", "Igor Konashenkov"),
])
def test_a_name_that_only_modifies_is_not_the_speaker(text, name):
    assert describe(text, []).name == name


def test_a_post_named_without_a_side_takes_the_side_of_its_region():
    """'the governor of Kharkiv region' names no nationality, but Kharkiv is Ukrainian: the holder
    of that post on the day is the source."""
    info = describe("the governor of Kharkiv region", [], "2023-06-01")
    assert (info.actor, info.side) == ("Oleh Syniehubov", "UA")
