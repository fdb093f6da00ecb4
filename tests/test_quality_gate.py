"""The quality gate: dev-set scores (../shared/eval/score.py on the seeds' export) never drop
below these floors. Raise a floor when a change lifts a score; never lower one to pass."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import GOLD, SCORER, needs_shared

FLOORS = {
    "claim_f1": 0.95, "claim_type_acc": 0.95, "claim_side_acc": 0.95, "claim_certainty_acc": 0.95,
    "claim_claimant_acc": 0.88, "claim_kind_acc": 0.95,
    "quantity_f1": 0.95, "q_unit_acc": 0.95, "q_category_acc": 0.95, "q_party_acc": 0.95, "q_bound_acc": 0.95,
    "q_range_acc": 0.95, "q_side_acc": 0.95, "q_certainty_acc": 0.95,
    "place_recall": 0.95, "place_precision": 0.93,
    "event_pair_f1": 0.90, "event_b3_f1": 0.90, "event_xdoc_f1": 0.90,
}


@needs_shared
def test_dev_scores_stay_above_their_floors(seeds_export, tmp_path):
    out = tmp_path / "scores.json"
    args = [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(seeds_export), "--json", str(out),
            "--quiet"] + [f"--require={k}={v}" for k, v in FLOORS.items()]
    run = subprocess.run(args, capture_output=True, text=True)
    scores = json.loads(out.read_text())
    assert run.returncode == 0, run.stdout[-2000:]
    assert scores["boilerplate_leaks"] == 0
