"""A run says how far it has got: a status line rewritten in place in a terminal, plain lines
every so many scenarios elsewhere, serially and with workers (billing_conformance/live.py)."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from billing_conformance import PROJECT_ROOT
from billing_conformance.live import CLEAR, Count, estimate, every, for_seconds, status_line
from tests.suite_runner import run_cli

_KNOWN_BAD = ("--target", "inprocess:tests.known_bad:CancelsPausedRuns")
#: BR-CANCEL-PAUSED (1 of its 2 scenarios broken by the known-bad variant) and BR-DELETE (6).
_TWO_RULES = ("--rule", "BR-CANCEL-PAUSED", "--rule", "BR-DELETE")
_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_COUNT = re.compile(r"^(\d+)/(\d+) scenarios, (\d+) failed, (\d+) errored(, ~.+ left)?$", re.M)


def test_the_line_counts_scenarios_by_the_summarys_words_and_estimates_what_is_left() -> None:
    assert (
        status_line(37, 109, {"failed": 1, "passed": 36}, 40)
        == "37/109 scenarios, 1 failed, 0 errored, ~40 s left"
    )
    assert status_line(109, 109, {"errored": 2}, 0.0) == "109/109 scenarios, 0 failed, 2 errored"
    assert status_line(0, 109, {}, None) == "0/109 scenarios, 0 failed, 0 errored"
    assert estimate([1.0, 3.0], left=10, workers=1) == 20.0
    assert estimate([1.0, 3.0], left=10, workers=4) == 5.0
    assert estimate([], left=10, workers=2) is None
    assert [for_seconds(s) for s in (0.2, 40, 185, 3720)] == ["1 s", "40 s", "3 min 5 s", "1 h 2 min"]
    assert (every(6), every(109), every(250), every(1000)) == (25, 25, 25, 100)


class _Writer:
    def __init__(self) -> None:
        self.out = ""

    def write(self, content: str, *, flush: bool = False, **markup: bool) -> None:
        self.out += content

    def write_line(self, line: str, **markup: bool) -> None:
        self.out += line + "\n"


class _Report:
    def __init__(self, nodeid: str, when: str) -> None:
        self.nodeid, self.when, self.duration = nodeid, when, 0.5


class _Summary:
    def __init__(self) -> None:
        self.records: dict[str, dict[str, str]] = {}


def _finish(count: Count, summary: _Summary, nodeid: str, outcome: str, writer: _Writer) -> None:
    for when in ("setup", "call", "teardown"):
        hook = count.pytest_runtest_logreport(_Report(nodeid, when))  # type: ignore[arg-type]
        next(hook)  # the other plugins report here
        if when == "call":
            summary.records[nodeid] = {"outcome": outcome}
            writer.write_line(f"line of {nodeid}")
        with contextlib.suppress(StopIteration):
            next(hook)


def test_plain_lines_come_every_25_scenarios_and_at_the_end_without_control_characters() -> None:
    writer, summary = _Writer(), _Summary()
    count = Count(writer, lambda: summary, in_place=False)
    count.total = 60
    for index in range(60):
        _finish(count, summary, f"s{index}", "failed" if index == 3 else "passed", writer)
    count.pytest_sessionfinish()
    lines = [line for line in writer.out.splitlines() if not line.startswith("line of")]
    assert lines == [
        "25/60 scenarios, 1 failed, 0 errored, ~53 s left",
        "50/60 scenarios, 1 failed, 0 errored, ~15 s left",
        "60/60 scenarios, 1 failed, 0 errored",
    ]
    assert "\r" not in writer.out
    assert "\x1b" not in writer.out


def test_in_a_terminal_the_line_is_cleared_before_other_output_and_redrawn_after_it() -> None:
    writer, summary = _Writer(), _Summary()
    count = Count(writer, lambda: summary, in_place=True)
    count.total = 2
    _finish(count, summary, "s0", "passed", writer)
    _finish(count, summary, "s1", "errored", writer)
    count.pytest_sessionfinish()
    assert f"{CLEAR}1/2 scenarios, 0 failed, 0 errored, ~2 s left{CLEAR}" in writer.out
    assert f"{CLEAR}line of s1\n" in writer.out  # the status line was cleared before it
    assert writer.out.endswith(f"{CLEAR}2/2 scenarios, 0 failed, 1 errored\n")


def _in_a_terminal(folder: Path, *args: str) -> str:
    """What ``billing-conformance ARGS`` writes to a pseudo-terminal."""
    main, side = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "billing_conformance.cli", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TERM": "xterm", "COLUMNS": "120"},
        stdin=subprocess.DEVNULL,
        stdout=side,
        stderr=side,
    )
    os.close(side)
    out, deadline = b"", time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            if not select.select([main], [], [], 1.0)[0]:
                continue
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other side closed: the run ended
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(main)
        process.wait(timeout=60)
    return out.decode("utf-8", "replace")


def _seen(out: str) -> list[str]:
    """The lines as a terminal leaves them: each is what follows its last carriage return."""
    return [_ESCAPE.sub("", line.rsplit("\r", 1)[-1]) for line in out.split("\r\n")]


def test_a_terminal_shows_one_line_rewritten_in_place_and_keeps_the_final_count(tmp_path: Path) -> None:
    out = _in_a_terminal(tmp_path, "run", *_KNOWN_BAD, *_TWO_RULES, "--results", str(tmp_path / "r"))
    drawn = re.findall(r"\r\x1b\[K(\d+)/8 scenarios", out)
    assert len(set(drawn)) >= 8, out[-3000:]  # the line was rewritten as scenarios finished
    seen = _seen(out)
    assert "8/8 scenarios, 1 failed, 0 errored" in seen
    shown = [line for line in seen if "BR-DELETE " in line and "A canceled bill run" in line]
    assert shown
    assert all("scenarios," not in line for line in shown)


def test_a_pipe_gets_plain_lines_and_no_control_characters(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "run", "--results", str(tmp_path / "r"))
    assert done.returncode == 0, done.stdout[-2000:]
    assert "\r" not in done.stdout
    assert "\x1b" not in done.stdout
    counts = [(int(m[0]), int(m[1])) for m in _COUNT.findall(done.stdout)]
    total = counts[-1][1]
    assert total > 100
    step = every(total)
    assert counts == [(n, total) for n in range(step, total, step)] + [(total, total)]
    assert f"{total}/{total} scenarios, 0 failed, 0 errored\n" in done.stdout
    assert f"{total} of {total} scenarios run: {total} passed" in done.stdout


def test_with_two_workers_the_counts_reach_the_total(tmp_path: Path) -> None:
    done = run_cli(
        tmp_path, "run", *_KNOWN_BAD, *_TWO_RULES, "--workers", "2", "--results", str(tmp_path / "r")
    )
    assert "scenarios run in 2 parallel workers" in done.stdout, done.stdout[-2000:]
    assert "8/8 scenarios, 1 failed, 0 errored\n" in done.stdout
    assert re.search(r"^8 of \d+ scenarios run: 7 passed, 1 failed", done.stdout, re.M)
    assert "\r" not in done.stdout
    assert "\x1b" not in done.stdout
