"""What a run prints beyond its progress lines: a not-applicable scenario with its reason, outline
names with their values filled in, a recap at the end of every failed, errored and SHOULD-warning
scenario with the command that runs it again, and counts in the singular where there is one."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from billing_conformance.catalog import filled_name
from billing_conformance.summary import summary_lines
from tests.suite_runner import run_tiny

TINY = """Feature: Tiny

  @AB-OUTLINE
  Rule: A rule checked by an outline
    Source: "Tiny", one

    Scenario Outline: A <status> bill run
      Given the target is ready
      When the target is asked
      Then the rule <verdict>

      Examples:
        | status    | verdict  |
        | completed | holds    |
        | posted    | is broken |

  @AB-MISSING
  Rule: A rule the target cannot be checked on
    Source: "Tiny", two

    Example: Nothing to check it with
      Given the target lacks what the scenario needs
      When the target is asked
      Then the rule holds

  @AB-FAULT
  Rule: A rule whose check errs
    Source: "Tiny", three

    Example: The target fails
      Given the target is ready
      When the target fails
      Then the rule holds

  @AB-OURS @should
  Rule: A decision of the kit's own
    Source: "Tiny", four
    Decision (SHOULD): the kit decided this.

    Example: Ours
      Given the target is ready
      When the target is asked
      Then the rule is broken
"""


@pytest.fixture
def ran(pytester: pytest.Pytester) -> tuple[list[str], dict[str, Any]]:
    result = run_tiny(pytester, TINY, "--progress=names", "--label=tiny build")
    results = json.loads((pytester.path / "results" / "conformance.json").read_text(encoding="utf-8"))
    return result.outlines, results


def test_outline_names_have_their_values_filled_in_everywhere(ran: tuple[list[str], dict[str, Any]]) -> None:
    lines, results = ran
    assert any(line.startswith("passed") and line.endswith(" A completed bill run") for line in lines)
    assert any(line.startswith("FAILED") and line.endswith(" A posted bill run") for line in lines)
    # Only the re-run command names one example as --scenario knows it (the results' id).
    shown = [line for line in lines if "<status>" in line or "[status=" in line]
    assert shown
    assert all(line.lstrip().startswith("again: ") for line in shown), shown
    titles = sorted(s["title"] for rule in results["rules"] for s in rule["scenarios"] if s["example"])
    assert titles == ["A completed bill run", "A posted bill run"]
    # The id stays as --scenario and earlier results know it.
    ids = sorted(s["id"] for rule in results["rules"] for s in rule["scenarios"] if s["example"])
    assert ids[0] == "tiny.feature::A <status> bill run [status=completed, verdict=holds]"


def test_a_not_applicable_line_gives_its_reason(ran: tuple[list[str], dict[str, Any]]) -> None:
    lines, _ = ran
    at = next(
        i for i, line in enumerate(lines) if line.startswith("n/a") and "Nothing to check it with" in line
    )
    assert lines[at + 1] == "    not applicable: this target has no control API"


def test_the_recap_lists_every_failure_error_and_warning_with_its_rerun(
    ran: tuple[list[str], dict[str, Any]],
) -> None:
    lines, _ = ran
    start = next(i for i, line in enumerate(lines) if " recap: " in line)
    assert (
        "recap: 1 failed, 1 errored, 1 warning (SHOULD), each with the command that runs it again"
        in (lines[start])
    )
    assert start > next(i for i, line in enumerate(lines) if line.startswith("wire contract:"))
    recap = lines[start + 1 : next(i for i, line in enumerate(lines) if line.startswith("verdict:"))]
    heads = [line for line in recap if not line.startswith(" ")]
    assert heads[0].startswith(
        "FAILED  AB-OUTLINE  tiny.feature::A posted bill run: expected the rule to hold"
    )
    assert heads[1].startswith("ERRORED AB-FAULT  tiny.feature::The target fails: ")
    assert heads[2] == "WARN    AB-OURS  tiny.feature::Ours: expected the rule to hold"
    agains = [line.strip() for line in recap if line.startswith(" ")]
    assert len(agains) == 3
    assert all(
        re.match(
            r"again: \S+ -m billing_conformance run --target inprocess --label .tiny build. "
            r"--results \S+ --rule AB-",
            line,
        )
        for line in agains
    ), agains
    assert "--scenario 'A <status> bill run [status=posted, verdict=is broken]'" in agains[0]
    assert not [line for line in recap if "AB-MISSING" in line or "completed" in line]  # n/a and passed: no


def test_the_summary_names_the_target_by_its_label(ran: tuple[list[str], dict[str, Any]]) -> None:
    lines, results = ran
    assert results["label"] == "tiny build"
    assert "target: tiny build (inprocess)" in lines


def _results(outcomes: list[str], *, violations: int = 0) -> dict[str, Any]:
    scenarios: list[dict[str, Any]] = [
        {
            "id": f"f.feature::S{i}",
            "rule": "AB-ONE",
            "feature": "f.feature",
            "scenario": f"S{i}",
            "example": {},
            "outcome": outcome,
            "severity": "MUST",
            "message": "expected it" if outcome != "passed" else None,
            "rerun": f"billing-conformance run --scenario S{i}",
        }
        for i, outcome in enumerate(outcomes)
    ]
    verdict = "broken" if "failed" in outcomes else "holds"
    counts = {k: outcomes.count(k) for k in ("passed", "failed", "errored", "not applicable")}
    return {
        "target": "inprocess",
        "rules": [
            {
                "id": "AB-ONE",
                "statement": "One",
                "severity": "MUST",
                "verdict": verdict,
                "scenarios": scenarios,
            }
        ],
        "summary": {
            "verdict": "conforms",
            "headline": "conforms",
            "scenarios": counts,
            "scope": {"ran": {"scenarios": len(outcomes)}, "catalog": {"scenarios": len(outcomes)}},
            "requests": {"total": 0},
        },
        "warnings": [],
        "wireContract": {
            "verdict": "broken" if violations else "holds",
            "violations": [
                {"operation": "get invoice", "field": None, "message": "bad", "scenarios": ["f.feature::S0"]}
            ]
            * violations,
        },
    }


def test_counts_of_one_are_singular() -> None:
    lines = summary_lines("inprocess", _results(["failed"], violations=1))
    assert "1 rule: 0 hold, 1 broken, 0 errored, 0 not applicable, 0 not run, 0 with warnings" in lines
    assert "1 of 1 scenario run: 0 passed, 1 failed, 0 errored, 0 not applicable" in lines
    assert "wire contract: BROKEN (1 violation; their scenarios are errored)" in lines
    assert "  get invoice: bad (1 scenario)" in lines
    assert "--- recap: 1 failed, each with the command that runs it again" in lines
    several = summary_lines("inprocess", _results(["passed", "passed"], violations=2))
    assert "1 rule: 1 holds, 0 broken, 0 errored, 0 not applicable, 0 not run, 0 with warnings" in several
    assert "wire contract: BROKEN (2 violations; their scenarios are errored)" in several
    assert not [line for line in several if "recap" in line]  # nothing failed: no recap


@pytest.mark.parametrize(
    ("name", "example", "shown"),
    [
        ("A <status> bill run", {"status": "completed"}, "A completed bill run"),
        (
            "Canceled <when>, <asking>",
            {"when": "today", "asking": "and writes off"},
            "Canceled today, and writes off",
        ),
        ("No placeholder", {"row": "1"}, "No placeholder [row=1]"),  # rows still told apart
        ("Plain", {}, "Plain"),
    ],
)
def test_filled_name(name: str, example: dict[str, str], shown: str) -> None:
    assert filled_name(name, example) == shown
