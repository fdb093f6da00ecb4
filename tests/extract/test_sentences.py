from __future__ import annotations

import pytest

from claimledger.extract.sentences import sentence_spans


def split(text):
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ("On October 29, Putin visited the Military Hospital named after P.\nV.\nMandryka in Moscow. He spoke.",
     ["On October 29, Putin visited the Military Hospital named after P.\nV.\nMandryka in Moscow.", "He spoke."]),
    ("Lt. General Igor Konashenkov said so. Then he left.", ["Lt. General Igor Konashenkov said so.", "Then he left."]),
    ("Moscow/Kyiv: The Russian Ministry of Defence disclosed it.", ["Moscow/Kyiv:", "The Russian Ministry of Defence disclosed it."]),
    ("Allegations on Pullout\n\nThe allegation is identical.", ["Allegations on Pullout", "The allegation is identical."]),
    ("“Helicopters are dropping at landing points… The reinforcements will help,” Poddubny said.",
     ["“Helicopters are dropping at landing points… The reinforcements will help,” Poddubny said."]),
    ("“Our reserves are coming,” Poddubny said. “Kupiansk defense continues.”",
     ["“Our reserves are coming,” Poddubny said.", "“Kupiansk defense continues.”"]),
    ("U.S. officials said 2,500 troops moved. They did.", ["U.S. officials said 2,500 troops moved.", "They did."]),
    ("He said it in his statement. daily speech.", ["He said it in his statement. daily speech."]),
])
def test_sentence_boundaries(text, expected):
    assert split(text) == expected


def test_parser_respects_the_boundaries(nlp):
    doc = nlp("Putin visited the hospital named after P. V. Mandryka in Moscow. Lt. Gen. Igor Konashenkov spoke.")
    assert [s.text for s in doc.sents] == ["Putin visited the hospital named after P. V. Mandryka in Moscow.",
                                           "Lt. Gen. Igor Konashenkov spoke."]
