"""The guard of tests/ast_guard.py holds off CPython's AST race (gh-106905) in the kit's tests.

One thread builds a tree; the garbage collector runs, in the middle of it, a finalizer that
lets another thread in, and that thread parses too, as a server thread logging a traceback and
pytest parsing a module may in the kit's test session. Each run is a separate interpreter, so
that a broken counter cannot reach this one.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from billing_conformance import PROJECT_ROOT
from tests.ast_guard import AFFECTED, is_guarded

_RACE = """
from __future__ import annotations
import ast, gc, sys, threading
from tests.ast_guard import guard_ast_parse
if sys.argv[1] == "guarded":
    guard_ast_parse(always=True)

inside = threading.Event()  # the first parse is building its tree, held in a finalizer
second_done = threading.Event()

class Holds:
    def __del__(self) -> None:
        inside.set()
        second_done.wait(timeout=1.0)  # lets another thread run, as a blocking finalizer may

source = "\\n".join(f"x{i} = [{', '.join(map(str, range(10)))}]" for i in range(100))
errors: list[str] = []

def first() -> None:
    gc.collect()
    cycle = Holds()
    cycle.me = cycle
    del cycle  # garbage only the collector frees
    gc.set_threshold(20)  # it runs while the tree is built (AST nodes are tracked, tokens not)
    try:
        ast.parse(source)
    except SystemError as error:
        errors.append(str(error))
    finally:
        gc.set_threshold(700, 10, 10)

def second() -> None:
    inside.wait(timeout=30.0)
    try:
        ast.parse("y = [1, [2, [3]]]")
    except SystemError as error:
        errors.append(str(error))
    second_done.set()

threads = [threading.Thread(target=first), threading.Thread(target=second)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("held" if inside.is_set() else "not held", errors[0] if errors else "no error")
"""


def _race(mode: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", _RACE, mode],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return finished.stdout.strip()


def test_this_session_is_guarded_where_the_interpreter_has_the_race() -> None:
    assert is_guarded() == AFFECTED


def test_guarded_threads_parse_without_breaking_each_other() -> None:
    assert _race("guarded") == "held no error"


@pytest.mark.skipif(not AFFECTED, reason="this interpreter keeps a counter per parse (gh-106905 fixed)")
def test_unguarded_threads_on_this_interpreter_do_break_each_other() -> None:
    """What the guard is for: without it, the same race fails on this interpreter."""
    found = _race("unguarded")
    assert found.startswith("held "), found
    assert "AST constructor recursion depth mismatch" in found
