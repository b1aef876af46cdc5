"""Verdicts: from each scenario's outcome and severity to each rule's verdict, the warnings, the
wire contract and the run's verdict. One place, used by the terminal summary, the exit status and
the results folder alike.

A scenario's outcome is passed, failed, errored or not applicable; its severity (MUST or SHOULD)
is separate. A MUST rule's verdict comes from its MUST scenarios only: ``holds``, ``broken``,
``errored``, ``not applicable`` or ``not run``. A SHOULD rule that fails is a ``warning``, never
``broken``. Every failed SHOULD scenario, in a SHOULD rule or in a MUST rule (checking a SHOULD
decision), is a *warning*, shown apart. A response that breaks Zuora's published shape errors
its scenario (its rule is not blamed) and breaks the *wire contract*, which is MUST.

The run **conforms** when at least one rule was checked, no MUST rule is broken or errored and
the wire contract holds; it **does not conform** when a MUST rule is broken or the wire contract
is; it is **inconclusive** when a MUST rule errored; and it has **nothing checked** when every
rule was not applicable or not run: such a run proves nothing, and says so rather than pass.
Only a run that conforms exits 0; SHOULD warnings never change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from billing_conformance.catalog import MUST, SHOULD

__all__ = [
    "BROKEN",
    "CONFORMS",
    "DOES_NOT_CONFORM",
    "ERRORED",
    "FAILED",
    "HOLDS",
    "INCONCLUSIVE",
    "NOTHING_CHECKED",
    "NOT_APPLICABLE",
    "NOT_RUN",
    "PASSED",
    "WARNING",
    "rule_verdict",
    "run_verdict",
    "warnings",
    "wire_contract",
]

PASSED, FAILED, ERRORED, NOT_APPLICABLE = "passed", "failed", "errored", "not applicable"
HOLDS, BROKEN, NOT_RUN, WARNING = "holds", "broken", "not run", "warning"
CONFORMS, DOES_NOT_CONFORM, INCONCLUSIVE = "conforms", "does not conform", "inconclusive"
NOTHING_CHECKED = "nothing checked"

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


def run_verdict(rule_verdicts: Mapping[str, tuple[str, str]], contract: Mapping[str, Any]) -> str:
    """The run's verdict from each rule's (severity, verdict) and the wire contract: MUST only,
    and only once some rule was checked."""
    must = [verdict for severity, verdict in rule_verdicts.values() if severity == MUST]
    if BROKEN in must or contract["verdict"] == BROKEN:
        return DOES_NOT_CONFORM
    if ERRORED in must:
        return INCONCLUSIVE
    if all(verdict in (NOT_APPLICABLE, NOT_RUN) for _, verdict in rule_verdicts.values()):
        return NOTHING_CHECKED
    return CONFORMS
