"""Each run of a scenario as the page shows it: its steps in order, each with its status on every
target, the failure message beside the step that failed, and the HTTP exchanges the step made.

A scenario record lists its steps (Background steps first) with ``firstExchange`` and
``exchanges``: step i made ``record["exchanges"][firstExchange : firstExchange + exchanges]``.
Records written before steps carried those keys keep their evidence under the scenario.
Without results the steps are the catalog's, an outline's placeholders filled from its example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from billing_conformance.report.model import FeatureBlock, Report, RuleRow, ScenarioRow

__all__ = ["ICONS", "RunView", "StepResult", "StepView", "run_views"]

# Each status has a sign and a word, so it never rests on colour alone.
ICONS = {
    "passed": "\u2713",
    "failed": "\u2717",
    "skipped": "\u21b7",
    "undefined": "?",
    "not run": "\u00b7",
}
_PLACEHOLDER = re.compile(r"<([^<>]+)>")


@dataclass(frozen=True)
class StepResult:
    """One step on one target."""

    target: str
    status: str
    message: str | None = None
    exchanges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def icon(self) -> str:
        return ICONS.get(self.status, "?")


@dataclass(frozen=True)
class StepView:
    keyword: str
    text: str
    background: bool
    results: list[StepResult] = field(default_factory=list)  # one per target that ran the scenario

    @property
    def failed(self) -> bool:
        return any(r.status == "failed" for r in self.results)


@dataclass(frozen=True)
class TargetEvidence:
    """What a target's record says about the run beyond its steps."""

    target: str
    result: dict[str, Any]
    loose_exchanges: list[dict[str, Any]]  # exchanges no step claims (older records: all of them)
    message_apart: bool  # the message has no failed step to sit beside

    @property
    def outcome(self) -> str:
        return str(self.result["outcome"])


@dataclass(frozen=True)
class RunView:
    anchor: str
    row: ScenarioRow
    steps: list[StepView]
    evidence: list[TargetEvidence]
    text: str  # what the page's search looks in, lower case
    shown: list[str]  # the outcomes the outcome filter knows this run by

    @property
    def background(self) -> list[StepView]:
        return [s for s in self.steps if s.background]

    @property
    def own_steps(self) -> list[StepView]:
        return [s for s in self.steps if not s.background]

    @property
    def background_passed(self) -> bool:
        """Every Background step passed on every target that ran it."""
        results = [r for s in self.background for r in s.results]
        return bool(results) and all(r.status == "passed" for r in results)

    @property
    def background_open(self) -> bool:
        """A Background step did not pass somewhere: its steps are shown unfolded."""
        return any(r.status != "passed" for s in self.background for r in s.results)

    @property
    def example(self) -> str:
        return ", ".join(f"{k} = {v}" for k, v in self.row.example.items())


def _fill(text: str, example: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: example.get(m.group(1), m.group(0)), text)


def _split(step: str) -> tuple[str, str]:
    keyword, _, text = step.partition(" ")
    return keyword, text


def _claimed(record: dict[str, Any], step: dict[str, Any]) -> list[dict[str, Any]]:
    first, count = step.get("firstExchange"), step.get("exchanges")
    if not isinstance(first, int) or not isinstance(count, int):
        return []
    return list(record.get("exchanges", [])[first : first + count])


def _step_results(step: dict[str, Any], record: dict[str, Any], target: str) -> StepResult:
    status = str(step.get("status", "not run"))
    message = record.get("message") if status == "failed" else None
    return StepResult(target, status, message, _claimed(record, step))


def _steps(block: FeatureBlock, rule: RuleRow, row: ScenarioRow, names: list[str]) -> list[StepView]:
    background = [*block.entry.background, *rule.rule.background]
    catalog = [*background, *(_fill(s, row.example) for s in row.entry.steps)]
    recorded = [(r, n) for r, n in zip(row.results, names, strict=True) if r and r.get("steps")]
    if not recorded:
        return [StepView(*_split(s), i < len(background)) for i, s in enumerate(catalog)]
    base = recorded[0][0]["steps"]
    views = []
    for i, step in enumerate(base):
        results = []
        for record, name in recorded:
            steps = record["steps"]
            if i < len(steps) and (steps[i]["keyword"], steps[i]["text"]) == (step["keyword"], step["text"]):
                results.append(_step_results(steps[i], record, name))
            else:
                results.append(StepResult(name, "not run"))
        views.append(StepView(step["keyword"], step["text"], i < len(background), results))
    return views


def _evidence(record: dict[str, Any], target: str) -> TargetEvidence:
    steps = record.get("steps") or []
    stepwise = bool(steps) and any("firstExchange" in s for s in steps)
    claimed = {id(e) for s in steps for e in _claimed(record, s)}
    loose = [e for e in record.get("exchanges", []) if not stepwise or id(e) not in claimed]
    failed_step = any(s.get("status") == "failed" for s in steps)
    return TargetEvidence(target, record, loose, bool(record.get("message")) and not failed_step)


def run_views(report: Report, block: FeatureBlock, rule: RuleRow) -> list[list[RunView]]:
    """The runs of each of ``rule``'s scenarios (one per example row of an outline)."""
    names = [t.name for t in report.targets]
    entries: list[list[RunView]] = []
    for row in rule.scenarios:
        if not entries or entries[-1][0].row.entry is not row.entry:
            entries.append([])
        steps = _steps(block, rule, row, names)
        text = " ".join([row.entry.name, *(f"{s.keyword} {s.text}" for s in steps), *row.example.values()])
        evidence = [
            _evidence(r, name)
            for r, name in zip(row.results, names, strict=True)
            if r and r["outcome"] != "passed"
        ]
        anchor = f"run-{rule.rule.id}-{len(entries)}-{len(entries[-1]) + 1}"
        shown = [*row.outcomes, *(["warning"] if any(row.warned) else [])]
        entries[-1].append(RunView(anchor, row, steps, evidence, text.lower(), shown))
    return entries
