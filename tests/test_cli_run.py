"""``billing-conformance run``: exit status and the per-rule summary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from billing_conformance import PROJECT_ROOT
from tests.suite_runner import run_cli


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``billing-conformance run`` in ``folder``."""
    return run_cli(folder, "run", *args)


def test_run_exits_zero_and_prints_every_rule_as_holding(tmp_path: Path) -> None:
    done = _run(
        tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "conformance by rule" in done.stdout
    assert "HOLDS   BR-CANCEL-PAUSED" in done.stdout
    assert "0 broken" in done.stdout


def test_run_exits_one_and_names_the_broken_rule_on_a_known_bad_target(tmp_path: Path) -> None:
    done = _run(
        tmp_path, "--target", "inprocess:tests.known_bad:CancelsPausedRuns", "--rule", "BR-CANCEL-PAUSED"
    )
    assert done.returncode == 1
    assert "BROKEN  BR-CANCEL-PAUSED" in done.stdout
    assert "45 rules: 0 hold, 1 broken, 0 errored, 0 not applicable, 44 not run" in done.stdout
    assert "verdict: does not conform" in done.stdout


def test_run_refuses_an_unknown_target(tmp_path: Path) -> None:
    done = _run(tmp_path, "--target", "carrier-pigeon")
    assert done.returncode != 0
    assert "cannot use target 'carrier-pigeon'" in done.stdout + done.stderr


def test_run_exits_zero_when_only_a_should_scenario_fails_and_shows_the_warning(tmp_path: Path) -> None:
    """A target that breaks only a SHOULD decision holds on what ran: exit 0, the rule WARN, the
    warning listed, and the verdict partial since one rule of the catalog was selected."""
    done = _run(
        tmp_path,
        "--target",
        "inprocess:tests.miniatures:CancelsDespitePostedCreditMemos",
        "--rule",
        "BR-CANCEL-POSTED-INVOICE",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "WARN    BR-CANCEL-POSTED-INVOICE" in done.stdout
    assert "recap: 1 warning (SHOULD), each with the command that runs it again" in done.stdout
    counts = "45 rules: 0 hold, 0 broken, 0 errored, 0 not applicable, 44 not run, 1 with warnings"
    assert counts in done.stdout
    assert (
        "verdict: partial: 1 of 45 rules holds, 44 not run; 1 SHOULD warning; 3 of 114 scenarios run "
        "(selected by --rule BR-CANCEL-POSTED-INVOICE)"
    ) in done.stdout


def test_an_unknown_rule_id_is_refused_by_name_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _run(tmp_path, "--rule", "BR-NOPE", "--rule", "br-delete", "--results", str(out))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "refused: no rule BR-NOPE in the catalog (billing-conformance rules lists them); nothing was run"
    ]
    assert not out.exists()


def test_rule_ids_are_taken_in_any_case(tmp_path: Path) -> None:
    done = _run(tmp_path, "--rule", "br-delete", "--results", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "HOLDS   BR-DELETE" in done.stdout


def test_docs_refuses_a_results_file_that_is_not_one_naming_the_problem(tmp_path: Path) -> None:
    (tmp_path / "conformance.json").write_text('{"target": "x"}', encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "docs",
            "--results",
            str(tmp_path),
            "--out",
            str(tmp_path / "d"),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"cannot use results from {tmp_path}: conformance.json is not a results file")
    assert "conformance-results.schema.json" in line
    assert "Traceback" not in done.stderr
