"""pytest plugin: rule tags become ``rule`` markers, outcomes are kept apart, and a run ends with
conformance by rule.

Outcomes of a scenario: ``passed``; ``failed`` (the target broke the rule); ``errored`` (the
scenario could not be judged: a ``Given`` step, Background included, failed in any way, which
is reported as "could not arrange the scenario: Given ..."; the harness or the connection failed,
a :class:`steps.targets.HarnessError`; a step is not defined; or the target's response broke
Zuora's published shape, a :class:`steps.targets.ContractViolationError`, which also breaks the
wire contract); ``not applicable`` (skipped, with its reason).

Severity is separate from the outcome (see :mod:`billing_conformance.verdicts`): failed SHOULD
scenarios are warnings, shown apart, and the session's exit status counts MUST only: a run whose
only failures are SHOULD warnings exits 0; a broken or errored MUST rule, or a broken wire
contract, exits 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from billing_conformance.catalog import SHOULD, SHOULD_TAG, scenario_key
from billing_conformance.exits import (
    EXIT_INTERRUPTED,
    EXIT_KIT_FAILED,
    EXIT_NOTHING_SELECTED,
    EXIT_USAGE,
    of_verdict,
)
from billing_conformance.extension import session_catalog
from billing_conformance.judging import judged, rule_of, violation_of
from billing_conformance.markers import pytest_bdd_apply_tag, register_markers
from billing_conformance.progress import Progress
from billing_conformance.recording import RECORD_KEY, Recorder, scenario_title
from billing_conformance.results import build_results, results_refusal, write_results
from billing_conformance.stopping import Stopping
from billing_conformance.summary import summary_lines
from billing_conformance.terminal import Live, for_terminal
from billing_conformance.verdicts import ERRORED, FAILED, INTERRUPTED, NOT_APPLICABLE, PASSED, RUNNING, Scope
from steps.targets import NotApplicableError

__all__ = ["pytest_bdd_apply_tag"]

_RECORDER = Recorder()
_RULE_KEY = "conformance_rule"
_STATEMENT_KEY, _RULE_SEVERITY_KEY = "conformance_statement", "conformance_rule_severity"
_FEATURE_KEY = "conformance_feature_file"
_OUTCOME_KEY = "conformance_outcome"
_SEVERITY_KEY = "conformance_severity"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    rule = rule_of(item)
    if rule is None:
        return report
    severity = SHOULD if item.get_closest_marker(SHOULD_TAG) is not None else rule[2]
    excinfo = call.excinfo
    if report.failed and excinfo is not None and excinfo.errisinstance(NotApplicableError):
        reason = f"not applicable: {excinfo.value}"
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, reason)
    message = None
    violation = None
    if report.skipped:
        outcome = NOT_APPLICABLE
        if isinstance(report.longrepr, tuple):
            message = str(report.longrepr[2]).removeprefix("Skipped: ")
    elif report.failed and excinfo is not None:
        outcome, message = judged(item, report, excinfo)
        violation = violation_of(excinfo.value)
    elif report.failed:
        outcome = ERRORED
    elif report.when == "call":
        outcome = PASSED
    else:
        return report
    record = _RECORDER.record(
        item, rule[0], outcome, message, severity=severity, violation=violation, duration=call.duration
    )
    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
    report.user_properties += [
        (_RULE_KEY, rule[0]),
        # What the process that reports (the controller under xdist) never collects itself:
        (_STATEMENT_KEY, rule[1]),
        (_RULE_SEVERITY_KEY, rule[2]),
        (_FEATURE_KEY, "" if template is None else str(template.feature.filename)),
        (_OUTCOME_KEY, outcome),
        (_SEVERITY_KEY, severity),
        (RECORD_KEY, json.dumps(record)),
    ]
    return report


@pytest.hookimpl(wrapper=True)
def pytest_report_teststatus(report: pytest.TestReport | pytest.CollectReport) -> Generator[None, Any, Any]:
    """pytest counts an errored scenario among the errors, not the failures (its last line says
    "44 errors", not "44 failed"): it broke no rule."""
    found = yield
    if dict(getattr(report, "user_properties", ())).get(_OUTCOME_KEY) == ERRORED and found[0] == "failed":
        return "error", "E", "ERROR"
    return found


class _Summary:
    """What the results-writing process saw of the run: each scenario's record, the rules that
    were selected or ran, how many scenarios were selected, and the results once it ended."""

    def __init__(self) -> None:
        self.statements: dict[str, str] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.other_failures = 0
        self.feature_files: set[Path] = set()
        self.started = datetime.now(UTC)
        self.selected: int | None = None
        self.results: dict[str, Any] | None = None
        self._outcomes: dict[str, str] = {}

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        self.selected = 0
        for item in items:
            rule = rule_of(item)
            if rule is not None:
                self.selected += 1
                self.statements[rule[0]] = rule[1]
                template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
                if template is not None:
                    self.feature_files.add(Path(template.feature.filename))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        if _OUTCOME_KEY not in props:
            self.other_failures += report.failed
            return
        worst = (FAILED, ERRORED, NOT_APPLICABLE, PASSED)
        previous = self._outcomes.get(report.nodeid)
        outcome = str(props[_OUTCOME_KEY])
        if previous is None or worst.index(outcome) < worst.index(previous):
            self._outcomes[report.nodeid] = outcome
            self.records[report.nodeid] = json.loads(str(props[RECORD_KEY]))
        rule_id = str(props[_RULE_KEY])
        if not self.statements.get(rule_id):
            self.statements[rule_id] = str(props.get(_STATEMENT_KEY, ""))
        if props.get(_FEATURE_KEY):
            self.feature_files.add(Path(str(props[_FEATURE_KEY])))

    @property
    def conformance_run(self) -> bool:
        """Whether the session ran the kit's scenarios (rather than other tests)."""
        return bool(self.statements or self.records)

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.conformance_run or self.results is None:
            return
        terminalreporter.section("conformance by rule")
        target = terminalreporter.config.getoption("--target", default=None)
        for line in summary_lines(target, self.results, self.statements):
            if line.startswith("--- "):
                terminalreporter.section(line[4:], sep="-")
            else:
                terminalreporter.write_line(for_terminal(line))


