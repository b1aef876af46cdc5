"""A run that is stopped still leaves a valid results folder, marked incomplete."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from schemas.contract import violations

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
    assert summary["verdict"] != "conforms" or summary["must"]["notRun"] > 0


def test_a_finished_run_is_complete(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    done = subprocess.run(
        [*_PYTEST, f"--results={folder}", "-k", "canceled_bill_run"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0
    assert _read(folder)["complete"] is True
