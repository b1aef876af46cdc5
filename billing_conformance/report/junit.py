"""``junit.xml``: the conformance results as JUnit XML, for CI systems' test views.

* ``<testsuites>`` names the target and totals ``tests``, ``failures``, ``errors``, ``skipped``
  and ``time`` (seconds) over every suite.
* The first ``<testsuite>``, named ``conformance``, carries the run's verdict as properties:
  ``verdict``, ``headline`` (the verdict with its denominators), ``state`` (finished, stopped
  early, interrupted, running), ``complete``, ``selection``, and the rules and scenarios of the
  catalog, selected and run. A run that did not finish (interrupted, or still running when the
  file was written) has one test case there, "every selected scenario ran", with an
  ``<error type="Interrupted">`` carrying the headline, so a CI system shows the run failed
  however many of its scenarios passed; a finished run has none.
* One ``<testsuite>`` per rule of the catalog, named by its ID, with its counts, ``time`` (the
  sum of its scenarios' durations), ``timestamp`` (the run's ``startedAt``) and properties
  ``statement``, ``severity`` and ``verdict``.
* One ``<testcase>`` per scenario run (per example row of an outline): ``classname`` is
  ``RULE-ID.feature/path``, ``name`` the scenario (an outline's placeholders filled in with its
  example's values, as cucumber.json names it), ``time`` its
  measured duration (0 in older results that have none), ``file`` and ``line`` where the
  scenario is written, and a ``severity`` property.

Severity decides what CI sees, as for the exit code of ``run``: a failed or errored SHOULD
scenario is a warning, reported as ``<skipped message="warning: SHOULD scenario failed: ...">``,
never a failure or an error; a scenario whose response broke the wire contract is an
``<error>`` whatever its severity, since the wire contract is MUST.

Each ``<failure>``, ``<error>`` and ``<skipped>`` has a ``type`` from this vocabulary, a
``message`` (the first line of what was recorded) and the full text as its body:

* ``RuleBroken`` (a ``<failure>``): the target broke the rule (outcome ``failed``);
* ``ContractViolation`` (an ``<error>``): a response broke the wire contract;
* ``CouldNotArrange`` (an ``<error>``): a ``Given`` step could not set the scenario up;
* ``HarnessError`` (an ``<error>``): anything else that errored (the harness, the connection);
* ``Interrupted`` (an ``<error>``, in the ``conformance`` suite): the run did not finish;
* ``NotApplicable`` (a ``<skipped>``): the target cannot run the scenario;
* for a SHOULD warning, the ``<skipped>`` has the type the failure or error would have had.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from xml.etree import ElementTree as ET

from billing_conformance.catalog import SHOULD, Catalog, filled_name
from billing_conformance.verdicts import INCOMPLETE

__all__ = ["ARRANGING", "KINDS", "build_junit", "kind_of", "outcome_of"]

#: How the plugin's message for a scenario it could not set up begins.
ARRANGING = "could not arrange the scenario"
#: The ``type`` of a ``<failure>``, ``<error>`` or ``<skipped>``.
KINDS = ("RuleBroken", "ContractViolation", "CouldNotArrange", "HarnessError", "NotApplicable", "Interrupted")


def kind_of(scenario: dict[str, Any]) -> str | None:
    """The kind of what went wrong in ``scenario`` (one of :data:`KINDS`), None if it passed."""
    outcome = scenario["outcome"]
    if outcome == "passed":
        return None
    if outcome == "not applicable":
        return "NotApplicable"
    if scenario.get("contractViolation"):
        return "ContractViolation"
    if outcome == "failed":
        return "RuleBroken"
    if str(scenario.get("message") or "").startswith(ARRANGING):
        return "CouldNotArrange"
    return "HarnessError"


def outcome_of(scenario: dict[str, Any]) -> str:
    """failure, error, skipped, warning (a failed or errored SHOULD scenario) or passed."""
    outcome = scenario["outcome"]
    if (
        outcome in ("failed", "errored")
        and scenario["severity"] == SHOULD
        and not scenario.get("contractViolation")
    ):
        return "warning"
    return {"failed": "failure", "errored": "error", "not applicable": "skipped"}.get(outcome, "passed")


def _seconds(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _time(seconds: float) -> str:
    return f"{seconds:.6f}"


def _properties(parent: ET.Element, **values: str) -> None:
    properties = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(properties, "property", name=name, value=value)


def _counts(outcomes: Counter[str], tests: int, seconds: float) -> dict[str, str]:
    return {
        "tests": str(tests),
        "failures": str(outcomes["failure"]),
        "errors": str(outcomes["error"]),
        "skipped": str(outcomes["skipped"] + outcomes["warning"]),
        "time": _time(seconds),
    }


def _case(suite: ET.Element, rule: dict[str, Any], scenario: dict[str, Any], line: int) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"{rule['id']}.{scenario['feature']}",
        name=str(
            scenario.get("title") or filled_name(str(scenario["scenario"]), scenario.get("example") or {})
        ),
        time=_time(_seconds(scenario.get("duration"))),
        file=f"features/{scenario['feature']}",
        line=str(line),
    )
    _properties(case, severity=scenario["severity"])
    text = scenario.get("message") or ""
    first = text.splitlines()[0] if text else ""
    outcome, kind = outcome_of(scenario), kind_of(scenario) or ""
    if outcome == "warning":
        warning = f"warning: SHOULD scenario {scenario['outcome']}: {first}"
        ET.SubElement(case, "skipped", type=kind, message=warning).text = text
    elif outcome in ("failure", "error"):
        ET.SubElement(case, outcome, type=kind, message=first).text = text
    elif outcome == "skipped":
        ET.SubElement(case, "skipped", type=kind, message=first).text = text or None


def _verdict_suite(suites: ET.Element, results: dict[str, Any], totals: Counter[str]) -> int:
    """The ``conformance`` suite: the run's verdict as properties, and an error when it did not
    finish. Returns how many test cases it holds (0 or 1)."""
    summary = results["summary"]
    scope = summary.get("scope") or {}
    unfinished = summary.get("verdict") == INCOMPLETE
    outcomes: Counter[str] = Counter({"error": 1} if unfinished else {})
    suite = ET.SubElement(
        suites,
        "testsuite",
        {"name": "conformance", **_counts(outcomes, int(unfinished), 0.0)},
        timestamp=str(results["startedAt"]),
    )
    catalog, ran = scope.get("catalog", {}), scope.get("ran", {})
    _properties(
        suite,
        verdict=str(summary.get("verdict", "")),
        headline=str(summary.get("headline", summary.get("verdict", ""))),
        state=str(scope.get("state", "finished" if results.get("complete", True) else "running")),
        complete=str(bool(results.get("complete", True))).lower(),
        selection=", ".join(scope.get("selection", [])),
        catalogRules=str(catalog.get("rules", summary.get("rules", 0))),
        catalogScenarios=str(catalog.get("scenarios", "")),
        selectedScenarios="" if scope.get("selected") is None else str(scope["selected"]),
        ranRules=str(ran.get("rules", "")),
        ranScenarios=str(ran.get("scenarios", "")),
    )
    if unfinished:
        case = ET.SubElement(
            suite, "testcase", classname="conformance", name="every selected scenario ran", time=_time(0.0)
        )
        message = str(summary.get("headline", "incomplete"))
        ET.SubElement(case, "error", type="Interrupted", message=message).text = message
        totals.update(outcomes)
    return int(unfinished)


def build_junit(results: dict[str, Any], catalog: Catalog) -> bytes:
    """The JUnit XML of ``results``, each scenario's line taken from ``catalog``."""
    lines = {(s.feature, s.name): s.line for r in catalog.rules for s in r.scenarios}
    suites = ET.Element("testsuites", name=f"conformance of {results['target']}")
    totals: Counter[str] = Counter()
    tests, seconds = _verdict_suite(suites, results, totals), 0.0
    for rule in results["rules"]:
        scenarios = rule["scenarios"]
        outcomes = Counter(outcome_of(s) for s in scenarios)
        spent = sum(_seconds(s.get("duration")) for s in scenarios)
        totals += outcomes
        tests, seconds = tests + len(scenarios), seconds + spent
        attributes = {"name": str(rule["id"]), **_counts(outcomes, len(scenarios), spent)}
        suite = ET.SubElement(suites, "testsuite", attributes, timestamp=str(results["startedAt"]))
        _properties(suite, statement=rule["statement"], severity=rule["severity"], verdict=rule["verdict"])
        for scenario in scenarios:
            steps = scenario.get("steps") or [{"line": 1}]
            line = lines.get((scenario["feature"], scenario["scenario"]), min(s["line"] for s in steps))
            _case(suite, rule, scenario, line)
    for name, value in _counts(totals, tests, seconds).items():
        suites.set(name, value)
    ET.indent(suites)
    return bytes(ET.tostring(suites, encoding="utf-8", xml_declaration=True))
