"""Severity in every file of the results folder and in the living documentation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.catalog import load_catalog
from billing_conformance.report import render_html, render_markdown
from schemas.contract import violations
from tests.report_support import run_results

WARNED = "inprocess:tests.miniatures:CancelsDespitePostedCreditMemos"
WARNING_SCENARIO = "bill_runs/canceling.feature::Its credit memo has been posted"
CATALOG = load_catalog(FEATURES_DIR)
EXAMPLES = PROJECT_ROOT / "schemas" / "examples" / "conformance-results" / "valid"


@pytest.fixture(scope="module")
def warned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Results of the whole suite against a target whose only failure is a SHOULD scenario."""
    folder = tmp_path_factory.mktemp("warned")
    run_results(folder, WARNED)
    return folder


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_conformance_json_separates_must_verdicts_from_should_warnings(warned: Path) -> None:
    """conformance.json keeps to its schema, conforms, and lists the SHOULD failure as a warning."""
    results = _json(warned / "conformance.json")
    assert violations("conformance-results", results) == []
    assert results["summary"]["verdict"] == "conforms"
    assert results["summary"]["must"]["broken"] == 0
    assert results["summary"]["warnings"] == 1
    assert [w["scenario"] for w in results["warnings"]] == [WARNING_SCENARIO]
    rule = next(r for r in results["rules"] if r["id"] == "BR-CANCEL-POSTED-INVOICE")
    assert (rule["severity"], rule["verdict"]) == ("MUST", "holds")
    assert rule["decisions"][0]["severity"] == "SHOULD"
    assert {s["id"]: s["severity"] for s in rule["scenarios"]}[WARNING_SCENARIO] == "SHOULD"


def test_junit_reports_a_should_failure_as_a_skipped_warning_with_its_severity(warned: Path) -> None:
    """In JUnit a failed SHOULD scenario is skipped with a "warning:" message, never a failure."""
    root = ET.parse(warned / "junit.xml").getroot()
    assert {s.get("failures") for s in root.findall("testsuite")} == {"0"}
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "BR-CANCEL-POSTED-INVOICE")
    assert suite.get("skipped") == "1"
    assert suite.find("properties/property[@name='severity']").get("value") == "MUST"  # type: ignore[union-attr]
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    case = cases["Its credit memo has been posted"]
    assert case.find("properties/property[@name='severity']").get("value") == "SHOULD"  # type: ignore[union-attr]
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("warning: SHOULD scenario failed: expected")
    assert skipped.get("type") == "RuleBroken"  # what it would have been, had it been MUST
    severities = {
        p.get("value") for c in cases.values() for p in c.findall("properties/property[@name='severity']")
    }
    assert severities == {"MUST", "SHOULD"}


def test_cucumber_tags_every_scenario_with_its_severity(warned: Path) -> None:
    """Every Cucumber scenario carries @MUST or @SHOULD beside its rule's ID tag."""
    named = [
        (f"{feature['uri'].removeprefix('features/')}::{e['name']}", e)
        for feature in _json(warned / "cucumber.json")
        for e in feature["elements"]
    ]
    tags = {key: {t["name"] for t in e["tags"]} for key, e in named}
    assert len(tags) == len(named)
    assert all(len(found & {"@MUST", "@SHOULD"}) == 1 for found in tags.values())
    should_rules = {f"@{rule.id}" for rule in load_catalog(FEATURES_DIR).rules if rule.severity == "SHOULD"}
    in_should_rules = {i for i, found in tags.items() if found & should_rules}
    assert {i for i, found in tags.items() if "@SHOULD" in found} == in_should_rules | {
        WARNING_SCENARIO,
        "bill_runs/after_canceling.feature::Invoice Settlement is disabled",
        "bill_runs/canceling_scheduled.feature::"
        "One occurrence has run, and all recurrences are canceled from the completed one",
        "orders/prerequisites.feature::"
        "The asynchronous order that asks for the write-off is turned down as a whole",
        "orders/prerequisites.feature::The Workflow feature is disabled",
        "orders/write_off.feature::The failure is reported and the cancellation stands",
        "orders/write_off.feature::"
        "With Invoice Item Settlement only the canceled subscription's part is written off",
    }


def test_the_report_shows_severities_and_the_warning_apart(warned: Path) -> None:
    """report.html and report.md badge severities, label decisions and list the warning apart."""
    page = (warned / "report.html").read_text(encoding="utf-8")
    assert '<section id="warnings"><h2>Warnings (SHOULD)</h2>' in page
    assert 'data-severity="SHOULD" data-outcomes="failed warning"' in page
    assert '<span class="badge severity SHOULD">SHOULD</span>Decision (SHOULD): a posted credit memo' in page
    assert '<span class="badge conforms">conforms</span>' in page
    text = (warned / "report.md").read_text(encoding="utf-8")
    assert "## Warnings (SHOULD)" in text
    assert "- Its credit memo has been posted [SHOULD]: **FAILED** (warning)" in text
    assert "Decision (SHOULD): a posted credit memo blocks" in text


def test_the_docs_show_severities_without_results() -> None:
    """Without results the page still badges every rule and decision with its severity."""
    page = render_html(CATALOG, [])
    assert page.count('<span class="badge severity MUST">MUST</span>') >= len(CATALOG.rules)
    assert "Decision (MUST): the document allows deleting a canceled bill run" in page
    assert "Severity: MUST" in render_markdown(CATALOG, [])


def test_the_reports_show_a_broken_wire_contract_and_deliberately_negative_requests() -> None:
    """A broken wire contract is shown apart from the rules; a deliberate request is labelled as such."""
    example = EXAMPLES / "wire-contract-broken-with-a-deliberate-request.json"
    results = _json(example)
    errored = results["rules"][0]["scenarios"][0]
    errored["exchanges"][0]["deliberate"] = "the scenario's negative case: $.amount: a negative amount"
    page = render_html(CATALOG, [results])
    assert '<section id="wire-contract"' in page
    assert "<code>get invoice</code> at <code>$.balance</code>" in page
    assert "Wire contract broken: get invoice at $.balance" in page
    assert "deliberately negative request: the scenario&#x27;s negative case" in page
    assert '<span class="badge does-not-conform">does not conform</span>' in page
    text = render_markdown(CATALOG, [results])
    assert "> **Wire contract broken** (http://127.0.0.1:39885): `get invoice` at `$.balance`" in text


def test_two_targets_differ_where_only_one_has_a_warning(warned: Path, tmp_path: Path) -> None:
    """In the matrix a rule that holds with a SHOULD warning on one target differs from a plain hold."""
    reference = run_results(tmp_path / "reference", "inprocess", "--rule=BR-CANCEL-POSTED-INVOICE")
    both = [reference, _json(warned / "conformance.json")]
    page = render_html(CATALOG, both)
    assert '<tr class="differs" data-rule="BR-CANCEL-POSTED-INVOICE">' in page
    assert "| BR-CANCEL-POSTED-INVOICE (differs) | holds | holds (warning) |" in render_markdown(
        CATALOG, both
    )
