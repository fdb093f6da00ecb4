"""The quality gate: dev-set scores (../shared/eval/score.py on the seeds' export) never drop
below these floors. Raise a floor when a change lifts a score; never lower one to pass."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import GOLD, SCORER, needs_shared

FLOORS = {
    "claim_f1": 0.95, "claim_type_acc": 0.95, "claim_side_acc": 0.95, "claim_certainty_acc": 0.95,
    "claim_claimant_acc": 0.88, "claim_kind_acc": 0.95,
    "quantity_f1": 0.95, "q_unit_acc": 0.95, "q_category_acc": 0.95, "q_party_acc": 0.95, "q_bound_acc": 0.95,
    "q_range_acc": 0.95, "q_side_acc": 0.95, "q_certainty_acc": 0.95,
    "place_recall": 0.95, "place_precision": 0.93,
    # events: measured with the fitted linker (the 1.00 of the first round was a hand fit to these five
    # articles); floors are the measured scores rounded down
    "event_pair_f1": 0.85, "event_b3_f1": 0.89, "event_xdoc_f1": 0.70,
}
# corpus-dev (tests/reconcile/test_linker.py scores an export of the whole corpus, English and
# Russian/Ukrainian, against these, and requires 0 boilerplate leaks): the measured scores rounded down
# (claim_f1 and claim_type_acc are scored on articles the claim and type models were fitted on:
# their cross-validated floors are in tests/extract/test_fitted.py)
CORPUS_FLOORS = {
    "event_pair_f1": 0.54, "event_xdoc_f1": 0.48, "event_b3_f1": 0.65, "event_status_acc": 0.72,
    "claim_f1": 0.95, "quantity_f1": 0.96, "claim_claimant_acc": 0.87, "claim_side_acc": 0.94,
    "claim_kind_acc": 0.93, "claim_type_acc": 0.95, "claim_certainty_acc": 0.94, "place_precision": 0.95,
    "place_recall": 0.90, "q_unit_acc": 0.98, "q_category_acc": 0.98, "q_bound_acc": 0.98, "q_range_acc": 0.95,
    "q_party_acc": 0.95, "q_side_acc": 0.93, "q_certainty_acc": 0.93,
}

# other-lang-dev (issue 13), scored on an export of other_lang.jsonl alone: the measured scores
# rounded down
OTHER_LANG_FLOORS = {
    "claim_f1": 0.95, "quantity_f1": 0.95, "place_precision": 0.90, "place_recall": 0.90,
    "claim_claimant_acc": 0.88, "claim_side_acc": 0.95, "claim_kind_acc": 0.93, "claim_type_acc": 0.93,
    "claim_certainty_acc": 0.95, "q_unit_acc": 0.95, "q_bound_acc": 0.95, "q_side_acc": 0.95,
}
# corpus-dev + other-lang-dev on one export of both (tests/reconcile/test_linker.py): the measured
# cross-language event scores rounded down
JOINT_FLOORS = {"event_pair_f1": 0.54, "event_xdoc_f1": 0.48, "event_b3_f1": 0.65, "event_status_acc": 0.72}


def run_scorer(export_dir, gold_dir, floors) -> dict:
    """Score ``export_dir`` against one gold folder or a list of them (cross-set events)."""
    golds = gold_dir if isinstance(gold_dir, list) else [gold_dir]
    out = export_dir.parent / f"scores-{'+'.join(g.name for g in golds)}.json"
    args = [sys.executable, str(SCORER), *[x for g in golds for x in ("--gold", str(g))], "--pred", str(export_dir),
            "--json", str(out), "--quiet"] + [f"--require={k}={v}" for k, v in floors.items()]
    # the shared scorer breaks ties in event status by set order: its event_status_acc moves by
    # ±0.06 with PYTHONHASHSEED on one export, so the gate scores under one fixed seed
    run = subprocess.run(args, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert run.returncode == 0, run.stdout[-2000:]
    return json.loads(out.read_text())


@needs_shared
def test_dev_scores_stay_above_their_floors(seeds_export):
    scores = run_scorer(seeds_export, GOLD, FLOORS)
    assert scores["boilerplate_leaks"] == 0


@needs_shared
def test_other_language_scores_stay_above_their_floors(other_lang_export):
    run_scorer(other_lang_export, GOLD.parent / "other-lang-dev", OTHER_LANG_FLOORS)
