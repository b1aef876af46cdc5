"""Run the real conformance suite from a test, and read its per-rule outcomes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT


@dataclass(frozen=True)
class SuiteResult:
    ret: int
    outcomes: dict[str, dict[str, str]]  # rule ID -> scenario node ID -> outcome

    def rules_with(self, outcome: str) -> set[str]:
        return {rule for rule, scenarios in self.outcomes.items() if outcome in scenarios.values()}

    @property
    def broken(self) -> set[str]:
        return self.rules_with("failed")


def run_suite(pytester: pytest.Pytester, target: str, *args: str) -> SuiteResult:
    """Run every feature against ``target`` in this process, as ``billing-conformance run`` would."""
    recorder = pytester.inline_run(
        str(FEATURES_DIR), f"--rootdir={PROJECT_ROOT}", f"--target={target}", *args
    )
    outcomes: dict[str, dict[str, str]] = defaultdict(dict)
    for report in recorder.getreports("pytest_runtest_logreport"):
        props = dict(report.user_properties)
        if "conformance_rule" in props:
            scenarios = outcomes[str(props["conformance_rule"])]
            if scenarios.get(report.nodeid) in (None, "passed"):
                scenarios[report.nodeid] = str(props["conformance_outcome"])
    return SuiteResult(-1 if recorder.ret is None else int(recorder.ret), dict(outcomes))
