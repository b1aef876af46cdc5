"""No false greens (issue 13): a run that checked no rule never passes, and rules that were not
run are never shown as not applicable."""

from __future__ import annotations

import json
import re
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
from tests.suite_runner import run_cli, run_tiny

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


@pytest.mark.parametrize(
    ("selection", "said"),
    [
        (["--scenario", "The schedule is paused"], "selected by --scenario 'The schedule is paused'"),
        (["--", "-m", "should"], "selected by -m 'should'"),
        (["--rule", "BR-DELETE"], "selected by --rule BR-DELETE"),
    ],
    ids=["one scenario", "the SHOULD scenarios", "one rule"],
)
def test_a_run_of_part_of_the_catalog_is_partial_never_conforms(
    tmp_path: Path, selection: list[str], said: str
) -> None:
    """A selection that holds exits 0, but its verdict is partial, with how much of the catalog ran
    and what selected it, in the terminal and in every file of the results folder."""
    done = run_cli(tmp_path, "run", *selection)
    assert done.returncode == 0, done.stdout[-2000:]
    (verdict,) = [line for line in done.stdout.splitlines() if line.startswith("verdict: ")]
    assert verdict.startswith("verdict: partial: ")
    assert re.search(r"; \d+ of 114 scenarios run \(", verdict), verdict
    assert said in verdict
    assert "verdict: conforms" not in done.stdout
    (folder,) = (tmp_path / "results").iterdir()  # beside the full run's folder, named by the selection
    assert folder.name.startswith("inprocess--")
    written = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert written["summary"]["verdict"] == "partial"
    assert written["summary"]["headline"] == verdict.removeprefix("verdict: ")
    assert written["complete"] is True  # it ran what it selected, to the end
    assert violations("conformance-results", written) == []
    assert 'name="verdict" value="partial"' in (folder / "junit.xml").read_text(encoding="utf-8")
    assert 'class="banner partial"' in (folder / "report.html").read_text(encoding="utf-8")


def test_a_must_rule_whose_should_scenarios_alone_ran_is_not_run_and_says_so(tmp_path: Path) -> None:
    """With -m should, a MUST rule whose one SHOULD scenario passed is NOT RUN, and its line says
    the scenario was a SHOULD one and the rest did not run (not "NOT RUN ... 1 passed")."""
    done = run_cli(tmp_path, "run", "--", "-m", "should")
    (line,) = [row for row in done.stdout.splitlines() if row.startswith("NOT RUN WO-SYNC-ONLY")]
    assert "1 passed (SHOULD), 2 not run" in line
