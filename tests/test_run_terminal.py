"""What ``billing-conformance run`` shows: a line per scenario by rule and name (a mark and colour
in a terminal, a plain word otherwise), each failure in the feature's words with no framework
frames unless asked for, and a re-run command that runs just that scenario from anywhere."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from billing_conformance import PROJECT_ROOT
from billing_conformance.recording import rerun_command
from tests.suite_runner import run_cli

BAD = "inprocess:tests.known_bad:CancelsPausedRuns"


_cli = run_cli


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    folder = tmp_path_factory.mktemp("run")
    return _cli(folder, "run", "--target", BAD, "--rule", "BR-CANCEL-PAUSED", "--rule", "BR-CANCEL-ONCE")


def test_each_scenario_is_a_line_with_its_rule_and_name_not_a_dot(
    failing_run: subprocess.CompletedProcess[str],
) -> None:
    lines = failing_run.stdout.splitlines()
    assert "FAILED  BR-CANCEL-PAUSED               The schedule is paused" in lines
    assert "passed  BR-CANCEL-PAUSED               The schedule was paused and then resumed" in lines
    assert "passed  BR-CANCEL-ONCE                 Only the current occurrence of a daily schedule" in lines
    assert not any(set(line.strip()) <= {".", "F", "E", "s"} and line.strip() for line in lines)
    assert "\x1b[" not in failing_run.stdout  # not a terminal: no colour codes


def test_a_failure_reads_in_the_features_words_without_framework_frames(
    failing_run: subprocess.CompletedProcess[str],
) -> None:
    out = failing_run.stdout
    assert failing_run.returncode == 1
    assert (
        "    step: Then the cancellation is refused because a business rule forbids it  "
        "(bill_runs/canceling_scheduled.feature:" in out
    )
    assert (
        "expected the cancellation to be refused, but it was accepted: the cancellation's result (bill run "
        in out
    )
    assert "status Canceled, target date 2026-04-01" in out
    for noise in (
        "Traceback",
        "_pytest",
        "CancelView(",
        "datetime.date",
        "AssertionError",
        "test_conformance.py",
    ):
        assert noise not in out, noise


def test_traceback_shows_the_frames_when_asked_for(tmp_path: Path) -> None:
    done = _cli(tmp_path, "run", "--target", BAD, "--rule", "BR-CANCEL-PAUSED", "--traceback")
    assert done.returncode == 1
    assert "AssertionError" in done.stdout
    assert "steps/support.py" in done.stdout


def test_colour_and_marks_where_the_terminal_takes_them(tmp_path: Path) -> None:
    done = _cli(tmp_path, "run", "--target", BAD, "--rule", "BR-CANCEL-PAUSED", "--", "--color=yes")
    assert "\x1b[" in done.stdout
    assert "✗ BR-CANCEL-PAUSED" in done.stdout
    assert "✓ BR-CANCEL-PAUSED" in done.stdout


def _again(out: str) -> list[str]:
    (line,) = [line for line in out.splitlines() if line.startswith("    again: ")]
    return shlex.split(line.removeprefix("    again: "))


def test_the_rerun_command_runs_just_that_scenario_from_another_folder(
    failing_run: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    words = _again(failing_run.stdout)
    assert words[:4] == [os.path.abspath(sys.executable), "-m", "billing_conformance", "run"]
    assert words[4:8] == ["--import-path", str(PROJECT_ROOT), "--target", BAD]  # a checkout variant
    assert words[8] == "--results"
    assert words[9].endswith("--BR-CANCEL-PAUSED--The-schedule-is-paused")
    assert words[10:] == ["--rule", "BR-CANCEL-PAUSED", "--scenario", "The schedule is paused"]
    again = _cli(tmp_path, *words[3:])
    assert again.returncode == 1
    assert re.search(r"^1 failed, \d+ deselected in", again.stdout, re.MULTILINE)


def test_one_example_of_an_outline_runs_alone(tmp_path: Path) -> None:
    name = "Only the current occurrence of a <repeat> schedule [repeat=weekly, next date=2026-04-08]"
    done = _cli(tmp_path, "run", "--scenario", name, "--results", str(tmp_path / "r"))
    assert done.returncode == 0, done.stdout[-2000:]
    assert re.search(r"^1 passed, \d+ deselected in", done.stdout, re.MULTILINE)
    results = json.loads((tmp_path / "r" / "conformance.json").read_text(encoding="utf-8"))
    ran = [s for r in results["rules"] for s in r["scenarios"]]
    assert [s["example"] for s in ran] == [{"repeat": "weekly", "next date": "2026-04-08"}]
    assert shlex.split(ran[0]["rerun"])[-2:] == ["--scenario", name]


def test_the_rerun_command_keeps_the_profile_and_production_flag_as_given() -> None:
    options = {
        "--target": "https://sandbox.example",
        "--profile": "profiles/sandbox.toml",
        "--allow-production": True,
    }
    config = SimpleNamespace(getoption=lambda name, default=None: options.get(name, default))
    command = rerun_command(config, "WO-REPORTED", "The write-off is reported")  # type: ignore[arg-type]
    assert shlex.split(command) == [
        os.path.abspath(sys.executable),
        "-m",
        "billing_conformance",
        "run",
        "--target",
        "https://sandbox.example",
        "--profile",
        os.path.abspath("profiles/sandbox.toml"),  # by its absolute path: it works from anywhere
        "--allow-production",
        "--rule",
        "WO-REPORTED",
        "--scenario",
        "The write-off is reported",
    ]


def test_the_summary_names_each_rule_with_its_statement_under_pytest_xdist(tmp_path: Path) -> None:
    done = _cli(tmp_path, "run", "--rule", "BR-DELETE", "--", "-n", "2")
    assert done.returncode == 0, done.stdout[-2000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("HOLDS   BR-DELETE")]
    assert line.endswith("Only a canceled bill run, or one that ended in error, can be deleted")
