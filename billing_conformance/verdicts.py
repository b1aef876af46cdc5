"""Verdicts: from each scenario's outcome and severity to each rule's verdict, the warnings, the
wire contract and the run's verdict with its headline. One place, used by the terminal summary,
the exit status, the results folder and the page alike.

A scenario's outcome is passed, failed, errored or not applicable; its severity (MUST or SHOULD)
is separate. A MUST rule's verdict comes from its MUST scenarios only: ``holds``, ``broken``,
``errored``, ``not applicable`` or ``not run``. A SHOULD rule that fails is a ``warning``, never
``broken``. Every failed SHOULD scenario, in a SHOULD rule or in a MUST rule (checking a SHOULD
decision), is a *warning*, shown apart. A response that breaks Zuora's published shape errors
its scenario (its rule is not blamed) and breaks the *wire contract*, which is MUST.

The run's verdict says what was observed, of how much (:class:`Scope`):

* **incomplete**: the run was interrupted (a signal) or has not finished: whatever ran, it
  certifies nothing;
* **does not conform**: a MUST rule is broken, or the wire contract is;
* **inconclusive**: no MUST rule is broken, but one errored (it could not be judged);
* **nothing checked**: every rule was not applicable or not run: the run proves nothing;
* **partial**: what was checked holds, but part of the catalog was not run (a selection with
  ``--rule``, ``--scenario``, ``-k`` or ``-m``, or a run stopped early by ``-x``);
* **conforms**: every scenario of the catalog ran, and every MUST rule that applied holds.

SHOULD warnings never change it. Every headline carries its denominators (:func:`headline`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from billing_conformance.catalog import MUST, SHOULD

__all__ = [
    "BROKEN",
    "CONFORMS",
    "DOES_NOT_CONFORM",
    "ERRORED",
    "FAILED",
    "FINISHED",
    "HOLDS",
    "INCOMPLETE",
    "INCONCLUSIVE",
    "INTERRUPTED",
    "NOTHING_CHECKED",
    "NOT_APPLICABLE",
    "NOT_RUN",
    "PARTIAL",
    "PASSED",
    "RUNNING",
    "STOPPED_EARLY",
    "WARNING",
    "Scope",
    "headline",
    "rule_counts",
    "rule_verdict",
    "run_verdict",
    "warnings",
    "wire_contract",
]

PASSED, FAILED, ERRORED, NOT_APPLICABLE = "passed", "failed", "errored", "not applicable"
HOLDS, BROKEN, NOT_RUN, WARNING = "holds", "broken", "not run", "warning"
CONFORMS, DOES_NOT_CONFORM, INCONCLUSIVE = "conforms", "does not conform", "inconclusive"
NOTHING_CHECKED = "nothing checked"
PARTIAL, INCOMPLETE = "partial", "incomplete"
#: How a run ended: every selected scenario ran; pytest stopped it early (``-x``, ``--maxfail``);
#: a signal stopped it; or it is still going on (or its process died), as a folder written
#: while it runs says.
FINISHED, STOPPED_EARLY, INTERRUPTED, RUNNING = "finished", "stopped early", "interrupted", "running"

Record = Mapping[str, Any]


def _severity(record: Record) -> str:
    return str(record.get("severity", MUST))


def rule_verdict(severity: str, records: Iterable[Record]) -> str:
    """The verdict of a rule of ``severity`` from the records of its scenarios that ran."""
    ran = list(records)
    outcomes = [str(r["outcome"]) for r in ran if severity == SHOULD or _severity(r) == MUST]
    if not outcomes:
        return NOT_RUN
    if FAILED in outcomes:
        return WARNING if severity == SHOULD else BROKEN
    if ERRORED in outcomes:
        return ERRORED
    if PASSED in outcomes:
        return HOLDS
    return NOT_APPLICABLE


def warnings(records: Iterable[Record]) -> list[dict[str, Any]]:
    """Every failed SHOULD scenario, as a warning: its rule, scenario id, step and message."""
    return [
        {
            "rule": str(r["rule"]),
            "scenario": str(r["id"]),
            "failedStep": r.get("failedStep"),
            "message": r.get("message"),
        }
        for r in sorted(records, key=lambda r: str(r["id"]))
        if _severity(r) == SHOULD and r["outcome"] == FAILED
    ]


def wire_contract(records: Iterable[Record]) -> dict[str, Any]:
    """``holds`` or ``broken``, with each distinct violation (operation, field, message, schema)
    and the scenarios that met it."""
    found: dict[tuple[str, str | None, str, str], list[str]] = {}
    for record in sorted(records, key=lambda r: str(r["id"])):
        violation = record.get("contractViolation")
        if violation:
            key = (
                str(violation["operation"]),
                violation.get("field"),
                str(violation["message"]),
                str(violation.get("schema", "")),
            )
            found.setdefault(key, []).append(str(record["id"]))
    return {
        "verdict": BROKEN if found else HOLDS,
        "violations": [
            {"operation": op, "field": field, "message": message, "schema": schema, "scenarios": ids}
            for (op, field, message, schema), ids in found.items()
        ],
    }


@dataclass(frozen=True)
class Scope:
    """How much of the catalog a run covered, and how it ended.

    ``state``: one of :data:`FINISHED`, :data:`STOPPED_EARLY`, :data:`INTERRUPTED`,
    :data:`RUNNING`; ``reason``: why it did not finish, in words ("interrupted by SIGINT");
    ``selection``: what narrowed the catalog (``--rule BR-DELETE``, ``-m should``), empty for all
    of it; ``catalog``: the scenarios of the catalog (an outline counts each example);
    ``selected``: how many were selected to run (None when not known); ``ran``: how many ran to
    an outcome.
    """

    state: str = FINISHED
    reason: str | None = None
    selection: tuple[str, ...] = ()
    catalog: int = 0
    selected: int | None = None
    ran: int = 0

    @property
    def whole(self) -> bool:
        """Whether every scenario of the catalog ran to an outcome."""
        return self.ran >= self.catalog

    @property
    def stopped(self) -> bool:
        """Whether the run was interrupted or has not finished: it certifies nothing."""
        return self.state in (INTERRUPTED, RUNNING)


def run_verdict(
    rule_verdicts: Mapping[str, tuple[str, str]], contract: Mapping[str, Any], scope: Scope | None = None
) -> str:
    """The run's verdict from each rule's (severity, verdict), the wire contract and how much of
    the catalog ran (no ``scope``: every scenario ran to the end). MUST only, and only once some
    rule was checked; never a passing verdict for a run that did not finish."""
    if scope is not None and scope.stopped:
        return INCOMPLETE
    must = [verdict for severity, verdict in rule_verdicts.values() if severity == MUST]
    if BROKEN in must or contract["verdict"] == BROKEN:
        return DOES_NOT_CONFORM
    if ERRORED in must:
        return INCONCLUSIVE
    if all(verdict in (NOT_APPLICABLE, NOT_RUN) for _, verdict in rule_verdicts.values()):
        return NOTHING_CHECKED
    if scope is not None and not scope.whole:
        return PARTIAL
    return CONFORMS


#: The order in which a headline counts the rules, with the words it uses (one, several).
_COUNTED = (
    (HOLDS, "holds", "hold"),
    (BROKEN, "broken", "broken"),
    (ERRORED, "errored", "errored"),
    (WARNING, "with a warning", "with warnings"),
    (NOT_APPLICABLE, "not applicable", "not applicable"),
    (NOT_RUN, "not run", "not run"),
)


def rule_counts(verdicts: Iterable[str]) -> str:
    """``37 of 43 rules hold, 6 not applicable``: the rules by verdict, the first count with its
    denominator."""
    found = list(verdicts)
    parts = []
    for verdict, one, several in _COUNTED:
        count = found.count(verdict)
        if count:
            parts.append(f"{count} {one if count == 1 else several}")
    if not parts:
        return "no rules"
    total = len(found)
    first, _, words = parts[0].partition(" ")
    head = f"{first} of {total} {'rule' if total == 1 else 'rules'} {words}"
    return ", ".join([head, *parts[1:]])


def _scenarios(scope: Scope) -> str:
    """``109 of 109 scenarios run``, and why not all of them when some did not."""
    text = f"{scope.ran} of {scope.catalog} {'scenario' if scope.catalog == 1 else 'scenarios'} run"
    why: list[str] = []
    if scope.selection:
        why.append(f"selected by {', '.join(scope.selection)}")
    elif scope.selected is not None and scope.selected < scope.catalog:
        why.append(f"{scope.selected} selected")
    if scope.reason:
        why.append(scope.reason)
    return f"{text} ({'; '.join(why)})" if why else text


def headline(
    verdict: str,
    rule_verdicts: Iterable[str],
    scope: Scope,
    *,
    warnings: int = 0,
    contract_violations: int = 0,
) -> str:
    """The run's verdict in one line, with its denominators: how many rules of the catalog hold,
    are broken, errored, not applicable or not run, and how many of its scenarios ran.

    ``incomplete: interrupted by SIGINT; so far 3 of 43 rules hold, 40 not run; 10 of 109
    scenarios run``; ``partial: 1 of 43 rules holds, 42 not run; 4 of 109 scenarios run (selected
    by --rule BR-DELETE)``; ``conforms: 37 of 43 rules hold, 6 not applicable; 109 of 109
    scenarios run``.
    """
    counts = rule_counts(rule_verdicts)
    parts = [f"so far {counts}" if verdict == INCOMPLETE else counts]
    if contract_violations:
        parts.append(
            f"the wire contract is broken ({contract_violations} "
            f"{'violation' if contract_violations == 1 else 'violations'})"
        )
    if warnings:
        parts.append(f"{warnings} SHOULD {'warning' if warnings == 1 else 'warnings'}")
    parts.append(_scenarios(scope))
    return f"{verdict}: {'; '.join(parts)}"
