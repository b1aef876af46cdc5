"""Each run of a scenario as the page shows it: its steps in order, each with its status on every
target, the failure message beside the step that failed, and the HTTP exchanges the step made.

A scenario record lists its steps (Background steps first) with ``firstExchange`` and
``exchanges``: step i made ``record["exchanges"][firstExchange : firstExchange + exchanges]``.
Records written before steps carried those keys keep their evidence under the scenario.
Without results the steps are the catalog's, an outline's placeholders filled from its example.

A step's status is told in the scenario's terms: the step that stopped a not-applicable scenario
is ``not applicable`` (never failed), the one of an errored scenario ``errored``, the one of a
failed SHOULD scenario ``warning``. Each run has a stable anchor made of its rule's ID and its
title (and an outline row's values), and is open on the page when it needs a reader's eye.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from billing_conformance.report.model import FeatureBlock, Report, RuleRow, ScenarioRow

__all__ = [
    "ICONS",
    "RunView",
    "StepResult",
    "StepView",
    "TargetExchanges",
    "entry_anchor",
    "entry_marks",
    "run_views",
    "slug",
]

# Each status has a sign and a word, so it never rests on colour alone.
ICONS = {
    "passed": "\u2713",
    "holds": "\u2713",
    "failed": "\u2717",
    "broken": "\u2717",
    "errored": "!",
    "warning": "\u26a0",
    "not applicable": "\u2013",
    "skipped": "\u21b7",
    "undefined": "?",
    "not run": "\u00b7",
}
#: The outcomes that open a run on the page.
ATTENTION = {"failed", "errored"}
_PLACEHOLDER = re.compile(r"<([^<>]+)>")


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, for an anchor: ``A <status> bill run`` -> ``a-status-bill-run``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].rstrip("-") or "x"


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

    @property
    def agreed(self) -> StepResult | None:
        """The one result to show when every target agrees (without message), else None."""
        agree = len(self.results) > 1 and len({r.status for r in self.results}) == 1
        if agree and not any(r.message for r in self.results):
            return StepResult("every target", self.results[0].status)
        return None


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
class TargetExchanges:
    """The HTTP exchanges one target made in one run, each with the step that made it."""

    target: str
    index: int  # the target's position on the page
    steps: list[tuple[str, list[dict[str, Any]]]]  # (step, or "" for none, its exchanges)

    @property
    def count(self) -> int:
        return sum(len(found) for _, found in self.steps)


@dataclass(frozen=True)
class RunView:
    anchor: str
    row: ScenarioRow
    steps: list[StepView]
    evidence: list[TargetEvidence]
    text: str  # what the page's search looks in, lower case
    shown: list[str]  # the outcomes the outcome filter knows this run by
    exchanges: list[TargetExchanges] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the targets, in the page's order

    @property
    def attention(self) -> bool:
        """Open as the page opens: it failed or errored on a target. A run that passed on one
        target and was not applicable or not run on another stays folded: its line shows each
        target's mark and the reason (:attr:`reasons`), since no target contradicts another."""
        return bool(ATTENTION & set(self.row.outcomes))

    @property
    def reasons(self) -> list[tuple[str, str]]:
        """(target, reason) for each target where the run was not applicable."""
        return [
            (name, str((r or {}).get("message") or "no reason given").removeprefix("not applicable: "))
            for name, r, outcome in zip(self.names, self.row.results, self.row.outcomes, strict=True)
            if outcome == "not applicable"
        ]

    @property
    def marks(self) -> list[tuple[str, str]]:
        """Per target: the outcome as the page colours it (``warning`` for a failed SHOULD) and
        what its mark's title says (with a not-applicable scenario's reason)."""
        marks = []
        for result, outcome, warned in zip(self.row.results, self.row.outcomes, self.row.warned, strict=True):
            shown = "warning" if warned else outcome
            reason = (result or {}).get("message") if outcome == "not applicable" else None
            marks.append((shown, f"{shown}: {reason}" if reason else shown))
        return marks

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


def _status(step: dict[str, Any], record: dict[str, Any]) -> str:
    status = str(step.get("status", "not run"))
    if status != "failed":
        return status
    outcome = record.get("outcome")
    if outcome in ("not applicable", "errored"):
        return str(outcome)
    return "warning" if outcome == "failed" and record.get("severity") == "SHOULD" else status


def _step_results(step: dict[str, Any], record: dict[str, Any], target: str) -> StepResult:
    status = _status(step, record)
    message = record.get("message") if step.get("status") == "failed" else None
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


def _exchanges(record: dict[str, Any], target: str, index: int) -> TargetExchanges:
    steps = record.get("steps") or []
    grouped = [(f"{s['keyword']} {s['text']}", _claimed(record, s)) for s in steps]
    loose = _evidence(record, target).loose_exchanges
    found = [(step, exchanges) for step, exchanges in grouped if exchanges]
    return TargetExchanges(target, index, [*found, *([("", loose)] if loose else [])])


def _anchor(rule: RuleRow, row: ScenarioRow, taken: set[str]) -> str:
    base = f"{rule.rule.id}--{slug(row.entry.name)}"
    if row.example:
        base += "--" + slug("-".join(row.example.values()))
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def entry_anchor(runs: list[RunView]) -> str:
    """An outline's own anchor: its first row's, without the row."""
    first = runs[0]
    return f"{first.anchor.split('--')[0]}--{slug(first.row.entry.name)}"


def run_views(report: Report, block: FeatureBlock, rule: RuleRow) -> list[list[RunView]]:
    """The runs of each of ``rule``'s scenarios (one per example row of an outline)."""
    names = [t.name for t in report.targets]
    entries: list[list[RunView]] = []
    taken: set[str] = set()
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
        exchanges = [
            _exchanges(r, name, i)
            for i, (r, name) in enumerate(zip(row.results, names, strict=True))
            if r and r.get("exchanges")
        ]
        shown = [*row.outcomes, *(["warning"] if any(row.warned) else [])]
        anchor = _anchor(rule, row, taken)
        entries[-1].append(RunView(anchor, row, steps, evidence, text.lower(), shown, exchanges, names))
    return entries


_WORST = ("failed", "errored", "warning", "passed", "not applicable", "not run")


def entry_marks(runs: list[RunView]) -> list[tuple[str, str]]:
    """Per target, an outline's mark: its worst row (a failed row before an errored one, a
    passed one before a not-applicable one), titled with how many rows had each outcome."""
    marks = []
    for i in range(len(runs[0].marks)):
        shown = [run.marks[i][0] for run in runs]
        worst = min(shown, key=lambda outcome: _WORST.index(outcome) if outcome in _WORST else 0)
        counts = ", ".join(f"{shown.count(o)} {o}" for o in _WORST if o in shown)
        marks.append((worst, f"{worst} ({counts})"))
    return marks
