"""A guard against a CPython 3.11 race: two threads building ASTs at once break each other.

On CPython 3.11.0 to 3.11.7 (and 3.12.0, 3.12.1), the counter that ``ast.parse`` uses to limit
the depth of the tree it builds is shared by every thread of the interpreter. When the garbage
collector runs in the middle of a parse and a finalizer lets another thread run, a parse in that
thread moves the same counter, and the first parse ends with ``SystemError: AST constructor
recursion depth mismatch``. CPython issue gh-106905 ("Error in AST recursion depth tracking
change of gh-95185"), fixed by PR gh-113035 and its backports (gh-113472 for 3.12, gh-113476
for 3.11): in 3.11.8 and 3.12.2 each parse keeps its own counter.

The kit's tests meet it because they run reference servers in threads of the test process: in
3.11, formatting a traceback parses source lines (to place its ``^^^`` marks), so a server thread
that logs an exception parses while the main thread parses too (pytest rewriting the assertions
of a module it imports, or showing where a test failed). The guard makes ``ast.parse`` take a
lock on the interpreters that have the race, so only one tree is built at a time; it changes
nothing else (same arguments, same result).
"""

from __future__ import annotations

import ast
import functools
import sys
import threading
from typing import Any

__all__ = ["AFFECTED", "guard_ast_parse", "is_guarded"]

#: Whether this interpreter shares the counter between threads (gh-106905 not yet fixed).
AFFECTED = (3, 11) <= sys.version_info[:3] < (3, 11, 8) or (3, 12) <= sys.version_info[:3] < (3, 12, 2)

_LOCK = threading.RLock()
_GUARDED = "__bc_guarded__"


def is_guarded() -> bool:
    return bool(getattr(ast.parse, _GUARDED, False))


def guard_ast_parse(*, always: bool = False) -> None:
    """Make ``ast.parse`` one thread at a time (on an affected interpreter, or ``always``)."""
    if is_guarded() or not (AFFECTED or always):
        return
    unguarded = ast.parse

    @functools.wraps(unguarded)
    def parse(*args: Any, **kwargs: Any) -> ast.AST:
        with _LOCK:
            tree: ast.AST = unguarded(*args, **kwargs)
        return tree

    setattr(parse, _GUARDED, True)
    ast.parse = parse  # type: ignore[assignment] # the same function, under a lock
