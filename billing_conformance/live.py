"""How far a run has got, while it goes on: ``37/109 scenarios, 1 failed, 0 errored, ~40 s left``.

A pytest plugin (``-p billing_conformance.live``, loaded by ``billing-conformance run``) for the
process that sees every report, the controller under pytest-xdist. With ``--progress names``:

* when standard output is a terminal, one status line under the scenarios' lines, rewritten in
  place (``\\r`` and clear-to-end) as each scenario finishes, cleared before any other line is
  written and redrawn after it; the run's last count stays on screen;
* otherwise (a pipe, a file, a CI log), a plain line every :func:`every` scenarios and one for
  the last, the same words without any control character.

The counts use the summary's outcome words (``failed``, ``errored``); the estimate is the mean
duration of the scenarios finished so far (setup, steps and teardown) times the scenarios left,
divided by the workers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Mapping, Sequence
from typing import Any, Protocol

import pytest

from billing_conformance.verdicts import ERRORED, FAILED

__all__ = ["CLEAR", "Count", "estimate", "every", "for_seconds", "status_line"]

#: Back to the start of the line, and clear it to its end.
CLEAR = "\r\x1b[K"
#: A plain line at least every so many scenarios, and at least every tenth of the run.
EVERY_SCENARIOS, EVERY_SHARE = 25, 10


def every(total: int) -> int:
    """How many scenarios between two plain lines: 25, or a tenth of the run when more."""
    return max(EVERY_SCENARIOS, math.ceil(total / EVERY_SHARE))


def estimate(durations: Sequence[float], left: int, workers: int) -> float | None:
    """Seconds left: the mean of ``durations`` times the scenarios ``left``, over the ``workers``
    (None before any scenario finished)."""
    if not durations:
        return None
    return sum(durations) / len(durations) * left / max(1, workers)


def for_seconds(seconds: float) -> str:
    """``40 s``, ``3 min 5 s``, ``1 h 2 min``: a duration as a reader says it."""
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


def status_line(done: int, total: int, outcomes: Mapping[str, int], seconds_left: float | None) -> str:
    """``37/109 scenarios, 1 failed, 0 errored, ~40 s left`` (no estimate once all finished)."""
    parts = [
        f"{done}/{total} scenarios",
        f"{outcomes.get(FAILED, 0)} failed",
        f"{outcomes.get(ERRORED, 0)} errored",
    ]
    if seconds_left is not None and done < total:
        parts.append(f"~{for_seconds(seconds_left)} left")
    return ", ".join(parts)


class _Records(Protocol):
    """What the run's summary offers: each scenario's record (its worst outcome), by test id."""

    @property
    def records(self) -> Mapping[str, Mapping[str, Any]]: ...


class _Writer(Protocol):
    """The part of pytest's terminal reporter the count writes with."""

    def write(self, content: str, *, flush: bool = False, **markup: bool) -> None: ...

    def write_line(self, line: str, **markup: bool) -> None: ...


class Count:
    """The status line (``in_place``) or the plain lines of a run's progress."""

    def __init__(self, writer: _Writer, summary: Callable[[], _Records | None], *, in_place: bool) -> None:
        self.writer = writer
        self.summary = summary
        self.in_place = in_place
        self.total = 0
        self.workers = 1
        self._nodes = 0
        self._spent: dict[str, float] = {}
        self.durations: list[float] = []
        self._shown = False
        self._last_plain = 0

    # -- what the run tells ---------------------------------------------------------------------

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if session.items:  # serial: the controller collects; under xdist its list is empty
            self.total = len(session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, ids: list[str]) -> None:
        self._nodes += 1  # every worker collects the same items and reports it once
        self.workers = self._nodes
        self.total = len(ids)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logstart(self) -> Generator[None, None, None]:
        self.clear()  # pytest's own start of a line (the test file's path with ``-v``) goes first
        return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Generator[None, None, None]:
        self.clear()  # what the other plugins write starts on a line of its own
        try:
            return (yield)
        finally:
            self._spent[report.nodeid] = self._spent.get(report.nodeid, 0.0) + float(report.duration or 0.0)
            if report.when == "teardown":
                self.durations.append(self._spent.pop(report.nodeid))
                self.finished()
            elif self.in_place:
                self.draw()

    def pytest_sessionfinish(self) -> None:
        """The last count stays: on its own line in a terminal, as a last plain line elsewhere."""
        if self.in_place:
            self.clear()
            self.writer.write(self.line() + "\n", flush=True)
        elif self.done and self._last_plain != self.done:
            self.writer.write_line(self.line())

    # -- what it shows --------------------------------------------------------------------------

    @property
    def done(self) -> int:
        return len(self.durations)

    def line(self) -> str:
        summary = self.summary()
        outcomes: dict[str, int] = {}
        for record in (summary.records if summary is not None else {}).values():
            outcome = str(record.get("outcome"))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        total = max(self.total, self.done)
        return status_line(
            self.done, total, outcomes, estimate(self.durations, total - self.done, self.workers)
        )

    def finished(self) -> None:
        if self.in_place:
            self.draw()
        elif self.done % every(self.total) == 0 or self.done == self.total:
            self.writer.write_line(self.line())
            self._last_plain = self.done

    def draw(self) -> None:
        if self.done or self.total:
            self.writer.write(CLEAR + self.line(), flush=True)
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.writer.write(CLEAR, flush=True)
            self._shown = False


@pytest.hookimpl(trylast=True)  # after the kit's plugin registered the run's summary
def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or config.getoption("--progress", default="dots") != "names":
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return

    def summary() -> _Records | None:
        found: _Records | None = config.pluginmanager.get_plugin("conformance-summary")
        return found

    config.pluginmanager.register(
        Count(reporter, summary, in_place=bool(reporter.isatty())), "conformance-count"
    )
