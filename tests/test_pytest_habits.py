"""pytest's habits carry over to ``run``: rule IDs select as markers, and ``--lf`` re-runs what
failed, its cache kept with the results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.suite_runner import run_cli


def _ran(folder: Path) -> dict[str, list[str]]:
    """The outcomes of the scenarios that ran, by rule, as the results folder says."""
    results: dict[str, Any] = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    return {
        rule["id"]: [s["outcome"] for s in rule["scenarios"]]
        for rule in results["rules"]
        if rule["scenarios"]
    }


def test_rule_ids_select_their_scenarios_as_markers_in_either_spelling(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--results", "out", "--", "-m", "BR-DELETE or WO_PARTLY_PAID")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    ran = _ran(tmp_path / "out")
    assert set(ran) == {"BR-DELETE", "WO-PARTLY-PAID"}
    assert "partial" in done.stdout  # a selection never reads as conforming


def test_last_failed_reruns_only_the_failed_scenarios_and_keeps_its_cache_with_the_results(
    tmp_path: Path,
) -> None:
    target = "inprocess:tests.known_bad:CancelsPausedRuns"
    full = run_cli(tmp_path, "run", "--results", "out", "--target", target)
    assert full.returncode == 1, full.stdout[-2000:]
    failed = {
        rule: [o for o in outcomes if o == "failed"]
        for rule, outcomes in _ran(tmp_path / "out").items()
        if "failed" in outcomes
    }
    assert failed == {"BR-CANCEL-PAUSED": ["failed"]}
    assert sum(map(len, _ran(tmp_path / "out").values())) == 114
    again = run_cli(tmp_path, "run", "--results", "out", "--target", target, "--", "--lf")
    assert again.returncode == 1, again.stdout[-2000:]
    assert _ran(tmp_path / "out") == failed
    assert (tmp_path / "out" / ".pytest-cache").is_dir()
    assert not (tmp_path / ".pytest_cache").exists()
