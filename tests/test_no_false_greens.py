"""No false greens (issue 13): a run that checked no rule never passes, and rules that were not
run are never shown as not applicable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from billing_conformance.exits import EXIT_NOTHING_CHECKED
from billing_conformance.verdicts import (
    BROKEN,
    CONFORMS,
    HOLDS,
    NOT_APPLICABLE,
    NOT_RUN,
    NOTHING_CHECKED,
    run_verdict,
)
from schemas.contract import violations
from tests.suite_runner import run_tiny

_HOLDS = {"verdict": HOLDS, "violations": []}

_NOTHING_APPLIES = """
Feature: Tiny
  @AB-LACKING
  Rule: Lacking rules are not applicable
    Example: lacking one
      Given the target lacks what the scenario needs
      When the target is asked
      Then the rule holds

    Example: lacking two
      Given the target lacks what the scenario needs
      When the target is asked
      Then the rule holds
"""

_ONE_APPLIES = (
    _NOTHING_APPLIES
    + """
  @AB-READY
  Rule: Ready rules hold
    Example: ready
      Given the target is ready
      When the target is asked
      Then the rule holds
"""
)

_BROKEN_THEN_UNREACHED = """
Feature: Tiny
  @AB-BROKEN
  Rule: Broken first
    Example: broken
      Given the target is ready
      When the target is asked
      Then the rule is broken

  @AB-LATER
  Rule: Never reached
    Example: later
      Given the target is ready
      When the target is asked
      Then the rule holds
"""


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ({"A": ("MUST", NOT_APPLICABLE), "B": ("SHOULD", NOT_RUN)}, NOTHING_CHECKED),
        ({}, NOTHING_CHECKED),
        ({"A": ("MUST", NOT_APPLICABLE), "B": ("MUST", HOLDS)}, CONFORMS),
        ({"A": ("MUST", NOT_RUN), "B": ("MUST", BROKEN)}, "does not conform"),
    ],
)
def test_the_run_conforms_only_when_some_rule_was_checked(
    verdicts: dict[str, tuple[str, str]], expected: str
) -> None:
    assert run_verdict(verdicts, _HOLDS) == expected


def test_a_run_where_every_rule_is_not_applicable_exits_with_its_own_status_and_says_why(
    pytester: pytest.Pytester,
) -> None:
    result = run_tiny(pytester, _NOTHING_APPLIES)
    assert result.ret == EXIT_NOTHING_CHECKED
    result.stdout.fnmatch_lines(["N/A     AB-LACKING *", "1 rule: 0 hold, * 1 not applicable, 0 not run, *"])
    verdicts = [line for line in result.outlines if line.startswith("verdict:")]
    assert verdicts == [
        "verdict: nothing checked: 1 of 1 rule not applicable; 2 of 2 scenarios run",
    ]
    assert (
        f"  every rule was not applicable or not run: this run proves nothing (exit {EXIT_NOTHING_CHECKED})"
        in result.outlines
    )
    written = json.loads((Path(pytester.path) / "results" / "conformance.json").read_text(encoding="utf-8"))
    assert written["summary"]["verdict"] == NOTHING_CHECKED
    assert violations("conformance-results", written) == []


def test_one_rule_checked_is_enough_to_conform(pytester: pytest.Pytester) -> None:
    result = run_tiny(pytester, _ONE_APPLIES)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "N/A     AB-LACKING *",
            "HOLDS   AB-READY *",
            "verdict: conforms: 1 of 2 rules holds, 1 not applicable; 3 of 3 scenarios run",
        ]
    )


def test_rules_a_stopped_run_never_reached_are_not_run_not_not_applicable(pytester: pytest.Pytester) -> None:
    result = run_tiny(pytester, _BROKEN_THEN_UNREACHED, "-x")
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "BROKEN  AB-BROKEN *",
            "NOT RUN AB-LATER *",
            "2 rules: 0 hold, 1 broken, 0 errored, 0 not applicable, 1 not run, 0 with warnings",
        ]
    )
    written = json.loads((Path(pytester.path) / "results" / "conformance.json").read_text(encoding="utf-8"))
    assert written["summary"]["must"]["notRun"] == 1
    assert written["summary"]["must"]["notApplicable"] == 0
