"""``billing-conformance run``: exit status and the per-rule summary."""

from __future__ import annotations

import subprocess
import sys

from billing_conformance import PROJECT_ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "billing_conformance.cli", "run", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_run_exits_zero_and_prints_every_rule_as_holding() -> None:
    done = _run()
    assert done.returncode == 0, done.stdout[-2000:]
    assert "conformance by rule" in done.stdout
    assert "HOLDS   BR-CANCEL-PAUSED" in done.stdout
    assert "0 broken" in done.stdout


def test_run_exits_one_and_names_the_broken_rule_on_a_known_bad_target() -> None:
    done = _run("--target", "inprocess:tests.known_bad:CancelsPausedRuns", "--rule", "BR-CANCEL-PAUSED")
    assert done.returncode == 1
    assert "BROKEN  BR-CANCEL-PAUSED" in done.stdout
    assert "1 rules: 0 hold, 1 broken" in done.stdout
    assert "verdict: does not conform" in done.stdout


def test_run_refuses_an_unknown_target() -> None:
    done = _run("--target", "carrier-pigeon")
    assert done.returncode != 0
    assert "cannot use target 'carrier-pigeon'" in done.stdout + done.stderr


def test_run_exits_zero_when_only_a_should_scenario_fails_and_shows_the_warning() -> None:
    """A target that breaks only a SHOULD decision conforms: exit 0, the rule WARN, the warning listed."""
    done = _run(
        "--target",
        "inprocess:tests.miniatures:CancelsDespitePostedCreditMemos",
        "--rule",
        "BR-CANCEL-POSTED-INVOICE",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "WARN    BR-CANCEL-POSTED-INVOICE" in done.stdout
    assert "warnings (SHOULD)" in done.stdout
    assert "1 rules: 0 hold, 0 broken, 0 errored, 0 not applicable, 1 with warnings" in done.stdout
    assert "verdict: conforms" in done.stdout
