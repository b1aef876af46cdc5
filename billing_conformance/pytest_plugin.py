"""pytest plugin: rule tags become ``rule`` markers, outcomes are kept apart, and a run ends with
conformance by rule.

Outcomes of a scenario: ``passed``; ``failed`` (the target broke the rule); ``errored`` (the
scenario could not be arranged, or the harness or connection failed: a
:class:`steps.targets.HarnessError`); ``not applicable`` (skipped, with its reason).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from billing_conformance.catalog import RULE_ID
from billing_conformance.recording import RECORD_KEY, Recorder
from billing_conformance.results import write_results
from steps.targets import HarnessError, NotApplicableError

__all__ = ["RuleTally", "pytest_bdd_apply_tag"]

PASSED, FAILED, ERRORED, NOT_APPLICABLE = "passed", "failed", "errored", "not applicable"
_RECORDER = Recorder()
_RULE_KEY = "conformance_rule"
_OUTCOME_KEY = "conformance_outcome"


@dataclass
class RuleTally:
    rule_id: str
    statement: str
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def verdict(self) -> str:
        if self.outcomes[FAILED]:
            return "BROKEN"
        if self.outcomes[ERRORED]:
            return "ERRORED"
        if self.outcomes[PASSED]:
            return "HOLDS"
        return "N/A"


def pytest_bdd_apply_tag(tag: str, function: Callable[..., object]) -> object:
    """A rule ID tag becomes ``@pytest.mark.rule(ID)``; other tags, markers with ``_`` for ``-``."""
    if RULE_ID.match(tag):
        pytest.mark.rule(tag)(function)
    else:
        getattr(pytest.mark, tag.replace("-", "_"))(function)
    return True


def _rule_of(item: pytest.Item) -> tuple[str, str] | None:
    marker = item.get_closest_marker("rule")
    if marker is None:
        return None
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    statement = template.rule.name if template is not None and template.rule is not None else ""
    return str(marker.args[0]), statement


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    rule = _rule_of(item)
    if rule is None:
        return report
    if report.failed and call.excinfo is not None and call.excinfo.errisinstance(NotApplicableError):
        reason = f"not applicable: {call.excinfo.value}"
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, reason)
    if report.skipped:
        outcome = NOT_APPLICABLE
    elif report.failed:
        harness_fault = call.excinfo is not None and call.excinfo.errisinstance(HarnessError)
        outcome = ERRORED if harness_fault or report.when != "call" else FAILED
    elif report.when == "call":
        outcome = PASSED
    else:
        return report
    message = None
    if report.skipped and isinstance(report.longrepr, tuple):
        message = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif call.excinfo is not None and outcome in (FAILED, ERRORED):
        message = call.excinfo.exconly()
    record = _RECORDER.record(item, rule[0], outcome, message)
    report.user_properties += [
        (_RULE_KEY, rule[0]),
        (_OUTCOME_KEY, outcome),
        (RECORD_KEY, json.dumps(record)),
    ]
    return report


class _Summary:
    def __init__(self) -> None:
        self.tallies: dict[str, RuleTally] = {}
        self.statements: dict[str, str] = {}
        self.outcomes: dict[str, str] = {}
        self.rule_of_node: dict[str, str] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.started = datetime.now(UTC)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            rule = _rule_of(item)
            if rule is not None:
                self.statements[rule[0]] = rule[1]
                self.tallies.setdefault(rule[0], RuleTally(*rule))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if _OUTCOME_KEY not in props:
            return
        worst = (FAILED, ERRORED, NOT_APPLICABLE, PASSED)
        previous = self.outcomes.get(report.nodeid)
        outcome = str(props[_OUTCOME_KEY])
        rule_id = str(props[_RULE_KEY])
        if previous is None or worst.index(outcome) < worst.index(previous):
            self.outcomes[report.nodeid] = outcome
            self.records[report.nodeid] = json.loads(str(props[RECORD_KEY]))
        self.rule_of_node[report.nodeid] = rule_id
        self.tallies.setdefault(rule_id, RuleTally(rule_id, ""))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.tallies:
            return
        for tally in self.tallies.values():
            tally.outcomes.clear()
        for nodeid, outcome in self.outcomes.items():
            self.tallies[self.rule_of_node[nodeid]].outcomes[outcome] += 1
        write = terminalreporter.write_line
        terminalreporter.section("conformance by rule")
        target = terminalreporter.config.getoption("--target", default=None)
        if target:
            write(f"target: {target}")
        width = max(len(rule_id) for rule_id in self.tallies)
        verdicts: Counter[str] = Counter()
        for rule_id in sorted(self.tallies):
            tally = self.tallies[rule_id]
            verdicts[tally.verdict] += 1
            counts = ", ".join(f"{n} {name}" for name, n in sorted(tally.outcomes.items()))
            write(f"{tally.verdict:<8}{rule_id:<{width + 2}}{counts:<22}{tally.statement}")
        total = len(self.tallies)
        write(
            f"{total} rules: "
            + ", ".join(
                f"{verdicts[v]} {label}"
                for v, label in (
                    ("HOLDS", "hold"),
                    ("BROKEN", "broken"),
                    ("ERRORED", "errored"),
                    ("N/A", "not applicable"),
                )
            )
        )


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--results",
        default=None,
        metavar="DIR",
        help="write the results folder here: conformance.json, cucumber.json, junit.xml, report.html",
    )
    parser.addoption(
        "--rule",
        action="append",
        default=[],
        metavar="ID",
        help="run only the scenarios of this rule (repeatable)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = set(config.getoption("--rule"))
    if not wanted:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        rule = _rule_of(item)
        (keep if rule is not None and rule[0] in wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


_SUMMARY = pytest.StashKey[_Summary]()


def pytest_configure(config: pytest.Config) -> None:
    summary = _Summary()
    config.pluginmanager.register(summary, "conformance-summary")
    config.pluginmanager.register(_RECORDER, "conformance-recorder")
    config.stash[_SUMMARY] = summary


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the results folder, once, from the process that saw every report."""
    folder = session.config.getoption("--results", default=None)
    if not folder or hasattr(session.config, "workerinput") or _SUMMARY not in session.config.stash:
        return
    summary = session.config.stash[_SUMMARY]
    target = str(session.config.getoption("--target", default="inprocess"))
    write_results(Path(folder), list(summary.records.values()), target=target, started=summary.started)
