"""How ``billing-conformance run`` learns the status its pytest session ended with, and
``run --strict``: SHOULD warnings fail the run too.

The kit's plugin sets the session's status from the verdict (:mod:`billing_conformance.exits`);
under ``--strict`` a run that would exit 0 with a failed SHOULD scenario exits
:data:`~billing_conformance.exits.EXIT_WARNINGS` instead, and says so after the verdict. The
verdict is unchanged: warnings are not breaches, the gate is only the exit status (and the
line that says why).
"""

from __future__ import annotations

from typing import Any

import pytest

from billing_conformance.exits import EXIT_CONFORMS, EXIT_WARNINGS

__all__ = ["Ended", "strict_line"]

#: The kit plugin's object that holds the run's results once the session ended.
_SUMMARY_PLUGIN = "conformance-summary"


def strict_line(warnings: int, status: int) -> str:
    """What ``--strict`` says after the verdict of a run with ``warnings`` that ends with ``status``."""
    counted = f"{warnings} SHOULD {'warning' if warnings == 1 else 'warnings'}"
    if status == EXIT_WARNINGS:
        return f"strict: {counted} {'fails' if warnings == 1 else 'fail'} the run (--strict; exit {status})"
    return f"strict: {counted}; the run fails on its verdict already (exit {status})"


class Ended:
    """A plugin of ``run``: notes the exit status the session ended with, once the kit's plugin
    has set it from the verdict, and applies ``--strict`` (``strict``) to it."""

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self.status: int | None = None
        self.warnings = 0

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        results: dict[str, Any] | None = getattr(
            session.config.pluginmanager.get_plugin(_SUMMARY_PLUGIN), "results", None
        )
        if self.strict and results is not None:
            self.warnings = int(results["summary"]["warnings"])
            if self.warnings and int(session.exitstatus) == EXIT_CONFORMS:
                session.exitstatus = EXIT_WARNINGS
        self.status = int(session.exitstatus)

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if self.warnings and self.status is not None:
            terminalreporter.write_line(strict_line(self.warnings, self.status))
