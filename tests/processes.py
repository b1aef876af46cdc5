"""Starting the processes a test interrupts."""

from __future__ import annotations

import signal

__all__ = ["interruptible"]


def interruptible() -> None:
    """A ``preexec_fn``: the child takes SIGINT as it would at a terminal, even where the tests
    themselves run with it ignored. A background job of a shell script (a CI runner's, or
    ``make test &``) starts with SIGINT ignored, its children inherit that, and Python then
    leaves it ignored: a test's Ctrl-C would never reach the run it means to stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
