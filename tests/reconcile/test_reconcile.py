"""Events: independence of sources, status, estimates, contradictions — crafted and real."""
from __future__ import annotations

import pytest

from claimledger import Ledger, Options, ingest, reconcile
from claimledger.model import Attribution, Claim, Place, Quantity, Source, When
from tests.conftest import CORPUS, needs_shared

KHARKIV = Place("Kharkiv region", "Kharkiv Oblast", "region", 49.6, 36.6, "UA", None,
                "claimledger:region:Kharkiv Oblast")
IZIUM = Place("Izium", "Izium", "city", 49.21, 37.26, "UA", "Kharkiv Oblast", "geonames:707292")


def claim(cid, doc, sentence, who, side, quantities=(), places=(KHARKIV,), type_="territory", via=(),
          day="2022-09-10", kind="official", actor=None):
    return Claim(cid, doc, sentence, 0, len(sentence), type_,
                 Attribution(who, kind, side, [Source(*v) for v in via], actor), "attributed", list(quantities),
                 list(places), When(day, day, "Saturday"))


def settlements(value, bound="lower"):
    return Quantity(f"more than {value} settlements", value, value if bound == "lower" else None,
                    value if bound == "upper" else None, bound, "settlements", "seized", "UA")


def test_repeats_of_one_source_are_one_source():
    claims = [claim(f"c{i}", f"d{i}", "Zelensky said forces had recaptured more than 30 settlements in the Kharkiv region.",
                    "Volodymyr Zelensky", "UA", [settlements(30)], actor="Volodymyr Zelensky") for i in range(3)]
    events = reconcile(claims, {}, {})
    assert len(events) == 1
    e = events[0]
    assert [s["name"] for s in e.sources] == ["Office of the President of Ukraine"]
    assert e.status == "single_source"
    assert [(x.low, x.best, x.high) for x in e.estimates] == [(30, 30, 30)]


def test_agency_citing_the_ministry_is_the_ministry():
    a = claim("a", "d1", "TASS, citing the Russian Defence Ministry, said troops withdrew from Izium.", "TASS", "RU",
              places=(IZIUM,), type_="movement", via=[("Russian Defence Ministry", "official", "RU",
                                                        "Russian Defence Ministry")], kind="media", actor="TASS")
    b = claim("b", "d2", "RT, citing the Russian Defence Ministry, said troops withdrew from Izium.", "RT", "RU",
              places=(IZIUM,), type_="movement", via=[("Russian Defence Ministry", "official", "RU",
                                                        "Russian Defence Ministry")], kind="media", actor="RT")
    (e,) = reconcile([a, b], {}, {})
    assert [s["name"] for s in e.sources] == ["Russian Defence Ministry"]


def test_sides_agreeing_is_corroborated_and_disagreeing_figures_contested():
    ua = claim("u", "d1", "Zelensky said forces retook more than 30 settlements.", "Volodymyr Zelensky", "UA",
               [settlements(30)], actor="Volodymyr Zelensky")
    uk = claim("k", "d2", "Britain's Defence Ministry said Ukraine retook more than 30 settlements.",
               "UK Defence Ministry", "THIRD", [settlements(30)], actor="UK Defence Ministry")
    (e,) = reconcile([ua, uk], {}, {})
    assert e.status == "corroborated" and sorted(s["side"] for s in e.sources) == ["THIRD", "UA"]
    ru = claim("r", "d3", "Russia said Ukraine retook up to 5 settlements.", "Russian Defence Ministry", "RU",
               [settlements(5, "upper")], actor="Russian Defence Ministry")
    (e,) = reconcile([ua, ru], {}, {})
    assert e.status == "contested"
    assert e.contradictions[0]["reason"] == "figures outside each other's ranges"


def test_opposite_outcomes_are_contested():
    ru = claim("r", "d1", "The Russian Defence Ministry said troops in Izium were regrouping.",
               "Russian Defence Ministry", "RU", places=(IZIUM,), type_="movement", actor="Russian Defence Ministry")
    ua = claim("u", "d2", "Ukraine said Russian troops were fleeing from Izium.", "Ukrainian Armed Forces", "UA",
               places=(IZIUM,), type_="movement", actor="Ukrainian Armed Forces")
    (e,) = reconcile([ru, ua], {}, {})
    assert e.status == "contested" and "regrouping vs flight" in e.contradictions[0]["reason"]
    assert "regrouping" in e.framing["RU"] and "fleeing" in e.framing["UA"]


@pytest.mark.parametrize("rule,best", [("ucdp", 750), ("acled", 500)])
def test_estimates_low_best_high(rule, best):
    def killed(cid, value, bound, who, actor):
        q = Quantity(f"{value}", value, value if bound == "lower" else None, value if bound == "upper" else None,
                     bound, "persons", "killed", "UA")
        return claim(cid, cid, f"{who} said {value} Ukrainian soldiers were killed in Kharkiv.", who, "RU", [q],
                     type_="casualties", actor=actor)
    claims = [killed("a", 750, "lower", "Russian Defence Ministry", "Russian Defence Ministry"),
              killed("b", 500, "exact", "TASS", "TASS"), killed("c", 1000, "upper", "RIA Novosti", "RIA Novosti")]
    (e,) = reconcile(claims, {}, {}, rule=rule)
    (est,) = e.estimates
    assert (est.low, est.best, est.high) == (500, best, 1000)
    assert est.claim_ids == ["a", "b", "c"]


