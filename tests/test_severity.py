"""Severity: a failed SHOULD scenario is a warning shown apart; only MUST decides the exit status."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.suite_runner import run_suite, run_tiny

MUST_HOLDS_SHOULD_BROKEN = """Feature: Tiny
  @AB-DOCUMENTED
  Rule: A MUST rule whose SHOULD decision the target breaks
    Source: "Tiny", one
    Decision (SHOULD): the kit's own.

    Example: The documented part
      Given the target is ready
      When the target is asked
      Then the rule holds

    @should
    Example: The decided part
      Given the target is ready
      When the target is asked
      Then the rule is broken

  @should @AB-OURS
  Rule: A SHOULD rule the target breaks
    Source: "Tiny", two

    Example: Ours
      Given the target is ready
      When the target is asked
      Then the rule is broken
"""

MUST_BROKEN = """
  @AB-BROKEN
  Rule: A MUST rule the target breaks
    Source: "Tiny", three

    Example: Broken
      Given the target is ready
      When the target is asked
      Then the rule is broken
"""


def _results(pytester: pytest.Pytester) -> dict[str, Any]:
    loaded = json.loads((pytester.path / "results" / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_should_failures_alone_are_warnings_and_the_run_exits_zero(pytester: pytest.Pytester) -> None:
    """Failures only in SHOULD scenarios (of a MUST or a SHOULD rule) exit 0 and are shown as warnings."""
    result = run_tiny(pytester, MUST_HOLDS_SHOULD_BROKEN)
    assert result.ret == 0
    result.stdout.fnmatch_lines(
        [
            "WARN    AB-DOCUMENTED *1 failed (SHOULD), 1 passed*",
            "WARN    AB-OURS *1 failed*[[]SHOULD[]]",
            "2 rules: 0 hold, 0 broken, 0 errored, 0 not applicable, 0 not run, 2 with warnings",
            "*warnings (SHOULD)*",
            "WARN    AB-OURS  tiny.feature::Ours: expected the rule to hold",
            "WARN    AB-DOCUMENTED  tiny.feature::The decided part: expected the rule*",
            "verdict: conforms: *",
        ]
    )
    results = _results(pytester)
    verdicts = {rule["id"]: (rule["severity"], rule["verdict"]) for rule in results["rules"]}
    assert verdicts == {"AB-DOCUMENTED": ("MUST", "holds"), "AB-OURS": ("SHOULD", "warning")}
    assert results["summary"]["verdict"] == "conforms"
    assert results["summary"]["warnings"] == 2
    assert [w["scenario"] for w in results["warnings"]] == [
        "tiny.feature::Ours",
        "tiny.feature::The decided part",
    ]


def test_a_must_failure_still_exits_one_beside_should_warnings(pytester: pytest.Pytester) -> None:
    """A failed MUST scenario makes the run exit 1 and its rule BROKEN, whatever the warnings."""
    result = run_tiny(pytester, MUST_HOLDS_SHOULD_BROKEN + MUST_BROKEN)
    assert result.ret == 1
    result.stdout.fnmatch_lines(["BROKEN  AB-BROKEN *", "verdict: does not conform: *"])
    summary = _results(pytester)["summary"]
    assert (summary["must"]["broken"], summary["should"]["warning"], summary["warnings"]) == (1, 1, 2)


def test_a_posted_credit_memo_that_does_not_block_is_a_warning_not_a_breach(
    pytester: pytest.Pytester,
) -> None:
    """Against a target that breaks only the SHOULD decision of BR-CANCEL-POSTED-INVOICE, the run exits 0."""
    result = run_suite(pytester, "inprocess:tests.miniatures:CancelsDespitePostedCreditMemos")
    assert result.ret == 0
    assert result.warned == {"BR-CANCEL-POSTED-INVOICE"}
    assert result.must_broken == set()


def test_posted_invoices_that_do_not_block_are_a_breach(pytester: pytest.Pytester) -> None:
    """A target that cancels despite posted invoices breaks BR-CANCEL-POSTED-INVOICE: the run exits 1."""
    result = run_suite(
        pytester, "inprocess:tests.known_bad:CancelsDespitePostedInvoices", "--rule=BR-CANCEL-POSTED-INVOICE"
    )
    assert result.ret == 1
    assert result.must_broken == {"BR-CANCEL-POSTED-INVOICE"}
