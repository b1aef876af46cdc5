"""The results folder shows finished scenarios while the run goes on, not only at its end."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from billing_conformance.progress import EVERY_SECONDS, Progress


class _Summary:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _finished(summary: _Summary, record: dict[str, Any], progress: Progress) -> None:
    summary.records[record["id"]] = record
    progress.pytest_runtest_logreport(pytest.TestReport("x", ("f", 1, "x"), {}, "passed", None, "teardown"))


def _written(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    return data


def test_finished_scenarios_reach_the_folder_at_most_every_few_seconds(tmp_path: Path) -> None:
    finished = _record_of_a_real_scenario(tmp_path)
    summary, clock = _Summary(), _Clock()
    folder = tmp_path / "progress"
    progress = Progress(folder, target="inprocess", started=datetime.now(UTC), summary=summary, clock=clock)
    assert _written(folder)["complete"] is False
    assert _written(folder)["summary"]["scenarios"]["passed"] == 0

    clock.now = EVERY_SECONDS / 2
    _finished(summary, finished, progress)
    assert _written(folder)["summary"]["scenarios"]["passed"] == 0  # not yet: written at most so often

    clock.now = EVERY_SECONDS
    again = {**finished, "id": finished["id"] + " (again)", "nodeId": finished["nodeId"] + "2"}
    _finished(summary, again, progress)
    written = _written(folder)
    assert written["complete"] is False
    assert written["summary"]["scenarios"]["passed"] == 2


def _record_of_a_real_scenario(_: Path) -> dict[str, Any]:
    """One scenario's record, in the shape the recorder makes it."""
    return {
        "id": "bill_runs/deleting.feature::A canceled bill run can be deleted",
        "nodeId": "features/test_deleting.py::test_a_canceled_bill_run_can_be_deleted",
        "rule": "BR-DELETE",
        "feature": "bill_runs/deleting.feature",
        "scenario": "A canceled bill run can be deleted",
        "example": {},
        "outcome": "passed",
        "severity": "MUST",
        "steps": [{"keyword": "Given", "text": "a canceled bill run", "line": 1, "status": "passed"}],
        "failedStep": None,
        "message": None,
        "tenant": None,
        "requests": 0,
        "exchanges": [],
        "contractViolation": None,
        "rerun": "billing-conformance run --rule BR-DELETE",
    }
