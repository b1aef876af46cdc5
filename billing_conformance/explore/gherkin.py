"""A counterexample as a Gherkin scenario, in the step sentences of :mod:`steps.history_steps`.

Each finding becomes one ``Rule`` tagged with the broken rule's ID, holding one ``Example``: the
shrunk history as ``Given``/``And`` steps, the step that broke the rule as ``When``, and ``Then the
last step keeps rule <ID>``. A comment names each schedule occurrence a step made known (its
label is given by the history, not by a sentence). The file is a feature of its own, ready to be
pasted into a project's features (docs/extending.md) or re-run with ``explore``'s re-run.
"""

from __future__ import annotations

from collections.abc import Sequence

from billing_conformance.explore.machine import START
from billing_conformance.explore.runner import Finding
from steps.histories import Transition

__all__ = ["feature_text", "scenario_lines"]


def _step_lines(keyword: str, step: Transition, indent: str) -> list[str]:
    lines = [f"{indent}{keyword} {step.op.text()}"]
    rows = step.op.table()
    if rows:
        width = max(len(key) for key, _ in rows)
        lines += [f"{indent}  | {key.ljust(width)} | {value} |" for key, value in rows]
    lines += [
        f'{indent}# bill run "{fresh}" is the occurrence of the schedule of "{schedule}" that waits next'
        for fresh, schedule in step.revealed
    ]
    return lines


def scenario_lines(finding: Finding, indent: str = "    ") -> list[str]:
    """The Example of one finding (without its Rule)."""
    steps = finding.history
    lines = [f"{indent}Example: {finding.rule} broken after {len(steps)} steps"]
    inner = indent + "  "
    lines.append(f"{inner}Given a history that starts on {START}")
    for step in steps[:-1]:
        lines += _step_lines("And", step, inner)
    lines += _step_lines("When", steps[-1], inner)
    lines.append(f"{inner}Then the last step keeps rule {finding.rule}")
    return lines


def feature_text(findings: Sequence[Finding], target: str, seed: int, statements: dict[str, str]) -> str:
    """A feature file holding every finding, one Rule each."""
    lines = [
        "@explore",
        f"Feature: Counterexamples that billing-conformance explore found on {target}",
        f"  Histories generated with seed {seed} and shrunk; each Example ends with the step that breaks",
        "  its rule, judged as the explorer judged it.",
        "",
    ]
    for finding in findings:
        statement = statements.get(finding.rule, finding.rule)
        lines += [
            f"  @{finding.rule}",
            f"  Rule: {statement}",
            f"    Source: billing-conformance explore --seed {seed} (a generated history, shrunk)",
            "",
            f"    # found: {' '.join(finding.message.split())}",
            *scenario_lines(finding),
            "",
        ]
    return "\n".join(lines)
