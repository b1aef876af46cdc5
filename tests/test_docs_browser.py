"""The living documentation in a real browser: headless Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.report import render_html
from tests.report_support import run_results, with_shared_feature

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("CI must have Debian's chromium: .ci/run installs it", pytrace=False)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)"
)


def _shown(page: Page) -> int:
    return int(page.locator("article.rule:not(.hidden)").count())


def test_the_page_shows_every_rule_and_its_filters_and_search_work(tmp_path: Path) -> None:
    results = [
        run_results(tmp_path / "reference", "inprocess"),
        run_results(tmp_path / "vendor", "inprocess:tests.known_bad:CancelsPausedRuns"),
    ]
    page_file = tmp_path / "index.html"
    page_file.write_text(render_html(load_catalog(FEATURES_DIR), results), encoding="utf-8")
    screenshots = tmp_path / "screenshots"  # never into the checkout
    screenshots.mkdir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            rules = len(load_catalog(FEATURES_DIR).rules)
            assert page.locator("article.rule").count() == rules
            assert _shown(page) == rules
            assert page.locator("#visible-count").inner_text() == f"{rules} rules shown"
            assert page.locator("#matrix tr.differs").count() == 1

            page.select_option("#outcome-filter", "failed")
            assert _shown(page) == 1
            assert page.locator("article.rule:not(.hidden)").get_attribute("data-rule") == "BR-CANCEL-PAUSED"
            page.locator("article.rule:not(.hidden)").scroll_into_view_if_needed()
            page.screenshot(path=str(screenshots / "docs-failed-filter.png"), full_page=False)

            page.select_option("#outcome-filter", "")
            page.select_option("#tag-filter", "orders")
            assert _shown(page) == sum(r.id.startswith("WO-") for r in load_catalog(FEATURES_DIR).rules)

            page.select_option("#tag-filter", "")
            page.fill("#search", "paused")
            visible = page.locator("article.rule:not(.hidden)").evaluate_all(
                "els => els.map(e => e.dataset.rule)"
            )
            assert "BR-CANCEL-PAUSED" in visible
            assert 0 < len(visible) < rules
            page.fill("#search", "")
            assert _shown(page) == rules
            page.screenshot(path=str(screenshots / "docs.png"), full_page=False)
        finally:
            browser.close()
    assert (screenshots / "docs.png").stat().st_size > 10_000


def _visible(page: Page, selector: str) -> list[str]:
    """The ``data-rule`` of each element matching ``selector`` that the browser shows."""
    found: list[str] = page.locator(selector).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.rule)"
    )
    return found


def test_the_page_reads_as_documentation_and_filters_matrix_and_body_together(tmp_path: Path) -> None:
    """Background, feature and shared decisions, an outline's Examples with a result per row, each
    step's status, the failed step with its message; the filters and the only-differences toggle
    hide the same rules in the matrix and in the body."""
    catalog = load_catalog(with_shared_feature(tmp_path))
    results = [
        run_results(tmp_path / "reference", "inprocess"),
        run_results(tmp_path / "vendor", "inprocess:tests.known_bad:RefusesCancelingPendingOneOffRuns"),
    ]
    page_file = tmp_path / "index.html"
    page_file.write_text(render_html(catalog, results), encoding="utf-8")
    rules = [r.id for r in catalog.rules]
    should = [r.id for r in catalog.rules if any(s.severity == "SHOULD" for s in r.scenarios)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            shared = page.locator("#shared-decisions li.decision")
            assert shared.count() == 2
            assert shared.first.is_visible()
            assert "Decision (MUST): amounts are compared to the cent" in shared.first.inner_text()
            first = page.locator("section.feature").first
            assert first.locator(".background-steps li").first.is_visible()
            assert first.locator(".feature-decisions li.decision").first.is_visible()
            assert "shared.feature" not in page.locator("section.feature").evaluate_all(
                "els => els.map(e => e.dataset.feature)"
            )

            rule = page.locator("#BR-CANCEL-PENDING")
            rows = rule.locator("table.examples tr.example-row")
            assert rows.count() == 4
            assert rows.nth(0).locator("td").all_inner_texts() == ["once", "passed", "failed"]
            assert rows.nth(1).locator("td").all_inner_texts() == ["daily", "passed", "passed"]
            rows.nth(0).locator("a").click()
            run = page.locator(f"#{rows.nth(0).get_attribute('data-run')}")
            assert run.is_visible()
            failed = run.locator("li.step.failed-step")
            assert failed.count() == 1
            assert failed.is_visible()
            assert (
                "\u2717 inprocess:tests.known_bad:RefusesCancelingPendingOneOffRuns: failed"
                in failed.inner_text()
            )
            assert failed.locator("pre.message").is_visible()
            assert "expected the cancellation" in failed.locator("pre.message").inner_text()
            step = run.locator("li.step:not(.background)").first
            assert step.locator(".status").first.inner_text() == "\u2713 inprocess: passed"
            run.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "outline.png"), full_page=False)

            assert _visible(page, "#matrix tr[data-rule]") == rules
            page.check("#only-differences")
            assert _visible(page, "#matrix tr[data-rule]") == ["BR-CANCEL-PENDING"]
            assert _visible(page, "article.rule") == ["BR-CANCEL-PENDING"]
            assert page.locator("#visible-count").inner_text() == "1 rules shown"
            page.uncheck("#only-differences")

            page.select_option("#severity-filter", "SHOULD")
            assert _visible(page, "#matrix tr[data-rule]") == should
            assert _visible(page, "article.rule") == should
            assert page.locator("div.scenario[data-severity=MUST]:visible").count() == 0
            page.select_option("#severity-filter", "")

            page.select_option("#verdict-filter", "broken")
            assert _visible(page, "#matrix tr[data-rule]") == ["BR-CANCEL-PENDING"]
            page.select_option("#verdict-filter", "")

            page.select_option("#outcome-filter", "failed")
            assert rows.nth(0).is_visible()
            assert rows.nth(1).is_hidden()
            page.select_option("#outcome-filter", "")

            page.fill("#search", "pending")
            shown = _visible(page, "article.rule")
            assert "BR-CANCEL-PENDING" in shown
            assert 0 < len(shown) < len(rules)
            assert _visible(page, "#matrix tr[data-rule]") == shown
            page.fill("#search", "")
            page.select_option("#tag-filter", "bill-runs")
            assert _visible(page, "#matrix tr[data-rule]") == [r for r in rules if r.startswith("BR-")]
            assert page.locator("section.feature[data-feature^='orders/']:visible").count() == 0
        finally:
            browser.close()
