"""The conformance summary that ends a run in the terminal: one line per rule, the counts, the
requests per scenario, the SHOULD warnings, the wire contract and the run's verdict."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from billing_conformance.catalog import SHOULD
from billing_conformance.exits import EXIT_NOTHING_CHECKED
from billing_conformance.results import requests_per_scenario
from billing_conformance.verdicts import (
    BROKEN,
    ERRORED,
    FAILED,
    HOLDS,
    NOT_APPLICABLE,
    NOT_RUN,
    NOTHING_CHECKED,
    PASSED,
    WARNING,
    warnings,
    wire_contract,
)

__all__ = ["EXIT_NOTHING_CHECKED", "LABEL", "summary_lines"]

LABEL = {HOLDS: "HOLDS", BROKEN: "BROKEN", ERRORED: "ERRORED", NOT_APPLICABLE: "N/A", NOT_RUN: "NOT RUN"}
Records = list[dict[str, Any]]


def _rule_line(
    rule_id: str, records: Records, severity: str, verdict: str, statement: str
) -> tuple[str, str, str, str]:
    """A rule's label (WARN when it holds but a SHOULD scenario failed), ID, counts and statement."""
    warned = any(r["outcome"] == FAILED and r["severity"] == SHOULD for r in records)
    label = "WARN" if verdict == WARNING or (warned and verdict == HOLDS) else LABEL[verdict]
    outcomes = Counter(
        r["outcome"] if r["severity"] == severity or r["outcome"] == PASSED else f"{r['outcome']} (SHOULD)"
        for r in records
    )
    counts = ", ".join(f"{n} {name}" for name, n in sorted(outcomes.items()))
    tag = " [SHOULD]" if severity == SHOULD else ""
    return label, rule_id, counts, f"{statement}{tag}"


def summary_lines(
    target: str | None,
    grouped: Mapping[str, Records],
    verdicts: Mapping[str, tuple[str, str]],
    statements: Mapping[str, str],
    verdict: str,
) -> list[str]:
    """The summary's lines; a line starting ``--- `` opens a sub-section."""
    out = [f"target: {target}"] if target else []
    rows = [
        _rule_line(rule_id, grouped[rule_id], *verdicts[rule_id], statements[rule_id])
        for rule_id in sorted(grouped)
    ]
    width = max(len(rule_id) for rule_id in grouped)
    wide = max(len(counts) for _, _, counts, _ in rows) + 2
    out += [
        f"{label:<8}{rule_id:<{width + 2}}{counts:<{max(22, wide)}}{statement}"
        for label, rule_id, counts, statement in rows
    ]
    counted = Counter(label for label, *_ in rows)
    out.append(
        f"{len(grouped)} rules: {counted['HOLDS']} hold, {counted['BROKEN']} broken, "
        f"{counted['ERRORED']} errored, {counted['N/A']} not applicable, {counted['NOT RUN']} not run, "
        f"{counted['WARN']} with warnings"
    )
    records = [record for found in grouped.values() for record in found]
    requests = requests_per_scenario(records)
    if requests["total"]:
        out.append(
            f"requests per scenario: median {requests['median']:g}, most {requests['max']} "
            f"({requests['total']} in all)"
        )
    out += _warning_lines(records) + _contract_lines(records)
    if verdict == NOTHING_CHECKED:
        out.append(
            f"verdict: {verdict}: every rule was not applicable or not run, so this run proves "
            f"nothing (exit {EXIT_NOTHING_CHECKED})"
        )
    else:
        out.append(
            f"verdict: {verdict} (MUST rules and the wire contract only; SHOULD warnings do not count)"
        )
    return out


def _warning_lines(records: Records) -> list[str]:
    found = warnings(records)
    if not found:
        return []
    lines = ["--- warnings (SHOULD)"]
    for warning in found:
        first = str(warning["message"] or "").splitlines()[:1]
        lines.append(f"WARN    {warning['rule']}  {warning['scenario']}" + (f": {first[0]}" if first else ""))
    return lines


def _contract_lines(records: Records) -> list[str]:
    contract = wire_contract(records)
    if contract["verdict"] == HOLDS:
        return ["wire contract: holds (no response broke Zuora's published shape)"]
    lines = [f"wire contract: BROKEN ({len(contract['violations'])} violations; their scenarios are errored)"]
    for violation in contract["violations"]:
        where = f" at {violation['field']}" if violation["field"] else ""
        count = len(violation["scenarios"])
        lines.append(f"  {violation['operation']}{where}: {violation['message']} ({count} scenarios)")
    return lines
