"""The living documentation: rules, scenarios and outcomes, one page, side by side."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.cli import main
from billing_conformance.report import render_html, render_markdown
from tests.report_support import run_results

CATALOG = load_catalog(FEATURES_DIR)


@pytest.fixture(scope="module")
def two_targets(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    base = tmp_path_factory.mktemp("two")
    return [
        run_results(base / "reference", "inprocess"),
        run_results(base / "vendor", "inprocess:tests.known_bad:LeavesCreditMemosUncanceled"),
    ]


def test_without_results_the_page_still_documents_every_rule_and_scenario() -> None:
    page = render_html(CATALOG, [])
    assert page.count('<article class="rule"') == len(CATALOG.rules)
    for rule in CATALOG.rules:
        assert f'id="{rule.id}"' in page
        assert all(html.escape(scenario.name) in page for scenario in rule.scenarios)
    assert "Documentation only" in page
    assert not re.search(r'class="badge (passed|failed|errored|not-applicable|holds|broken|warning)', page)


def test_the_page_needs_no_network() -> None:
    """Self-contained: no external script, style sheet, font or image."""
    page = render_html(CATALOG, [])
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "@import" not in page


def test_two_targets_side_by_side_highlight_where_they_differ(two_targets: list[dict[str, Any]]) -> None:
    page = render_html(CATALOG, two_targets)
    assert 'id="matrix"' in page
    differing = re.findall(r'<tr class="differs" data-rule="([A-Z-]+)">', page)
    assert differing == ["BR-CANCEL-CREDIT-MEMOS"]
    rules = len(CATALOG.rules)
    assert f"1 of {rules} rules differ" in page
    assert "100%" in page
    must = sum(rule.severity == "MUST" for rule in CATALOG.rules)
    assert f"{100 * (must - 1) / must:.0f}%" in page


def test_a_failure_shows_its_step_what_was_observed_and_a_rerun_command(
    two_targets: list[dict[str, Any]],
) -> None:
    page = render_html(CATALOG, two_targets)
    assert "Step that failed" in page
    assert "the credit memo of &quot;Globex&quot; is canceled" in page
    assert 'class="rerun"' in page
    assert "billing-conformance run --target" in page


def test_not_applicable_is_shown_apart_from_passed() -> None:
    results = {
        "target": "vendor",
        "summary": {
            "verdict": "conforms",
            "rules": 1,
            "must": {"rules": 1, "holds": 0, "broken": 0, "errored": 0, "notApplicable": 1, "notRun": 0},
            "should": {"rules": 0, "holds": 0, "warning": 0, "errored": 0, "notApplicable": 0, "notRun": 0},
            "warnings": 0,
            "wireContract": "holds",
            "scenarios": {},
        },
        "rules": [{"id": CATALOG.rules[0].id, "verdict": "not applicable", "scenarios": []}],
    }
    page = render_html(CATALOG, [results])
    assert '<span class="badge not-applicable">vendor: not applicable</span>' in page
    assert "<strong>n/a</strong>" in page


def test_rules_without_scenarios_and_scenarios_without_rules_are_flagged(tmp_path: Path) -> None:
    feature = tmp_path / "loose.feature"
    feature.write_text(
        "Feature: Loose\n  Scenario: Lost\n    Given something\n"
        "  @AB-EMPTY\n  Rule: A rule nobody tests\n    Source: Doc\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, [feature])
    page = render_html(catalog, [])
    assert "This rule has no scenario." in page
    assert "belongs to no rule" in page
    assert "Catalog problem" in render_markdown(catalog, [])


def test_the_markdown_version_has_the_summary_matrix_and_rules(two_targets: list[dict[str, Any]]) -> None:
    text = render_markdown(CATALOG, two_targets)
    assert "| Target | MUST rules that hold |" in text
    assert "| BR-CANCEL-CREDIT-MEMOS (differs) | holds | **BROKEN** |" in text
    assert text.count("```gherkin") >= len(CATALOG.rules)


def test_the_docs_command_writes_both_versions(tmp_path: Path) -> None:
    assert main(["docs", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "index.html").exists()
    assert (tmp_path / "index.md").exists()
    assert main(["docs", "--results", str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