class _SelectedOnWorkers:
    """Under pytest-xdist: how many scenarios the workers selected (each collects them all)."""

    def __init__(self, summary: _Summary) -> None:
        self.summary = summary

    def pytest_xdist_node_collection_finished(self, ids: list[str]) -> None:
        self.summary.selected = len(ids)


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
    parser.addoption(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="run only the scenario of this name (every example of an outline), or one example of it, "
        "named as the results name it: 'NAME [key=value, ...]' (repeatable)",
    )
    parser.addoption("--label", default=None, metavar="NAME", help="what the results call the target")
    parser.addoption(
        "--progress",
        choices=("dots", "names"),
        default="dots",
        help="names: one line per scenario (its rule, its name, how it ended) instead of pytest's dots",
    )


def _selected(item: pytest.Item, rules: set[str], scenarios: set[str]) -> bool:
    rule = rule_of(item)
    if rules and (rule is None or rule[0] not in rules):
        return False
    if not scenarios:
        return True
    title = scenario_title(item) or ""
    return scenario_key(title) in scenarios or scenario_key(title.split(" [", 1)[0]) in scenarios


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):
        _longest_first(items)
    rules = set(config.getoption("--rule"))
    scenarios = {scenario_key(name) for name in config.getoption("--scenario")}
    if not rules and not scenarios:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        (keep if _selected(item, rules, scenarios) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _longest_first(items: list[pytest.Item]) -> None:
    """In a parallel run, the scenarios with the most steps go first (every worker sorts alike),
    so that no worker is left with a long one while the others have finished."""

    def steps(item: pytest.Item) -> int:
        template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))  # type: ignore[arg-type]
        return 0 if template is None else len(template.steps)

    items.sort(key=steps, reverse=True)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> int | None:
    """A ``--results`` folder that cannot be used is refused in one line, exit status 2, before
    anything is configured: no target is opened and nothing is written."""
    refusal = None if hasattr(config, "workerinput") else results_refusal(config.getoption("--results"))
    if refusal is not None:
        print(refusal, file=sys.stderr)
    return None if refusal is None else EXIT_USAGE


_SUMMARY = pytest.StashKey[_Summary]()
_STOPPING = pytest.StashKey[Stopping]()


def pytest_configure(config: pytest.Config) -> None:
    summary = _Summary()
    config.pluginmanager.register(summary, "conformance-summary")
    config.pluginmanager.register(_RECORDER, "conformance-recorder")
    config.stash[_SUMMARY] = summary
    register_markers(config)
    if hasattr(config, "workerinput"):
        return
    if hasattr(config.hook, "pytest_xdist_node_collection_finished"):  # pytest-xdist is loaded
        config.pluginmanager.register(_SelectedOnWorkers(summary), "conformance-selected")
    if config.getoption("--progress", default="dots") == "names":
        config.pluginmanager.register(Live(config), "conformance-live")
    # A run that is stopped (Ctrl-C, or SIGTERM from a CI job's timeout) says so, and still
    # writes what it has, marked incomplete.
    stopping = Stopping()
    stopping.install(config)
    config.pluginmanager.register(stopping, "conformance-stopping")
    config.stash[_STOPPING] = stopping
    folder = config.getoption("--results", default=None)
    if folder:  # written now and as scenarios finish, marked incomplete until the run ends
        progress = Progress(
            Path(folder),
            **_named(config),
            started=summary.started,
            summary=summary,
            scope=_running(config),
        )
        config.pluginmanager.register(progress, "conformance-progress")


