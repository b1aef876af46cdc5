"""An interrupt whose traceback has an entry without a line still ends as an interrupt.

CPython 3.11 can leave ``tb_lineno`` None on the frame a signal handler interrupted; pytest's
terminal reporter then fails drawing the KeyboardInterrupt, and Ctrl-C became an internal error
(exit 1, not 130) in one of the interrupted-run tests. The kit's stopping plugin drops such
entries before the reporter draws them.
"""

from __future__ import annotations

from types import SimpleNamespace, TracebackType
from typing import cast

import pytest
from _pytest._code.code import Traceback, TracebackEntry

from billing_conformance.stopping import Stopping, has_a_line


def _lineless(like: TracebackEntry) -> TracebackEntry:
    """An entry of the same frame whose raw traceback has ``tb_lineno`` None."""
    raw = SimpleNamespace(tb_frame=like.frame.raw, tb_lineno=None, tb_next=None, tb_lasti=-1)
    return TracebackEntry(cast("TracebackType", raw))


def _interrupt() -> pytest.ExceptionInfo[BaseException]:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt:
        return pytest.ExceptionInfo.from_current()


def test_an_entry_without_a_line_is_told_apart() -> None:
    real = _interrupt().traceback[0]
    assert has_a_line(real)
    assert not has_a_line(_lineless(real))


def test_the_interrupt_is_drawn_without_the_entries_that_have_no_line() -> None:
    excinfo = _interrupt()
    real = list(excinfo.traceback)
    excinfo.traceback = Traceback([*real, _lineless(real[0])])
    with pytest.raises(TypeError):
        excinfo.getrepr(funcargs=True)  # what the terminal reporter does, and where it failed
    Stopping().pytest_keyboard_interrupt(excinfo)
    assert list(excinfo.traceback) == real
    assert "KeyboardInterrupt" in str(excinfo.getrepr(funcargs=True))
