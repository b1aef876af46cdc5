"""Outcomes that tell the truth: arrangement failures and wire-contract violations are errored, not failed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from billing_conformance.exits import EXIT_INCONCLUSIVE
from tests.suite_runner import run_suite, run_tiny

ARRANGEMENT = """Feature: Tiny
  Background:
    Given the target is ready

  @AB-ARRANGED
  Rule: A rule whose scenarios cannot be arranged
    Source: "Tiny", one

    Example: An arrangement assertion fails
      Given the target is ready
      And the target cannot be set up
      When the target is asked
      Then the rule is broken

    Example: The target refuses the arrangement
      Given the target refuses to set it up
      When the target is asked
      Then the rule holds
"""

BACKGROUND = """Feature: Tiny
  Background:
    Given the target cannot be set up

  @AB-BACKGROUND
  Rule: A rule whose background cannot be arranged
    Source: "Tiny", one

    Example: Anything
      When the target is asked
      Then the rule holds
"""

CONTRACT = """Feature: Tiny
  @AB-WIRE
  Rule: A rule met by a response out of shape
    Source: "Tiny", one
    Decision (SHOULD): the kit's own.

    Example: Documented
      Given the target is ready
      When the target is asked
      Then the rule holds

    @should
    Example: Out of shape
      Given the target is ready
      When the target answers out of shape
      Then the rule holds
"""


FAULTS = """Feature: Tiny
  @AB-FAULTS
  Rule: A rule whose checks cannot be carried out
    Source: "Tiny", one

    Example: The target fails while asked
      Given the target is ready
      When the target fails
      Then the rule holds

    Example: The kit fails while checking
      Given the target is ready
      When the target is asked
      Then the kit itself fails
"""


def _scenarios(pytester: pytest.Pytester) -> dict[str, dict[str, Any]]:
    results = json.loads((pytester.path / "results" / "conformance.json").read_text(encoding="utf-8"))
    return {s["scenario"]: s for rule in results["rules"] for s in rule["scenarios"]}


def test_a_failing_given_is_errored_and_names_the_arrangement_step(pytester: pytest.Pytester) -> None:
    """An assertion or a refusal in a Given makes its scenario errored, with the Given named, never failed."""
    result = run_tiny(pytester, ARRANGEMENT)
    assert result.ret == EXIT_INCONCLUSIVE
    result.stdout.fnmatch_lines(["ERRORED AB-ARRANGED *2 errored*"])
    scenarios = _scenarios(pytester)
    asserted = scenarios["An arrangement assertion fails"]
    assert asserted["outcome"] == "errored"
    assert asserted["message"].startswith(
        "could not arrange the scenario: Given the target cannot be set up: no tenant to set up"
    )
    assert asserted["failedStep"]["text"] == "the target cannot be set up"
    refused = scenarios["The target refuses the arrangement"]
    assert (refused["outcome"], refused["message"]) == (
        "errored",
        "could not arrange the scenario: Given the target refuses to set it up: "
        "create account was refused: accounts are closed (code 50000030)",
    )


def test_a_failing_background_step_is_errored_too(pytester: pytest.Pytester) -> None:
    """A Background's Given that fails is an arrangement failure of every scenario under it."""
    run_tiny(pytester, BACKGROUND)
    (scenario,) = _scenarios(pytester).values()
    assert scenario["outcome"] == "errored"
    assert scenario["message"].startswith("could not arrange the scenario: Given the target cannot be set up")


def test_a_target_that_cannot_complete_bill_runs_errors_every_scenario_needing_one(
    pytester: pytest.Pytester,
) -> None:
    """When "Given a completed bill run" cannot be arranged, BR-CANCEL-COMPLETED is errored, never broken."""
    result = run_suite(
        pytester, "inprocess:tests.miniatures:FailsEveryAdHocBillRun", "--rule=BR-CANCEL-COMPLETED"
    )
    assert result.ret == EXIT_INCONCLUSIVE
    assert result.broken == set()
    assert result.rules_with("errored") == {"BR-CANCEL-COMPLETED"}


def test_a_response_out_of_shape_errors_its_scenario_and_breaks_the_wire_contract(
    pytester: pytest.Pytester,
) -> None:
    """A ContractViolationError errors its scenario (even a SHOULD one), names the violation, breaks the
    wire contract and makes the run exit 1, while the rule itself is not blamed."""
    result = run_tiny(pytester, CONTRACT)
    assert result.ret == 1
    result.stdout.fnmatch_lines(
        [
            "HOLDS   AB-WIRE *",
            "wire contract: BROKEN (1 violation; their scenarios are errored)",
            "  get invoice at $.balance: '30' is not of type 'number' (1 scenario)",
            "verdict: does not conform: *",
        ]
    )
    results = json.loads((pytester.path / "results" / "conformance.json").read_text(encoding="utf-8"))
    (rule,) = results["rules"]
    assert rule["verdict"] == "holds"
    scenario = _scenarios(pytester)["Out of shape"]
    assert scenario["outcome"] == "errored"
    assert scenario["contractViolation"] == {
        "operation": "get invoice",
        "field": "$.balance",
        "message": "'30' is not of type 'number'",
        "schema": "invoice-response",
    }
    assert "the target broke the wire contract" in scenario["message"]
    assert results["wireContract"]["verdict"] == "broken"
    assert results["wireContract"]["violations"][0]["scenarios"] == ["tiny.feature::Out of shape"]
    assert results["summary"]["verdict"] == "does not conform"


def test_only_a_steps_own_check_breaks_a_rule(pytester: pytest.Pytester) -> None:
    """The target failing (an HTTP 5xx, an exception inside an in-process implementation) and the
    kit failing (any exception that is not a step's check) make the scenario errored: neither
    observed the behaviour the rule names. The run is inconclusive, never "does not conform"."""
    result = run_tiny(pytester, FAULTS)
    assert result.ret == EXIT_INCONCLUSIVE
    result.stdout.fnmatch_lines(["ERRORED AB-FAULTS *2 errored*", "verdict: inconclusive: *"])
    scenarios = _scenarios(pytester)
    target = scenarios["The target fails while asked"]
    assert (target["outcome"], target["message"]) == (
        "errored",
        "cancel bill run: the target failed (HTTP 500)",
    )
    kit = scenarios["The kit fails while checking"]
    assert kit["outcome"] == "errored"
    assert kit["message"] == "the kit could not carry the step out: KeyError: 'no such customer'"


def test_a_module_that_cannot_be_collected_is_a_collection_error_not_a_crash_of_the_kit(
    pytester: pytest.Pytester,
) -> None:
    """A collection report carries no user properties: the kit's status hook must take it as it is."""
    pytester.makeconftest('pytest_plugins = ["billing_conformance.pytest_plugin"]\n')
    pytester.makepyfile(test_broken="raise ImportError('a module that cannot be imported')\n")
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--results=results")
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED  # pytest's own answer to a collection error
    result.stdout.fnmatch_lines(["*ERROR collecting test_broken.py*"])
