"""The command line's exit statuses: each means one thing, whatever ran (``billing-conformance run``
or plain ``pytest`` over the kit's features, whose plugin sets the same statuses). pytest's own
statuses are mapped onto these, never passed through with another meaning: its "interrupted"
(2) becomes :data:`EXIT_INTERRUPTED`, its "internal error" (3) :data:`EXIT_KIT_FAILED`, its
"usage error" (4) :data:`EXIT_USAGE`; its "no tests collected" (5) is :data:`EXIT_NOTHING_SELECTED`.

The README and ``billing-conformance --help`` show :data:`TABLE`.
"""

from __future__ import annotations

from billing_conformance.verdicts import (
    CONFORMS,
    DOES_NOT_CONFORM,
    INCOMPLETE,
    INCONCLUSIVE,
    NOTHING_CHECKED,
    PARTIAL,
)

__all__ = [
    "EXIT_CONFORMS",
    "EXIT_DOES_NOT_CONFORM",
    "EXIT_INCONCLUSIVE",
    "EXIT_INTERRUPTED",
    "EXIT_KIT_FAILED",
    "EXIT_NOTHING_CHECKED",
    "EXIT_NOTHING_SELECTED",
    "EXIT_OUTPUT_CLOSED",
    "EXIT_REFUSED",
    "EXIT_SMOKE",
    "EXIT_USAGE",
    "EXIT_WARNINGS",
    "TABLE",
    "from_pytest",
    "of_verdict",
    "table",
]

#: What was checked holds: the whole catalog (``conforms``) or a part of it (``partial``).
EXIT_CONFORMS = 0
#: A MUST rule is broken, or a response broke Zuora's published shape (the wire contract).
EXIT_DOES_NOT_CONFORM = 1
#: A usage mistake (an option, rule, scenario, target, profile or results folder that cannot be
#: used, or pytest refusing the arguments after ``--``), or a target refused for safety: said in
#: one line, nothing run and nothing written.
EXIT_USAGE = 2
EXIT_REFUSED = EXIT_USAGE
#: The smoke check failed: a connection, credential or adapter problem, not a conformance result.
EXIT_SMOKE = 3
#: No MUST rule is broken, but one errored: it could not be judged (arranging, the connection,
#: the protocol, the target failing), so conformance is not shown either way.
EXIT_INCONCLUSIVE = 4
#: Nothing was selected (no scenario matched).
EXIT_NOTHING_SELECTED = 5
#: Nothing was checked: every selected rule was not applicable or not run.
EXIT_NOTHING_CHECKED = 6
#: The kit itself failed (a bug of the kit or of pytest: please report it).
EXIT_KIT_FAILED = 7
#: ``run --strict`` only: what was checked holds (the run would exit 0), but a SHOULD scenario
#: failed: its warnings fail the run. The verdict itself is unchanged.
EXIT_WARNINGS = 8
#: The run was interrupted (Ctrl-C, SIGINT or SIGTERM): its results are marked incomplete.
EXIT_INTERRUPTED = 130
#: Whatever read the output went away before it ended (``billing-conformance rules | head -2``):
#: nothing more was printed, as a shell reports a command ended by SIGPIPE (128 + 13).
EXIT_OUTPUT_CLOSED = 141

_BY_VERDICT = {
    CONFORMS: EXIT_CONFORMS,
    PARTIAL: EXIT_CONFORMS,
    DOES_NOT_CONFORM: EXIT_DOES_NOT_CONFORM,
    INCONCLUSIVE: EXIT_INCONCLUSIVE,
    NOTHING_CHECKED: EXIT_NOTHING_CHECKED,
    INCOMPLETE: EXIT_INTERRUPTED,
}
#: pytest's statuses that mean something else in this table (pytest's 0, 1 and 5 mean the same).
_FROM_PYTEST = {2: EXIT_INTERRUPTED, 3: EXIT_KIT_FAILED, 4: EXIT_USAGE}

#: Each status and what it means, as ``--help`` and the README show them.
_MEANINGS: dict[int, str] = {
    EXIT_CONFORMS: "what was checked holds: the whole catalog (verdict conforms) or the part selected\n"
    "(verdict partial); SHOULD warnings allowed (unless --strict)",
    EXIT_DOES_NOT_CONFORM: "does not conform: a MUST rule is broken, or a response broke Zuora's published\n"
    "shape (the wire contract)",
    EXIT_USAGE: "usage error, or a target refused for safety: nothing was run",
    EXIT_SMOKE: "the smoke check failed (connection, credentials or adapter): nothing was run",
    EXIT_INCONCLUSIVE: "inconclusive: no MUST rule is broken, but one errored (could not be judged)",
    EXIT_NOTHING_SELECTED: "nothing was selected",
    EXIT_NOTHING_CHECKED: "nothing checked: every selected rule was not applicable or not run",
    EXIT_KIT_FAILED: "the kit itself failed (a bug: please report it)",
    EXIT_WARNINGS: "run --strict only: what was checked holds, but a SHOULD scenario failed (a warning)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C, SIGINT or SIGTERM): the results are marked incomplete",
    EXIT_OUTPUT_CLOSED: "the output was closed early (| head): nothing more was printed",
}


def table(statuses: tuple[int, ...] | None = None, meanings: dict[int, str] | None = None) -> str:
    """The exit statuses ``statuses`` (default: all) and their meanings, for ``--help``; a
    command may word a status its own way (``meanings``)."""
    worded = {**_MEANINGS, **(meanings or {})}
    lines = ["exit status:"]
    for status in statuses or tuple(_MEANINGS):
        first, *rest = worded[status].split("\n")
        lines.append(f"  {status:<4} {first}")
        lines += [f"       {line}" for line in rest]
    return "\n".join(lines)


TABLE = table()


def of_verdict(verdict: str) -> int:
    """The exit status of a run with ``verdict``."""
    return _BY_VERDICT[verdict]


def from_pytest(status: int) -> int:
    """A status pytest returned without the kit's plugin deciding it, in this table's terms."""
    return _FROM_PYTEST.get(status, status)
