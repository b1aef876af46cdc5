"""The results folder kept up to date while a run goes on.

It is written when the run starts, and again at most every :data:`EVERY_SECONDS` as scenarios
finish, each time in the state ``running`` (``complete: false``, verdict ``incomplete``), so a
run killed outright (SIGKILL, a machine that goes away) still leaves a valid folder with what
had finished by then, and never one with a passing verdict. The run's last write
(:func:`billing_conformance.pytest_plugin.pytest_sessionfinish`) says how it ended.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pytest

from billing_conformance.results import write_results
from billing_conformance.verdicts import RUNNING, Scope

__all__ = ["EVERY_SECONDS", "Progress"]

#: The longest a finished scenario waits before the folder shows it.
EVERY_SECONDS = 5.0


class _Records(Protocol):
    """What the run's summary offers: each scenario's record, by test id."""

    @property
    def records(self) -> Mapping[str, dict[str, Any]]: ...


class Progress:
    """A pytest plugin for the process that sees every report (the controller under xdist)."""

    def __init__(
        self,
        folder: Path,
        *,
        target: str,
        started: datetime,
        summary: _Records,
        scope: Callable[[], Scope] = lambda: Scope(state=RUNNING),
        clock: Callable[[], float] = time.monotonic,
        profile: str | Path | None = None,
        label: str | None = None,
    ) -> None:
        self.folder = folder
        self.target = target
        self.profile, self.label = profile, label
        self.started = started
        self.summary = summary
        self.scope = scope
        self.clock = clock
        self.written_at = clock()
        self.write()

    def write(self) -> None:
        records = list(self.summary.records.values())
        write_results(
            self.folder,
            records,
            target=self.target,
            started=self.started,
            scope=self.scope(),
            profile=self.profile,
            label=self.label,
        )
        self.written_at = self.clock()

    @pytest.hookimpl(trylast=True)  # after the summary has taken the report in
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "teardown" and self.clock() - self.written_at >= EVERY_SECONDS:
            self.write()
