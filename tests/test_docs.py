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
from billing_conformance.report.evidence import (
    EVIDENCE_FILE,
    EVIDENCE_NAME,
    anchor,
    read_evidence,
    rows_by_key,
)
from tests.report_support import (
    Element,
    parse_html,
    run_results,
    with_shared_feature,
)

CATALOG = load_catalog(FEATURES_DIR)


@pytest.fixture(scope="module")
def two_targets(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    base = tmp_path_factory.mktemp("two")
    return [
        run_results(base / "reference", "inprocess"),
        run_results(base / "vendor", "inprocess:tests.known_bad:LeavesCreditMemosUncanceled"),
    ]


@pytest.fixture(scope="module")
def outline_broken(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """The reference, and a variant that breaks one example row of an outline (the one-off run)."""
    base = tmp_path_factory.mktemp("outline")
    return [
        run_results(base / "reference", "inprocess"),
        run_results(base / "vendor", "inprocess:tests.known_bad:RefusesCancelingPendingOneOffRuns"),
    ]


def _rule(page: Element, rule_id: str) -> Element:
    return page.find("article", "rule", id=rule_id)


def _words(text: str) -> str:
    return " ".join(text.split())


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
    (command,) = set(re.findall(r"-m billing_conformance run [^<]*--rule BR-CANCEL-CREDIT-MEMOS", page))
    assert " --target " in command


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
    assert "<strong>none checked</strong>" in page  # never a bare percentage


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


def test_the_docs_link_each_rule_to_its_row_of_evidence_and_show_its_verdict(tmp_path: Path) -> None:
    """The table is copied beside the page; each rule's link lands on an anchor of that copy, and
    the rule shows the verdict of its row (documented, implied, or the kit's decision)."""
    assert main(["docs", "--out", str(tmp_path)]) == 0
    table = (tmp_path / EVIDENCE_NAME).read_text(encoding="utf-8")
    assert table == EVIDENCE_FILE.read_text(encoding="utf-8")
    rows = rows_by_key(read_evidence(table))
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', table))
    page = parse_html((tmp_path / "index.html").read_text(encoding="utf-8"))
    markdown = (tmp_path / "index.md").read_text(encoding="utf-8")
    for rule in CATALOG.rules:
        shown = _rule(page, rule.id).find("span", "zuora-evidence")
        link = shown.find("a").attrs["href"]
        assert link == f"{EVIDENCE_NAME}#{anchor(rule.id)}"
        assert link.partition("#")[2] in anchors
        assert shown.attrs["data-verdict"] == rows[rule.id].kind_id
        assert _words(shown.find("a").text) == _words(rows[rule.id].plain_verdict)
        assert f"Zuora's word: [{rows[rule.id].plain_verdict}]({link})" in markdown
    kinds = {_rule(page, r.id).find("span", "zuora-evidence").attrs["data-verdict"] for r in CATALOG.rules}
    assert {"documented", "implied"} <= kinds


def test_without_evidence_a_page_shows_no_verdict_of_zuoras_word() -> None:
    """A run's own report (no evidence given) is unchanged: no link to a table that is not there."""
    assert 'class="zuora-evidence"' not in render_html(CATALOG, [])
    assert "Zuora's word" not in render_markdown(CATALOG, [])


def test_each_feature_shows_its_title_description_background_and_decisions(tmp_path: Path) -> None:
    catalog = load_catalog(with_shared_feature(tmp_path))
    page = parse_html(render_html(catalog, []))
    sections = page.find_all("section", "feature")
    features = [f for f in catalog.features if not f.shared]
    assert [s.attrs["data-feature"] for s in sections] == [f.path for f in features]
    for feature, section in zip(features, sections, strict=True):
        assert section.find("h2").text.startswith(feature.name)
        prose = _words(" ".join(p.text for p in section.find_all("p", "prose")))
        assert _words(feature.description) in prose
        steps = [_words(li.text) for li in section.find_all("li", "step")[: len(feature.background)]]
        assert steps == list(feature.background)
        decisions = [_words(li.text) for li in section.find_all("li", "decision")]
        assert all(f"{d.severity}Decision ({d.severity}): {d.text}" in decisions for d in feature.decisions)
        rules = [a.attrs["id"] for a in section.find_all("article", "rule")]
        assert rules == [r.id for r in catalog.rules if r.feature == feature.path]
    assert any(f.decisions for f in features)
    assert any(f.background for f in features)


def test_the_kits_shared_decisions_head_the_page() -> None:
    """The decisions ``features/shared.feature`` states for every rule, once, before any feature."""
    assert CATALOG.shared_decisions
    text = render_html(CATALOG, [])
    shared = parse_html(text).find("section", id="shared-decisions")
    decisions = [_words(li.text) for li in shared.find_all("li", "decision")]
    assert decisions == [f"{d.severity}Decision ({d.severity}): {d.text}" for d in CATALOG.shared_decisions]
    assert text.index('id="shared-decisions"') < text.index('class="feature"')


def test_shared_decisions_are_shown_once_at_the_top_and_not_as_an_empty_feature(tmp_path: Path) -> None:
    catalog = load_catalog(with_shared_feature(tmp_path))
    assert len(catalog.shared_decisions) == 2
    text = render_html(catalog, [])
    page = parse_html(text)
    shared = page.find("section", id="shared-decisions")
    decisions = [_words(li.text) for li in shared.find_all("li", "decision")]
    assert decisions == [f"{d.severity}Decision ({d.severity}): {d.text}" for d in catalog.shared_decisions]
    assert "shared.feature" not in [s.attrs["data-feature"] for s in page.find_all("section", "feature")]
    assert text.count(html.escape(catalog.shared_decisions[0].text)) == 1
    assert text.index('id="shared-decisions"') < text.index('class="feature"')
    markdown = render_markdown(catalog, [])
    assert "## Decisions for every rule" in markdown
    assert f"Decision (MUST): {catalog.shared_decisions[0].text}" in markdown


def test_a_rule_shows_its_description_and_its_own_background(tmp_path: Path) -> None:
    feature = tmp_path / "described.feature"
    feature.write_text(
        "Feature: Described\n"
        "  @AB-DESCRIBED\n  Rule: A rule with prose\n"
        "    Why this rule matters, in a sentence.\n\n"
        '    Source: "Doc", intro\n\n'
        "    Background:\n      Given the rule's own setup\n\n"
        "    Example: It holds\n      Then it holds\n",
        encoding="utf-8",
    )
    catalog = load_catalog(tmp_path, [feature])
    rule = _rule(parse_html(render_html(catalog, [])), "AB-DESCRIBED")
    assert "Why this rule matters, in a sentence." in [p.text for p in rule.find_all("p", "prose")]
    background = rule.find("div", "background", data_background="rule")
    assert [_words(li.text) for li in background.find_all("li")] == ["Given the rule's own setup"]


def test_each_scenario_has_its_title_before_its_steps() -> None:
    text = render_html(CATALOG, [])
    page = parse_html(text)
    for rule in CATALOG.rules:
        entries = _rule(page, rule.id).find_all("section", "scenario-entry")
        assert len(entries) == len(rule.scenarios)
        for entry in entries:
            children = [c for c in entry.iter() if c.tag in ("h4", "ol")]
            assert children[0].tag == "h4"
            assert "scenario-title" in children[0].classes
    scenario = CATALOG.rules[0].scenarios[0]
    title = text.index(html.escape(scenario.name))
    assert title < text.index(html.escape(scenario.steps[0].split(" ", 1)[1]), title)


def test_an_outline_shows_its_examples_with_a_result_per_row_and_target(
    outline_broken: list[dict[str, Any]],
) -> None:
    page = parse_html(render_html(CATALOG, outline_broken))
    rule = _rule(page, "BR-CANCEL-PENDING")
    (table,) = rule.find_all("table", "examples")
    head = [th.text for th in table.find_all("th")]
    assert head == ["repeat", *(r["target"] for r in outline_broken)]
    rows = [[_words(td.text) for td in tr.find_all("td")] for tr in table.find_all("tr", "example-row")]
    assert rows == [
        ["once", "passed", "failed"],
        ["daily", "passed", "passed"],
        ["weekly", "passed", "passed"],
        ["monthly", "passed", "passed"],
    ]
    for tr in table.find_all("tr", "example-row"):
        assert rule.find("details", "scenario", id=tr.attrs["data-run"])
    outlines = sum(bool(s.examples) for r in CATALOG.rules for s in r.scenarios)
    assert len(page.find_all("table", "examples")) == outlines


def test_each_step_shows_its_status_and_the_failed_step_its_message(
    two_targets: list[dict[str, Any]],
) -> None:
    page = parse_html(render_html(CATALOG, two_targets))
    rule = _rule(page, "BR-CANCEL-CREDIT-MEMOS")
    failed = [run for run in rule.find_all("details", "scenario") if "failed" in run.attrs["data-outcomes"]]
    assert len(failed) == 1
    steps = failed[0].find_all("li", "step")
    record = next(
        s
        for r in two_targets[1]["rules"]
        if r["id"] == "BR-CANCEL-CREDIT-MEMOS"
        for s in r["scenarios"]
        if s["outcome"] == "failed"
    )
    assert [_words(f"{s['keyword']} {s['text']}") for s in record["steps"]] == [
        _words(li.find("span", "keyword").text + " " + li.find("span", "text").text) for li in steps
    ]
    assert [li.attrs["data-statuses"] for li in steps] == [f"passed {s['status']}" for s in record["steps"]]
    (marked,) = [li for li in steps if "failed-step" in li.classes]
    assert record["failedStep"]["text"] in marked.text
    status = [s.text for s in marked.find_all("span", "status")]
    names = [t["target"] for t in two_targets]
    assert [_words(x) for x in status] == [f"\u2713 {names[0]}: passed", f"\u2717 {names[1]}: failed"]
    (message,) = marked.find_all("pre", "message")
    assert record["message"].splitlines()[0] in message.text


def test_the_header_names_each_run_its_date_and_kit_version(two_targets: list[dict[str, Any]]) -> None:
    page = parse_html(render_html(CATALOG, two_targets))
    rows = page.find("table", id="summary").find_all("tr", "target")
    assert [r.find("td").text for r in rows] == [t["target"] for t in two_targets]
    assert [r.find("time").attrs["datetime"] for r in rows] == [t["startedAt"] for t in two_targets]
    assert [r.find("td", "kit-version").text for r in rows] == [t["kitVersion"] for t in two_targets]


def test_the_matrix_states_each_rule_and_the_page_carries_what_the_filters_need(
    two_targets: list[dict[str, Any]],
) -> None:
    page = parse_html(render_html(CATALOG, two_targets))
    matrix = {
        tr.attrs["data-rule"]: tr for tr in page.find("table", id="matrix").iter() if "data-rule" in tr.attrs
    }
    assert list(matrix) == [r.id for r in CATALOG.rules]
    for rule in CATALOG.rules:
        assert matrix[rule.id].find("td", "statement").text == rule.statement
        article = _rule(page, rule.id)
        assert article.attrs["data-severity"] == rule.severity
        assert article.attrs["data-differs"] == ("yes" if rule.id == "BR-CANCEL-CREDIT-MEMOS" else "no")
    assert _rule(page, "BR-CANCEL-CREDIT-MEMOS").attrs["data-verdicts"] == "holds broken"
    for control in (
        "outcome-filter",
        "verdict-filter",
        "severity-filter",
        "tag-filter",
        "search",
        "only-differences",
    ):
        assert page.find(id=control)
