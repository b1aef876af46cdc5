"""``run --strict``: SHOULD warnings fail the run with their own exit status (issue 25, item 4);
without it they are listed and the run exits 0; a run that fails on its verdict keeps its status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from billing_conformance.exits import EXIT_CONFORMS, EXIT_DOES_NOT_CONFORM, EXIT_WARNINGS
from tests.known_bad.bill_runs import NeverRebillsCanceledCharges
from tests.suite_runner import run_cli

#: A known-bad variant that breaks only a SHOULD rule.
_SHOULD_ONLY = "inprocess:tests.known_bad:NeverRebillsCanceledCharges"
_ITS_RULE = NeverRebillsCanceledCharges.breaks


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    folder.mkdir(exist_ok=True)
    return run_cli(folder, "run", "--results", str(folder / "results"), *args)


def test_the_variant_breaks_only_a_should_rule() -> None:
    assert NeverRebillsCanceledCharges.should_only


def test_a_should_only_fault_exits_zero_without_strict_and_its_own_status_with_it(tmp_path: Path) -> None:
    plain = _run(tmp_path / "plain", "--target", _SHOULD_ONLY, "--rule", _ITS_RULE)
    strict = _run(tmp_path / "strict", "--target", _SHOULD_ONLY, "--rule", _ITS_RULE, "--strict")
    assert plain.returncode == EXIT_CONFORMS, plain.stdout[-2000:]
    assert strict.returncode == EXIT_WARNINGS == 8, strict.stdout[-2000:]
    assert f"WARN    {_ITS_RULE}" in plain.stdout
    assert "strict:" not in plain.stdout
    assert f"strict: 1 SHOULD warning fails the run (--strict; exit {EXIT_WARNINGS})" in strict.stdout
    # The gate is the exit status only: the verdict and the results are the same either way.
    for done in (plain, strict):
        assert "verdict: partial: 1 of 45 rules with a warning, 44 not run; 1 SHOULD warning" in done.stdout
    written = [
        json.loads((tmp_path / name / "results" / "conformance.json").read_text(encoding="utf-8"))
        for name in ("plain", "strict")
    ]
    assert [found["summary"]["verdict"] for found in written] == ["partial", "partial"]


def test_strict_changes_nothing_for_a_run_without_warnings(tmp_path: Path) -> None:
    done = _run(tmp_path, "--rule", "BR-DELETE", "--strict")
    assert done.returncode == EXIT_CONFORMS, done.stdout[-2000:]
    assert "strict:" not in done.stdout


def test_a_must_breach_keeps_its_status_under_strict(tmp_path: Path) -> None:
    variant = "inprocess:tests.known_bad:CancelsPausedRuns"
    done = _run(tmp_path, "--target", variant, "--rule", "BR-CANCEL-PAUSED", "--strict")
    assert done.returncode == EXIT_DOES_NOT_CONFORM, done.stdout[-2000:]
    assert "verdict: does not conform" in done.stdout
