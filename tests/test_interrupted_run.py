"""A run that is stopped never certifies what it did not check: whenever and however it is
stopped (one signal or several, SIGINT or SIGTERM, serially or in parallel workers), its
results folder is valid and says *incomplete*, every output marks the interruption, and it exits
with its own status, never 0 and never a usage error's."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.exits import EXIT_INTERRUPTED
from schemas.contract import violations
from tests.processes import interruptible

_PYTEST = (
    sys.executable,
    "-m",
    "pytest",
    str(FEATURES_DIR),
    "-q",
    "-p",
    "no:randomly",
    f"--rootdir={PROJECT_ROOT}",
)


_CUCUMBER = json.loads(
    (Path(__file__).parent / "cucumber_json_schema" / "cucumber-js.json").read_text(encoding="utf-8")
)


def _read(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert violations("conformance-results", data) == []
    return data


def test_a_run_killed_while_a_target_hangs_leaves_results_marked_incomplete(tmp_path: Path) -> None:
    """Against a target that accepts connections and never answers, SIGTERM ends the run at once
    with a results folder that says it is incomplete (and was so from the start)."""
    folder = tmp_path / "results"
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # connections wait in the backlog: nobody ever answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        run = subprocess.Popen(
            [*_PYTEST, f"--target={url}", f"--results={folder}"],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=interruptible,  # noqa: PLW1509 - it only resets one signal in the child
        )
        try:
            deadline = time.monotonic() + 30
            while not (folder / "conformance.json").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _read(folder)["complete"] is False
            time.sleep(1.0)  # the first scenario now waits on the silent target
            run.send_signal(signal.SIGTERM)
            run.wait(timeout=8)
        finally:
            run.kill()
    results = _read(folder)
    assert results["complete"] is False
    summary = results["summary"]
    assert isinstance(summary, dict)
    assert summary["verdict"] == "incomplete"
    assert summary["scope"]["state"] == "interrupted"
    assert run.returncode == EXIT_INTERRUPTED


def test_a_finished_run_of_a_selection_is_complete_and_partial(tmp_path: Path) -> None:
    """A run of part of the catalog that ran to its end is complete, and its verdict says partial."""
    folder = tmp_path / "results"
    done = subprocess.run(
        [*_PYTEST, f"--results={folder}", "-k", "canceled_bill_run"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    results = _read(folder)
    assert results["complete"] is True
    summary = results["summary"]
    assert isinstance(summary, dict)
    assert summary["verdict"] == "partial"
    assert summary["scope"]["selection"] == ["-k 'canceled_bill_run'"]
    assert summary["headline"].startswith("partial: ")
    assert f"of {summary['scope']['catalog']['scenarios']} scenarios run" in summary["headline"]


def _stop_a_run(
    tmp_path: Path, signals: list[signal.Signals], gap: float, *options: str
) -> tuple[int, str, Path]:
    """Start ``billing-conformance run`` against a slow reference, wait for its first scenario,
    send ``signals`` ``gap`` seconds apart; the exit status, what it printed, its results folder."""
    folder = tmp_path / "results"
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "run",
            "--target",
            "inprocess:tests.slow_billing:SlowBilling",
            "--results",
            str(folder),
            *options,
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=interruptible,  # noqa: PLW1509 - it only resets one signal in the child
    )
    assert run.stdout is not None
    seen: list[str] = []
    try:
        for line in run.stdout:  # the run is under way once a scenario has finished
            seen.append(line)
            if line.startswith("passed "):
                break
        for number in signals:
            run.send_signal(number)
            time.sleep(gap)
        seen.append(run.stdout.read())
        run.wait(timeout=60)
    finally:
        run.kill()
    return run.returncode, "".join(seen), folder


def _assert_marked_incomplete(folder: Path, printed: str, status: int, signal_name: str) -> None:
    assert status == EXIT_INTERRUPTED, printed[-3000:]
    assert "Traceback" not in printed
    results = _read(folder)
    summary = results["summary"]
    assert isinstance(summary, dict)
    assert (results["complete"], summary["verdict"], summary["scope"]["state"]) == (
        False,
        "incomplete",
        "interrupted",
    )
    catalog = summary["scope"]["catalog"]["scenarios"]
    assert 0 < summary["scope"]["ran"]["scenarios"] < catalog
    assert f"(interrupted by {signal_name}" in summary["headline"]
    assert f"verdict: {summary['headline']}" in printed
    assert "verdict: conforms" not in printed
    junit = JUnitXml.fromfile(str(folder / "junit.xml"))
    assert junit.errors >= 1
    (verdict_suite,) = [suite for suite in junit if suite.name == "conformance"]
    shown = {p.get("name"): p.get("value") for p in verdict_suite._elem.iter("property")}
    assert shown["verdict"] == "incomplete"
    (case,) = list(verdict_suite)
    assert case.result[0].type == "Interrupted"
    cucumber = json.loads((folder / "cucumber.json").read_text(encoding="utf-8"))
    jsonschema.validate(cucumber, _CUCUMBER, cls=jsonschema.Draft7Validator)
    assert cucumber[-1]["name"] == "The run did not finish"
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert 'class="banner incomplete"' in page
    assert "Incomplete run" in (folder / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("signals", "workers"),
    [
        ([signal.SIGINT], "0"),
        ([signal.SIGINT], "2"),
        ([signal.SIGTERM], "0"),
        ([signal.SIGTERM], "2"),
    ],
    ids=["Ctrl-C serially", "Ctrl-C in parallel", "SIGTERM serially", "SIGTERM in parallel"],
)
def test_an_interrupted_run_is_incomplete_everywhere(
    tmp_path: Path, signals: list[signal.Signals], workers: str
) -> None:
    status, printed, folder = _stop_a_run(tmp_path, signals, 0.0, "--workers", workers)
    _assert_marked_incomplete(folder, printed, status, signals[0].name)


@pytest.mark.parametrize("gap", [0.01, 0.03, 0.05], ids=lambda g: f"{g * 1000:.0f} ms apart")
def test_two_ctrl_c_in_quick_succession_still_leave_an_incomplete_run(tmp_path: Path, gap: float) -> None:
    """The second signal lands while pytest reports the first: it is noted, not raised, so the
    exit status is not lost and the results are written as interrupted, with no traceback."""
    status, printed, folder = _stop_a_run(tmp_path, [signal.SIGINT, signal.SIGINT], gap)
    _assert_marked_incomplete(folder, printed, status, "SIGINT")
    assert "still stopping" in printed
