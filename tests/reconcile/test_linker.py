"""The event linker: crafted pairs (table-driven), the clustering, incremental = rebuild on the
corpus, the cross-validation floor, the seeds' withdrawal event, determinism."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from claimledger import Ledger, Options, export, ingest
from claimledger.model import Attribution, Claim, Place, Quantity, When
from claimledger.reconcile import link_new, reconcile, reconcile_ledger
from claimledger.reconcile.cluster import cluster, is_candidate
from claimledger.reconcile.features import DocInfo, document_features
from claimledger.reconcile.scorer import default_scorer
from tests.conftest import CORPUS, ROOT, SEEDS, SHARED, needs_shared, read_jsonl

OBLAST = Place("Kharkiv region", "Kharkiv Oblast", "region", 49.6, 36.6, "UA", None, "claimledger:region:Kharkiv Oblast")
IZIUM = Place("Izium", "Izium", "city", 49.21, 37.26, "UA", "Kharkiv Oblast", "geonames:707292")
KUPIANSK = Place("Kupiansk", "Kupiansk", "city", 49.71, 37.61, "UA", "Kharkiv Oblast", "geonames:703656")
VOVCHANSK = Place("Vovchansk", "Vovchansk", "city", 50.29, 36.94, "UA", "Kharkiv Oblast", "geonames:689064")
KHERSON = Place("Kherson", "Kherson", "city", 46.63, 32.61, "UA", "Kherson Oblast", "geonames:706448")


def fig(value, unit, category, party):
    return Quantity(f"{value} {unit}", value, None, None, "exact", unit, category, party)


def claim(doc, sentence, who, side, type_, places=(), day=None, figures=(), certainty="attributed"):
    return Claim(f"{doc}-{hashlib.sha1(sentence.encode()).hexdigest()[:8]}", doc, sentence, 0, len(sentence), type_,
                 Attribution(who, "official", side, [], who), certainty, list(figures), list(places),
                 When(day, day, day) if day else None)


def weight(a: Claim, b: Claim, published_a: str, published_b: str) -> float:
    fa = document_features(DocInfo(a.doc_id, published_a), [a])[0]
    fb = document_features(DocInfo(b.doc_id, published_b), [b])[0]
    assert is_candidate(fa, fb)
    return default_scorer().weight(fa, fb)


PAIRS = [
    # (why, claim a, claim b, published a, published b, same happening?)
    ("one side's regrouping is the other's flight",
     claim("d1", "The Russian Defence Ministry said troops near Izium were regrouping to the Donetsk direction.",
           "Russian Defence Ministry", "RU", "movement", [IZIUM], "2022-09-10"),
     claim("d2", "Ukraine's General Staff said Russian troops were fleeing Izium in disarray.",
           "General Staff of the Armed Forces of Ukraine", "UA", "movement", [IZIUM], "2022-09-10"),
     "2022-09-10", "2022-09-11", True),
    ("two outlets repeat one figure",
     claim("d1", "Zelensky said troops had liberated more than 30 settlements in the Kharkiv region.",
           "Volodymyr Zelensky", "UA", "territory", [OBLAST], None, [fig(30, "settlements", "seized", "RU")]),
     claim("d2", "The president said more than 30 settlements in Kharkiv region were freed this week.",
           "Volodymyr Zelensky", "UA", "territory", [OBLAST], None, [fig(30, "settlements", "seized", "RU")]),
     "2022-09-10", "2022-09-11", True),
    ("a strike and its dead are one event",
     claim("d1", "A Russian missile strike on a hardware store in Kharkiv killed 12 people, the governor said.",
           "Oleh Syniehubov", "UA", "casualties", [], "2024-05-25", [fig(12, "persons", "killed", "CIV")]),
     claim("d2", "The strike on the Epicentr hypermarket in Kharkiv left 12 dead and 43 injured.",
           "Ihor Terekhov", "UA", "strike", [], "2024-05-25", [fig(12, "persons", "killed", "CIV")]),
     "2024-05-25", "2024-05-26", True),
    ("a capture claim and its denial are one event",
     claim("d1", "Gerasimov said Russian forces had taken full control of Kupiansk.",
           "Valery Gerasimov", "RU", "territory", [KUPIANSK], "2025-11-20"),
     claim("d2", "The Ukrainian General Staff denied that Kupiansk had been captured, saying its troops still hold "
           "the city.", "General Staff of the Armed Forces of Ukraine", "UA", "territory", [KUPIANSK], "2025-11-21",
           certainty="disputed"),
     "2025-11-21", "2025-11-22", True),
    ("a capture in one town is not shelling in another",
     claim("d1", "Gerasimov said Russian forces had taken full control of Kupiansk.",
           "Valery Gerasimov", "RU", "territory", [KUPIANSK], "2025-11-20"),
     claim("d2", "Shelling of Vovchansk wounded three civilians, the regional administration said.",
           "Kharkiv regional military administration", "UA", "casualties", [VOVCHANSK], "2025-11-20",
           [fig(3, "persons", "wounded", "CIV")]),
     "2025-11-21", "2025-11-21", False),
    ("an evacuation is not a strike at the other end of the front",
     claim("d1", "Authorities ordered the mandatory evacuation of 37 settlements around Kupiansk.",
           "Kharkiv regional military administration", "UA", "humanitarian", [KUPIANSK], "2023-08-09",
           [fig(37, "settlements", "evacuated", "CIV")]),
     claim("d2", "Russia said its forces destroyed a Ukrainian ammunition depot near Kherson.",
           "Russian Defence Ministry", "RU", "strike", [KHERSON], "2023-08-09"),
     "2023-08-09", "2023-08-10", False),
]


# Pairs the fitted linker gets wrong, measured, with why (strict: the test fails once it links them,
# so the entry goes when a refit fixes it).
KNOWN_MISSES: dict[str, str] = {}  # crafted pairs a refit gets wrong: the case's id -> why (a strict xfail)


@pytest.mark.parametrize("why,a,b,pa,pb,same", [
    pytest.param(*p, id=p[0], marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[p[0]])]
                 if p[0] in KNOWN_MISSES else []) for p in PAIRS])
def test_crafted_pairs(why, a, b, pa, pb, same):
    w = weight(a, b, pa, pb)
    assert (w > 0) == same, f"{why}: weight {w / 1e6:+.2f}"


def test_claims_weeks_apart_are_never_compared():
    a = claim("d1", "Russian forces shelled Kupiansk.", "Kharkiv regional military administration", "UA", "strike",
              [KUPIANSK], "2023-08-09")
    b = claim("d2", "Russian forces shelled Kupiansk.", "Kharkiv regional military administration", "UA", "strike",
              [KUPIANSK], "2023-10-09")
    fa = document_features(DocInfo("d1", "2023-08-09"), [a])[0]
    fb = document_features(DocInfo("d2", "2023-10-09"), [b])[0]
    assert not is_candidate(fa, fb)
    assert len(reconcile([a, b], {"d1": DocInfo("d1", "2023-08-09"), "d2": DocInfo("d2", "2023-10-09")})) == 2


def test_a_claim_without_a_place_inherits_the_town_named_before_it():
    text = "Russian troops entered Kupiansk on Thursday. The town was shelled overnight, the governor said."
    first = Claim("c1", "d", text[:44], 0, 44, "territory", Attribution("x"), "asserted", [], [KUPIANSK])
    second = Claim("c2", "d", text[45:], 45, len(text), "strike", Attribution("Oleh Syniehubov"), "attributed")
    kupiansk_mention = Place(**{**KUPIANSK.to_dict(), "start": 23})
    f1, f2 = document_features(DocInfo("d", "2023-08-09", places=(kupiansk_mention,)), [second, first])
    assert f2.towns == frozenset() and f2.ctx_towns == frozenset({"geonames:703656"})
    assert f2.regions == frozenset({"r:Kharkiv Oblast"})


@pytest.mark.parametrize("edges,expected", [
    # a chain a-b-c whose far ends disagree strongly stays apart where the mean says so
    ([(0, 1, 5), (1, 2, 5), (0, 2, -20)], [[0, 1], [2]]),
    ([(0, 1, 5), (1, 2, 5), (0, 2, -1)], [[0, 1, 2]]),
    ([(0, 1, -1)], [[0], [1]]),
])
def test_average_linkage(edges, expected):
    assert cluster(["a", "b", "c"][: 1 + max(max(i, j) for i, j, _ in edges)], edges) == expected


def test_clustering_does_not_depend_on_edge_order():
    edges = [(0, 1, 3), (1, 2, 3), (2, 3, 3), (0, 3, -4), (1, 3, 1)]
    ids = ["d", "c", "b", "a"]
    assert cluster(ids, edges) == cluster(ids, list(reversed(edges)))


def test_the_seeds_withdrawal_event_and_its_framing(seeds_ledger):
    events = list(seeds_ledger.iter_events())
    withdrawal = max((e for e in events if e["type"] == "movement"), key=lambda e: len(e["claim_ids"]))
    assert {s["side"] for s in withdrawal["sources"]} >= {"RU"}
    words = set(withdrawal["framing"]["RU"])
    assert words & {"regrouping", "reassembled", "reorganized"}
    assert withdrawal["status"] == "corroborated" and "concedes" in withdrawal["status_reason"]
    assert all("(" not in w for side in withdrawal["framing"].values() for w in side)  # spellings apart
    fleeing = [e for e in events if "fleeing" in e["framing"].get("UA", [])]
    assert fleeing, "the Ukrainian 'fleeing' wording is kept on its event's framing"


@needs_shared
def test_incremental_linking_equals_a_rebuild_on_the_corpus(corpus_in_two_ingests):
    inc, full = corpus_in_two_ingests / "incremental", corpus_in_two_ingests / "rebuilt"
    assert (inc / "events.jsonl").read_bytes() == (full / "events.jsonl").read_bytes()
    assert (inc / "claims.jsonl").read_bytes() == (full / "claims.jsonl").read_bytes()
    events = read_jsonl(inc / "events.jsonl")
    claims = read_jsonl(inc / "claims.jsonl")
    assert sum(len(e["claim_ids"]) for e in events) == len(claims)
    assert len(events) < 0.6 * len(claims)  # events form: not one per claim
    assert all(e["status_reason"] for e in events)


@needs_shared
def test_corpus_dev_event_scores_stay_above_their_floors(corpus_in_two_ingests):
    from tests.test_quality_gate import CORPUS_FLOORS, run_scorer
    scores = run_scorer(corpus_in_two_ingests / "incremental", SHARED / "eval" / "corpus-dev", CORPUS_FLOORS)
    assert scores["boilerplate_leaks"] == 0


@needs_shared
def test_cross_language_event_scores_stay_above_their_floors(corpus_in_two_ingests):
    """English and Russian/Ukrainian claims of one happening in one event: the joint scoring of
    issue 13 (both gold folders on one export of the English corpus and other_lang.jsonl)."""
    from tests.test_quality_gate import JOINT_FLOORS, run_scorer
    run_scorer(corpus_in_two_ingests / "incremental", [SHARED / "eval" / "corpus-dev", SHARED / "eval" / "other-lang-dev"],
               JOINT_FLOORS)


@needs_shared
def test_cross_validated_linker_floor(corpus_in_two_ingests, seeds_export):
    """Leave-one-story-out CV of the pair models (thresholds as stored: the full nested search is
    `make fit`'s, too slow for the suite). Floors are the measured scores less a small margin."""
    from claimledger.reconcile import fit
    stored = default_scorer()
    ev = SHARED / "eval"
    exports = [(seeds_export, [ev / "dev"]), (corpus_in_two_ingests / "rebuilt", [ev / "corpus-dev", ev / "other-lang-dev"])]
    idf = fit.english_idf(exports)
    sets = [fit.load_set(e, g, "+".join(d.name for d in g), idf) for e, g in exports]
    cv = fit.cross_validate(sets, thresholds=(stored.threshold, stored.threshold_within))
    # measured here with the linker refitted in the fifth round (the claim model's new features find
    # more gold claims, 297 items in 12 stories where there were 292 in 13): pair 0.475,
    # cross-document 0.397, B-cubed 0.638, status 0.667 (the fourth round's: 0.524, 0.468, 0.684,
    # 0.722 on its own items; make fit's own nested search now prints 0.480, 0.396, 0.655, 0.611)
    assert cv["all"]["event_pair_f1"] >= 0.46, cv
    assert cv["all"]["event_xdoc_f1"] >= 0.38, cv
    assert cv["all"]["event_b3_f1"] >= 0.62, cv
    assert cv["all"]["event_status_acc"] >= 0.65, cv


def test_link_new_on_an_empty_ledger_builds_everything(tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(SEEDS)], ledger, Options(quiet=True, reconcile=False))
    assert ledger.count("events") == 0
    link_new(ledger)
    assert ledger.count("events") > 0 and ledger.unlinked_documents() == []