def _selection(config: pytest.Config) -> tuple[str, ...]:
    """What narrowed the catalog, in the words of the command line."""
    chosen = [f"--rule {rule_id}" for rule_id in config.getoption("--rule", default=[]) or []]
    chosen += [f"--scenario {name!r}" for name in config.getoption("--scenario", default=[]) or []]
    if getattr(config.option, "keyword", ""):
        chosen.append(f"-k {config.option.keyword!r}")
    if getattr(config.option, "markexpr", ""):
        chosen.append(f"-m {config.option.markexpr!r}")
    chosen += [f"--deselect {node}" for node in getattr(config.option, "deselect", None) or []]
    return tuple(chosen)


def _running(config: pytest.Config) -> Callable[[], Scope]:
    """The scope of the run while it goes on: running, with what was selected so far."""

    def scope() -> Scope:
        return Scope(
            state=RUNNING,
            reason="not finished when this was written (a folder left so means the run was killed)",
            selection=_selection(config),
            selected=config.stash[_SUMMARY].selected,
        )

    return scope


def _named(config: pytest.Config) -> dict[str, Any]:  # the target, its profile and its label as given
    named = {option: config.getoption(f"--{option}", default=None) for option in ("profile", "label")}
    return {"target": str(config.getoption("--target", default="inprocess")), **named}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Build the results once, from the process that saw every report; write the results folder;
    and set the exit status from the run's verdict (see :mod:`billing_conformance.exits`)."""
    config = session.config
    if hasattr(config, "workerinput") or _SUMMARY not in config.stash:
        return
    summary = config.stash[_SUMMARY]
    state, reason = (
        config.stash[_STOPPING].ended(session) if _STOPPING in config.stash else ("finished", None)
    )
    scope = Scope(state=state, reason=reason, selection=_selection(config), selected=summary.selected)
    catalog = session_catalog(config.rootpath, summary.feature_files)
    records = list(summary.records.values())
    summary.results = build_results(
        records, **_named(config), started=summary.started, catalog=catalog, scope=scope
    )
    if summary.conformance_run:
        session.exitstatus = _exit_status(session.exitstatus, summary)
    folder = config.getoption("--results", default=None)
    if folder:
        write_results(
            Path(folder),
            records,
            **_named(config),
            started=summary.started,
            catalog=catalog,
            results=summary.results,
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """A run stopped before its session began (a signal while the target was being opened, say)
    never reached :func:`pytest_sessionfinish`: its folder, written when the run started, is
    written once more, saying it was interrupted."""
    folder = config.getoption("--results", default=None)
    if hasattr(config, "workerinput") or not folder or _SUMMARY not in config.stash:
        return
    summary = config.stash[_SUMMARY]
    if summary.results is not None:
        return
    stopping = config.stash.get(_STOPPING, None)
    said = stopping.ended_before_the_session() if stopping is not None else "stopped before it began"
    scope = Scope(state=INTERRUPTED, reason=said, selection=_selection(config), selected=summary.selected)
    write_results(Path(folder), [], **_named(config), started=summary.started, scope=scope)
    session = config.pluginmanager.get_plugin("session")
    if isinstance(session, pytest.Session) and session.exitstatus == pytest.ExitCode.INTERRUPTED:
        session.exitstatus = EXIT_INTERRUPTED  # pytest returns it once unconfigured


def _exit_status(pytest_status: int, summary: _Summary) -> int:
    """The kit's exit status: pytest's own refusals mapped, else the verdict's (SHOULD warnings
    and not-applicable scenarios never fail a run; other tests of the session still do)."""
    if pytest_status == pytest.ExitCode.USAGE_ERROR:
        return EXIT_USAGE
    if pytest_status == pytest.ExitCode.NO_TESTS_COLLECTED:
        return EXIT_NOTHING_SELECTED
    if pytest_status == pytest.ExitCode.INTERNAL_ERROR:
        return EXIT_KIT_FAILED
    assert summary.results is not None
    status = of_verdict(str(summary.results["summary"]["verdict"]))
    if summary.other_failures and status == 0:
        return int(pytest.ExitCode.TESTS_FAILED)
    return status
