"""The conformance summary that ends a run in the terminal, read from the run's results: one line
per rule that was selected or ran, the counts with their denominators, the requests per scenario,
the wire contract, a recap of every scenario that failed, errored or warned (SHOULD) with the
command that runs it again, and the run's verdict as a headline."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from billing_conformance.catalog import SHOULD
from billing_conformance.exits import EXIT_INTERRUPTED, EXIT_NOTHING_CHECKED
from billing_conformance.terminal import first_words, title, verdict_word
from billing_conformance.verdicts import (
    BROKEN,
    ERRORED,
    FAILED,
    HOLDS,
    INCOMPLETE,
    NOT_APPLICABLE,
    NOT_RUN,
    NOTHING_CHECKED,
    PARTIAL,
    WARNING,
)

__all__ = ["LABEL", "summary_lines"]

LABEL = {HOLDS: "HOLDS", BROKEN: "BROKEN", ERRORED: "ERRORED", NOT_APPLICABLE: "N/A", NOT_RUN: "NOT RUN"}
Results = Mapping[str, Any]
#: What follows the headline, for the verdicts that need saying why.
_AFTER = {
    NOTHING_CHECKED: "every rule was not applicable or not run: this run proves nothing "
    f"(exit {EXIT_NOTHING_CHECKED})",
    PARTIAL: "only part of the catalog ran: what ran holds, and nothing is said of the rest",
    INCOMPLETE: f"the run did not finish: it certifies nothing, and its results are marked incomplete "
    f"(exit {EXIT_INTERRUPTED})",
}


def _plural(count: int, one: str, several: str | None = None) -> str:
    return f"{count} {one if count == 1 else several or one + 's'}"


def _counts(rule: Mapping[str, Any]) -> str:
    """``4 passed``, ``1 passed (SHOULD), 2 not run``: a rule's scenarios by outcome and severity,
    and those of the catalog that did not run."""
    outcomes = Counter(
        f"{r['outcome']} (SHOULD)" if r["severity"] == SHOULD and rule["severity"] != SHOULD else r["outcome"]
        for r in rule["scenarios"]
    )
    parts = [f"{n} {name}" for name, n in sorted(outcomes.items())]
    missing = int(rule.get("catalogScenarios", len(rule["scenarios"]))) - len(rule["scenarios"])
    if missing > 0:
        parts.append(f"{missing} not run")
    return ", ".join(parts)


def _rule_row(rule: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """A rule's label (WARN when it holds but a SHOULD scenario failed), ID, counts and statement."""
    warned = any(r["outcome"] == FAILED and r["severity"] == SHOULD for r in rule["scenarios"])
    verdict = rule["verdict"]
    label = "WARN" if verdict == WARNING or (warned and verdict == HOLDS) else LABEL[verdict]
    tag = " [SHOULD]" if rule["severity"] == SHOULD else ""
    return label, str(rule["id"]), _counts(rule), f"{rule['statement']}{tag}"


def summary_lines(target: str | None, results: Results, shown: Collection[str] | None = None) -> list[str]:
    """The summary's lines; a line starting ``--- `` opens a sub-section. ``shown``: the IDs of the
    rules to give a line each (default: those that ran); the counts cover the whole catalog."""
    target = target or results.get("target")
    label = str(results.get("label") or target or "")
    named = label if not target or target in label else f"{label} ({target})"
    out = [f"target: {named}"] if named else []
    rules = results["rules"]
    picked = [r for r in rules if r["scenarios"] or (shown is not None and r["id"] in shown)]
    rows = [_rule_row(rule) for rule in picked]
    if rows:
        width = max(len(rule_id) for _, rule_id, _, _ in rows)
        wide = max(len(counts) for _, _, counts, _ in rows) + 2
        out += [
            f"{label:<8}{rule_id:<{width + 2}}{counts:<{max(22, wide)}}{statement}"
            for label, rule_id, counts, statement in rows
        ]
    labels = Counter(_rule_row(rule)[0] for rule in rules)
    out.append(
        f"{_plural(len(rules), 'rule')}: {_plural(labels['HOLDS'], 'holds', 'hold')}, "
        f"{labels['BROKEN']} broken, {labels['ERRORED']} errored, {labels['N/A']} not applicable, "
        f"{labels['NOT RUN']} not run, {labels['WARN']} with warnings"
    )
    summary = results["summary"]
    scenarios, scope = summary["scenarios"], summary.get("scope") or {}
    ran = scope.get("ran", {}).get("scenarios", sum(len(r["scenarios"]) for r in rules))
    catalog = scope.get("catalog", {}).get("scenarios", ran)
    out.append(
        f"{ran} of {_plural(catalog, 'scenario')} run: {scenarios['passed']} passed, "
        f"{scenarios['failed']} failed, {scenarios['errored']} errored, "
        f"{scenarios['not applicable']} not applicable"
    )
    requests = summary["requests"]
    if requests["total"]:
        out.append(
            f"requests per scenario: median {requests['median']:g}, most {requests['max']} "
            f"({requests['total']} in all)"
        )
    out += _contract_lines(results["wireContract"]) + _recap_lines(rules)
    verdict = summary["verdict"]
    out.append(f"verdict: {summary.get('headline', verdict)}")
    out.append(
        f"  {_AFTER[verdict]}"
        if verdict in _AFTER
        else "  (MUST rules and the wire contract decide; SHOULD warnings do not count)"
    )
    return out


def _recap_lines(rules: list[dict[str, Any]]) -> list[str]:
    """Every scenario that failed, then errored, then warned (a SHOULD scenario that failed): its
    feature and name, the first line of its message, and the command that runs it again."""
    order = ("FAILED", "ERRORED", "WARNING")
    found = sorted(
        (s for rule in rules for s in rule["scenarios"] if s["outcome"] in (FAILED, ERRORED)),
        key=lambda s: (order.index(verdict_word(s)), str(s["id"])),
    )
    if not found:
        return []
    words = Counter(verdict_word(s) for s in found)
    counts = ", ".join(
        _plural(words[word], one, several)
        for word, one, several in (
            ("FAILED", "failed", "failed"),
            ("ERRORED", "errored", "errored"),
            ("WARNING", "warning (SHOULD)", "warnings (SHOULD)"),
        )
        if words[word]
    )
    lines = [f"--- recap: {counts}, each with the command that runs it again"]
    for scenario in found:
        word = "WARN" if verdict_word(scenario) == "WARNING" else verdict_word(scenario)
        first = first_words(scenario.get("message")).splitlines()[:1]
        lines.append(
            f"{word:<8}{scenario['rule']}  {scenario['feature']}::{title(scenario)}"
            + (f": {first[0]}" if first else "")
        )
        if scenario.get("rerun"):
            lines.append(f"        again: {scenario['rerun']}")
    return lines


def _contract_lines(contract: Mapping[str, Any]) -> list[str]:
    if contract["verdict"] == HOLDS:
        return ["wire contract: holds (no response broke Zuora's published shape)"]
    count = _plural(len(contract["violations"]), "violation")
    lines = [f"wire contract: BROKEN ({count}; their scenarios are errored)"]
    for violation in contract["violations"]:
        where = f" at {violation['field']}" if violation["field"] else ""
        scenarios = _plural(len(violation["scenarios"]), "scenario")
        lines.append(f"  {violation['operation']}{where}: {violation['message']} ({scenarios})")
    return lines