@pytest.mark.parametrize("inputs", [
    pytest.param([str(SEEDS)], id="seeds"),
    pytest.param([str(CORPUS / "articles"), "--manifest", str(CORPUS / "manifest.jsonl")], marks=[needs_shared],
                 id="corpus"),
])
def test_exports_are_identical_under_two_hash_seeds(tmp_path, inputs):
    outs = []
    for seed in ("1", "3"):
        db, out = tmp_path / f"{seed}.db", tmp_path / f"x{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cl = [sys.executable, "-m", "claimledger.cli"]
        subprocess.run(cl + ["ingest", *inputs, "--db", str(db), "--quiet"], env=env, cwd=ROOT, capture_output=True)
        subprocess.run(cl + ["export", "--db", str(db), "--out", str(out)], check=True, env=env, cwd=ROOT,
                       capture_output=True)
        outs.append(out)
    for name in ("documents.jsonl", "claims.jsonl", "events.jsonl", "places.geojson"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_a_syndicated_copy_joins_the_events_of_what_it_copies(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    original = SEEDS / "002_8b076f6054a706c2.txt"
    (a / original.name).write_bytes(original.read_bytes())
    (b / "copy.txt").write_text("Syndicated copy.\n" + original.read_text(encoding="utf-8"), encoding="utf-8")
    ledger = Ledger(tmp_path / "l.db")
    ingest([str(a)], ledger, Options(quiet=True))
    ingest([str(b)], ledger, Options(quiet=True))
    assert ledger.get_document("copy").duplicate_of == original.stem
    export(ledger, tmp_path / "x")
    claims = read_jsonl(tmp_path / "x" / "claims.jsonl")
    event_of = {(c["doc_id"], c["sentence"]): c["event_id"] for c in claims}
    copies = [(s, e) for (d, s), e in event_of.items() if d == "copy"]
    assert copies and all(event_of.get((original.stem, s)) == e for s, e in copies if (original.stem, s) in event_of)
    keyed = {r[0] for r in ledger.db.execute("SELECT DISTINCT c.doc_id FROM link_keys k JOIN claims c USING (claim_id)")}
    assert "copy" not in keyed  # copies stay out of the blocks
    reconcile_ledger(ledger)
    export(ledger, tmp_path / "y")
    assert (tmp_path / "x" / "events.jsonl").read_bytes() == (tmp_path / "y" / "events.jsonl").read_bytes()


def test_a_document_of_tens_of_thousands_of_claims_is_compared_within_a_bounded_budget():
    from types import SimpleNamespace

    from claimledger.reconcile.cluster import DOC_WINDOW
    from claimledger.reconcile.online import DOC_PAIR_BUDGET, _near_in_document
    article = [SimpleNamespace(position=k) for k in range(120)]
    pairs = _near_in_document(article)
    assert len(pairs) == sum(min(DOC_WINDOW, 119 - x) for x in range(120))  # an article: every pair in the window
    dump = [SimpleNamespace(position=k) for k in range(30_000)]
    pairs = _near_in_document(dump)
    assert len(pairs) <= DOC_PAIR_BUDGET and all(0 < y - x <= DOC_PAIR_BUDGET // 30_000 for x, y in pairs)
    assert pairs == sorted(pairs)


@needs_shared
def test_a_rebuild_in_independent_parts_gives_the_same_events(corpus_in_two_ingests):
    """`reconcile --workers 2`: the corpus split where no block joins it, each part linked in its
    own process, gives byte for byte the events of the single-process rebuild."""
    from claimledger.reconcile.partition import parts, rebuild
    ledger = Ledger(corpus_in_two_ingests / "c.db")
    found = parts(ledger)
    assert len(found) > 1 and sum(map(len, found)) == len({d for p in found for d in p})
    n_events, n_parts = rebuild(ledger, workers=2)
    assert n_parts == len(found)
    export(ledger, corpus_in_two_ingests / "parts")
    full = corpus_in_two_ingests / "rebuilt"
    for name in ("events.jsonl", "claims.jsonl"):
        assert (corpus_in_two_ingests / "parts" / name).read_bytes() == (full / name).read_bytes()