def test_far_apart_dates_never_link():
    a = claim("a", "d1", "Forces retook more than 30 settlements.", "Volodymyr Zelensky", "UA", [settlements(30)],
              day="2022-09-10", actor="Volodymyr Zelensky")
    b = claim("b", "d2", "Forces retook more than 30 settlements.", "Volodymyr Zelensky", "UA", [settlements(30)],
              day="2023-09-10", actor="Volodymyr Zelensky")
    assert len(reconcile([a, b], {}, {})) == 2


@needs_shared
def test_the_september_2022_regrouping_is_one_event_told_by_both_sides(tmp_path):
    files = [str(CORPUS / "articles" / f"{n:04d}.txt") for n in (57, 63, 64, 65, 76, 79)]
    ledger = Ledger(tmp_path / "e.db")
    ingest(files, ledger, Options(quiet=True), manifests=[str(CORPUS / "manifest.jsonl")])
    claims = {c.claim_id: c for c in ledger.iter_claims()}
    events = list(ledger.iter_events())
    withdrawal = max((e for e in events if e["type"] == "movement"), key=lambda e: len(e["claim_ids"]))
    docs = {claims[c].doc_id for c in withdrawal["claim_ids"]}
    assert len(docs) >= 3  # RT, AP and others
    assert "Russian Defence Ministry" in {s["name"] for s in withdrawal["sources"]}
    assert withdrawal["status"] in ("corroborated", "contested")
    assert any(t in withdrawal["framing"].get("RU", []) for t in ("regroup", "regrouping"))


def _summary(claims):
    from claimledger.reconcile.features import features_for
    from claimledger.reconcile.summarise import summarise
    return summarise(features_for(claims, {}))


def _own_voice(cid, doc, sentence, outlet, side):
    return claim(cid, doc, sentence, outlet, side, kind="outlet")


def test_an_outlet_narrating_a_named_source_is_that_source():
    governor = claim("a", "d1", "Governor Oleh Syniehubov said a mandatory evacuation was ordered in Kupiansk.",
                     "Oleh Syniehubov", "UA", places=(IZIUM,), type_="humanitarian", actor="Oleh Syniehubov")
    told = _own_voice("b", "d1", "Residents of 37 settlements are being evacuated.", "Newsweek", "THIRD")
    e = _summary([governor, told])
    assert [(s["name"], s["claim_ids"]) for s in e.sources] == [("Oleh Syniehubov", ["a", "b"])]
    assert e.sources[0]["outlets"] == [] and e.status == "single_source"  # no outlet in the crafted DocInfo
    # the same sentence in an article that cites nobody is the outlet's own report: a second side
    alone = _own_voice("c", "d2", "Residents of 37 settlements are being evacuated.", "Newsweek", "THIRD")
    e = _summary([governor, alone])
    assert sorted(s["name"] for s in e.sources) == ["Newsweek", "Oleh Syniehubov"]
    assert e.status == "corroborated"


@pytest.mark.parametrize("ru_place,ua_place,contested", [
    ("Izium", "Izium", True),  # taken and held: one town, a dispute
    ("Izium", "Kupiansk", False),  # taken in one town, held in another: two facts, no dispute
])
def test_opposite_outcomes_need_the_same_place(ru_place, ua_place, contested):
    kupiansk = Place("Kupiansk", "Kupiansk", "city", 49.71, 37.61, "UA", "Kharkiv Oblast", "geonames:703656")
    where = {"Izium": IZIUM, "Kupiansk": kupiansk}
    ru = claim("r", "d1", f"The Russian Defence Ministry said troops had captured {ru_place}.",
               "Russian Defence Ministry", "RU", places=(where[ru_place],), actor="Russian Defence Ministry")
    ua = claim("u", "d2", f"The General Staff said its troops repelled the assault on {ua_place}.",
               "Ukrainian General Staff", "UA", places=(where[ua_place],), actor="Ukrainian General Staff")
    e = _summary([ru, ua])
    assert (e.status == "contested") is contested
    assert [c["reason"] for c in e.contradictions] == (["opposite outcomes: taken vs held"] if contested else [])


@pytest.mark.parametrize("admission,status", [
    ("Balakliya, in effect, is not under our control", "corroborated"),  # the side admits its loss
    ("Yes, we left Balakliya and some other settlements", "corroborated"),
    ("Fighting continues around Balakliya", "contested"),  # no admission: the dispute stands
])
def test_a_side_admitting_its_loss_outweighs_its_own_dissent(admission, status):
    balakliya = Place("Balakliya", "Balakliya", "city", 49.46, 36.86, "UA", "Kharkiv Oblast", "geonames:712926")
    ua = claim("u", "d1", "The Ukrainian military said it had liberated Balakliya.", "Ukrainian Armed Forces", "UA",
               places=(balakliya,), actor="Ukrainian Armed Forces")
    dissent = claim("k", "d2", "The war correspondent said Russian troops were holding Balakliya.",
                    "Alexander Kots", "RU", places=(balakliya,), kind="media")
    admits = claim("g", "d3", f"“{admission},” the Russian-installed official said.", "Vitaly Ganchev", "RU",
                   places=(balakliya,))
    e = _summary([ua, dissent, admits])
    assert e.status == status
    assert [c["claim_ids"] for c in e.contradictions] == [["u", "k"]]  # the dissent stays listed either way
    if status == "corroborated":
        assert e.status_reason.startswith("Vitaly Ganchev (Russian) concedes the loss (“")
        assert "although Ukrainian Armed Forces and Alexander Kots disagree" in e.status_reason
