"""Run the real conformance suite from a test, and read its per-rule outcomes and severities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

# The same for Hypothesis, which its pytest plugin imports at the end of every inline run: pytest
# rewrites the asserts of a plugin's whole distribution, so without a bytecode cache
# (PYTHONDONTWRITEBYTECODE) each re-import cost about a second of rewriting.
import hypothesis  # noqa: F401
import pytest

# Imported here, before any inline run: pytester restores sys.modules after each run, and a
# ``requests`` first imported inside one would be dropped and imported afresh by the next, whose
# sessions then fail requests' own "is this a CookieJar" check against the old class.
import requests  # noqa: F401

import steps.targets.http  # noqa: F401
from billing_conformance import FEATURES_DIR, PROJECT_ROOT


@dataclass(frozen=True)
class SuiteResult:
    ret: int
    outcomes: dict[str, dict[str, str]]  # rule ID -> scenario node ID -> outcome
    severities: dict[str, str] = field(default_factory=dict)  # scenario node ID -> MUST or SHOULD
    messages: dict[str, str] = field(default_factory=dict)  # scenario node ID -> why it failed or errored

    def rules_with(self, outcome: str, severity: str | None = None) -> set[str]:
        """Rules with a scenario of ``outcome`` (of ``severity`` only, if given)."""
        return {
            rule
            for rule, scenarios in self.outcomes.items()
            for node, found in scenarios.items()
            if found == outcome and severity in (None, self.severities.get(node, "MUST"))
        }

    @property
    def broken(self) -> set[str]:
        """Rules with any failed scenario, MUST or SHOULD."""
        return self.rules_with("failed")

    @property
    def must_broken(self) -> set[str]:
        """Rules with a failed MUST scenario: breaches."""
        return self.rules_with("failed", "MUST")

    @property
    def warned(self) -> set[str]:
        """Rules with a failed SHOULD scenario: warnings."""
        return self.rules_with("failed", "SHOULD")


def run_suite(pytester: pytest.Pytester, target: str, *args: str) -> SuiteResult:
    """Run every feature against ``target`` in this process, as ``billing-conformance run`` would
    (``--tb=no`` as it gives: pytest then parses no source file to draw a traceback per failure,
    about a third of a known-bad run's time)."""
    recorder = pytester.inline_run(
        str(FEATURES_DIR), f"--rootdir={PROJECT_ROOT}", f"--target={target}", "--tb=no", *args
    )
    outcomes: dict[str, dict[str, str]] = defaultdict(dict)
    severities: dict[str, str] = {}
    messages: dict[str, str] = {}
    for report in recorder.getreports("pytest_runtest_logreport"):
        props = dict(report.user_properties)
        if "conformance_record" in props:
            message = json.loads(str(props["conformance_record"]))["message"]
            if message and props.get("conformance_outcome") in ("failed", "errored"):
                messages[report.nodeid] = str(message)
        if "conformance_rule" in props:
            scenarios = outcomes[str(props["conformance_rule"])]
            severities[report.nodeid] = str(props.get("conformance_severity", "MUST"))
            if scenarios.get(report.nodeid) in (None, "passed"):
                scenarios[report.nodeid] = str(props["conformance_outcome"])
    return SuiteResult(
        -1 if recorder.ret is None else int(recorder.ret), dict(outcomes), severities, messages
    )


#: Steps for tiny features run with pytester: no target, just the outcomes the plugin must judge.
TINY_STEPS = """
from __future__ import annotations

import pytest
from pytest_bdd import given, then, when

from steps.targets import ArrangementError, ContractViolationError, NotApplicableError, TargetFailedError

pytest_plugins = ["billing_conformance.pytest_plugin"]


@pytest.fixture
def target() -> object:
    return object()


@given("the target is ready")
def _() -> None:
    pass


@given("the target cannot be set up")
def _() -> None:
    assert False, "no tenant to set up"


@given("the target lacks what the scenario needs")
def _() -> None:
    raise NotApplicableError("this target has no control API")


@given("the target refuses to set it up")
def _() -> None:
    raise ArrangementError("create account", "accounts are closed (code 50000030)")


@when("the target is asked")
def _() -> None:
    pass


@when("the target answers out of shape")
def _() -> None:
    raise ContractViolationError(
        "get invoice", "'30' is not of type 'number'", "$.balance", "invoice-response"
    )


@when("the target fails")
def _() -> None:
    raise TargetFailedError("cancel bill run", "HTTP 500")


@then("the rule holds")
def _() -> None:
    pass


@then("the kit itself fails")
def _() -> None:
    raise KeyError("no such customer")


@then("the rule is broken")
def _() -> None:
    assert False, "expected the rule to hold"
"""


def run_tiny(pytester: pytest.Pytester, feature: str, *args: str) -> pytest.RunResult:
    """Run one tiny ``feature`` (Gherkin text over :data:`TINY_STEPS`) with the conformance plugin,
    writing its results folder to ``results/``."""
    pytester.makeconftest(TINY_STEPS)
    pytester.makeini("[pytest]\nmarkers =\n    rule(rule_id): rule\n    should: severity\n")
    pytester.makefile(".feature", tiny=feature)
    pytester.makepyfile(test_tiny='from pytest_bdd import scenarios\n\nscenarios("tiny.feature")\n')
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", "--results=results", *args)


def run_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``billing-conformance ARGS`` run in ``folder`` (so what it writes goes there, never into
    the checkout), the checkout's known-bad variants importable."""
    return subprocess.run(
        [sys.executable, "-m", "billing_conformance.cli", *args],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
