"""How a run ended, told truly: a run stopped by a signal never leaves a passing verdict behind.

The process that writes the results (the only one under pytest-xdist) takes SIGINT (Ctrl-C)
and SIGTERM (a CI job's timeout) itself. The first signal stops the run as Ctrl-C does in
pytest (a ``KeyboardInterrupt``), and is remembered, so the results say *interrupted* however
pytest winds down. A second signal while it winds down is only noted: pytest's reporting of the
interruption is not cut short, the exit status is not lost, and the results are still written,
marked incomplete. A third ends the process at once with :data:`EXIT_INTERRUPTED`; the folder
then holds what was last written while the run went on, which is always marked incomplete.

pytest-xdist stops a parallel run that reached ``-x`` or ``--maxfail`` with a
``KeyboardInterrupt`` of its own; :meth:`Stopping.pytest_keyboard_interrupt` tells that apart
from a signal, so such a run is *stopped early*, not interrupted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

import pytest

from billing_conformance.exits import EXIT_INTERRUPTED
from billing_conformance.verdicts import FINISHED, INTERRUPTED, STOPPED_EARLY

__all__ = ["Stopping", "has_a_line"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_SAID = {"SIGINT": "SIGINT (Ctrl-C)"}
#: How pytest-xdist words a parallel run it stopped at ``-x`` or ``--maxfail``.
_XDIST_STOPPED = "stopping after"


class Stopping:
    """A pytest plugin of the results-writing process: the signals it received and what stopped
    the run early, if anything."""

    def __init__(self) -> None:
        self.signals: list[str] = []
        self.early: str | None = None
        self._before: dict[int, object] = {}

    def install(self, config: pytest.Config) -> None:
        """Take SIGINT and SIGTERM, unless something else than Python's defaults (or another run's
        Stopping) already handles them; give them back when the run ends."""
        for number in _SIGNALS:
            current = signal.getsignal(number)
            ours = isinstance(getattr(current, "__self__", None), Stopping)
            if current not in (signal.default_int_handler, signal.SIG_DFL) and not ours:
                continue
            with contextlib.suppress(ValueError):  # only the main thread may set a handler
                signal.signal(number, self._received)
                self._before[number] = current
        config.add_cleanup(self._give_back)

    def _give_back(self) -> None:
        for number, handler in self._before.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(number, handler)  # type: ignore[arg-type]
        self._before.clear()

    def _received(self, number: int, _frame: FrameType | None) -> None:
        self.signals.append(signal.Signals(number).name)
        if len(self.signals) == 1:
            raise KeyboardInterrupt
        if len(self.signals) == 2:
            sys.stderr.write(
                "\nstill stopping: the results are being written, marked incomplete "
                "(another signal ends the run at once)\n"
            )
            return
        os._exit(EXIT_INTERRUPTED)

    @pytest.hookimpl(tryfirst=True)  # before the terminal reporter draws the traceback
    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        excinfo.traceback = excinfo.traceback.filter(has_a_line)
        message = str(excinfo.value)
        if not self.signals and message.startswith(_XDIST_STOPPED):
            self.early = message

    def ended_before_the_session(self) -> str:
        """Why a run stopped before its session began, in words."""
        if self.signals:
            return f"interrupted by {_SAID.get(self.signals[0], self.signals[0])} before any scenario"
        return "stopped before any scenario (while the target was being opened)"

    def ended(self, session: pytest.Session) -> tuple[str, str | None]:
        """How the run ended (:data:`FINISHED`, :data:`STOPPED_EARLY` or :data:`INTERRUPTED`), and
        why it did not finish, in words."""
        if self.signals:
            return INTERRUPTED, f"interrupted by {_SAID.get(self.signals[0], self.signals[0])}"
        if session.exitstatus == pytest.ExitCode.INTERNAL_ERROR:
            return INTERRUPTED, "the kit failed (an internal error of pytest or the kit)"
        early = self.early or session.shouldfail or session.shouldstop
        if early:
            return STOPPED_EARLY, f"stopped early by pytest: {early}"
        if session.exitstatus == pytest.ExitCode.INTERRUPTED:
            return INTERRUPTED, "interrupted"
        return FINISHED, None


def has_a_line(entry: object) -> bool:
    """Whether a traceback entry knows its line. On CPython 3.11 an interrupt raised by a signal
    handler can leave an entry without one (``tb_lineno`` None), and pytest's drawing of the
    interrupt then fails with a TypeError, turning Ctrl-C into an internal error (exit 1, not 130)."""
    try:
        return isinstance(getattr(entry, "lineno", None), int)
    except TypeError:
        return False
