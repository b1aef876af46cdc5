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
from billing_conformance.report.evidence import EVIDENCE_FILE, read_evidence, rows_by_key
from tests.report_support import reviewed_targets, run_results, with_shared_feature

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
    """The ``data-rule`` of each element matching ``selector`` that the browser shows (the
    matrix's rows: that it would show in its view, the filters leaving them in)."""
    found: list[str] = page.locator(selector).evaluate_all(
        "els => els.filter(e => e.closest('#view-matrix') ? !e.classList.contains('hidden')"
        " : e.offsetParent !== null).map(e => e.dataset.rule)"
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
            assert step.locator(".status").all_inner_texts() == ["\u2713 passed"]  # both agree
            run.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "outline.png"), full_page=False)

            assert _visible(page, "#matrix tr[data-rule]") == rules
            page.check("#only-differences")
            assert _visible(page, "#matrix tr[data-rule]") == ["BR-CANCEL-PENDING"]
            assert _visible(page, "article.rule") == ["BR-CANCEL-PENDING"]
            assert page.locator("#visible-count").inner_text() == "1 rule shown"
            page.uncheck("#only-differences")

            page.select_option("#severity-filter", "SHOULD")
            assert _visible(page, "#matrix tr[data-rule]") == should
            assert _visible(page, "article.rule") == should
            assert page.locator(".scenario[data-severity=MUST]:visible").count() == 0
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


def _bar_bottom(page: Page) -> float:
    box = page.locator("#filters").bounding_box()
    assert box is not None
    return float(box["y"] + box["height"])


def _top(page: Page, selector: str) -> float:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return float(box["y"])


def test_a_reviewer_reads_two_targets_folded_navigates_by_link_and_shares_a_filtered_view(
    tmp_path: Path,
) -> None:
    """In-process and over HTTP (a rule broken, scheduled bill runs not applicable): the page as
    first opened within 15,000 px at 1400 px wide; a rule permalink lands below the sticky bar; a
    not-applicable run has no failure mark and no re-run; the filters and the view survive a
    reload and the back button; no sideways scrolling at 390 px. Screenshots in tmp_path."""
    results = reviewed_targets(tmp_path / "runs")
    evidence = rows_by_key(read_evidence(EVIDENCE_FILE.read_text(encoding="utf-8")))
    page_file = tmp_path / "index.html"
    page_file.write_text(render_html(load_catalog(FEATURES_DIR), results, evidence), encoding="utf-8")
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(page_file.as_uri())
            height = page.evaluate("document.documentElement.scrollHeight")
            assert 3000 < height <= 15_000
            page.screenshot(path=str(shots / "first-opened-1400.png"))
            assert page.locator("details.scenario[open]").count() == 1  # the one failure
            assert page.locator("#toc").is_visible()

            page.goto(page_file.as_uri() + "#BR-CANCEL-PAUSED")
            heading = "#BR-CANCEL-PAUSED > h3"
            assert page.locator(heading).is_visible()
            assert _bar_bottom(page) <= _top(page, heading) < 900
            page.screenshot(path=str(shots / "permalink.png"))
            page.locator('#toc a[href="#BR-CANCEL-CREDIT-MEMOS"]').click()
            page.wait_for_function("location.hash === '#BR-CANCEL-CREDIT-MEMOS'")
            assert _bar_bottom(page) <= _top(page, "#BR-CANCEL-CREDIT-MEMOS > h3") < 900

            na = page.locator("details.scenario[data-outcomes~=not-applicable]").first
            assert na.get_attribute("open") is None
            na.locator("> summary").click()
            assert na.locator("> ol.steps > li.step").first.is_visible()
            assert (
                na.locator("> summary .reason.not-applicable")
                .inner_text()
                .endswith("the target does not offer scheduled bill runs")
            )
            assert na.locator(".failed, .failed-step, .mark.failed, code.rerun, button.copy").count() == 0
            assert "failed" not in na.inner_text()
            na.scroll_into_view_if_needed()
            page.screenshot(path=str(shots / "not-applicable.png"))

            passed = page.locator(
                "details.scenario[data-outcomes='passed passed']:has(details.exchanges)"
            ).first
            passed.locator("> summary").click()
            passed.locator("details.exchanges > summary").click()
            passed.locator("details.exchange").first.wait_for(state="attached")  # drawn from the JSON block
            assert passed.locator("details.exchange").count() == int(
                passed.locator("details.exchanges > summary").inner_text().split()[0]
            )

            page.goto(page_file.as_uri())
            page.select_option("#outcome-filter", "failed")
            page.fill("#search", "credit memo")
            assert page.evaluate("location.search") == "?outcome=failed&q=credit+memo"
            page.reload()
            assert page.input_value("#outcome-filter") == "failed"
            assert page.input_value("#search") == "credit memo"
            assert _shown(page) == 1
            assert page.locator("#visible-count").inner_text() == "1 rule shown"
            page.click("button[data-view=coverage]")
            assert page.locator("#view-coverage").is_visible()
            assert page.locator("#view-rules").is_hidden()
            page.reload()
            assert page.locator("#view-coverage").is_visible()
            assert page.locator("#view-coverage tr[data-rule]:visible").count() == 1
            page.screenshot(path=str(shots / "coverage-filtered.png"))
            page.go_back()
            assert page.locator("#view-rules").is_visible()
            assert page.input_value("#outcome-filter") == "failed"
            page.go_back()
            page.go_back()
            assert page.input_value("#outcome-filter") == ""
            assert _shown(page) == len(load_catalog(FEATURES_DIR).rules)

            page.emulate_media(media="print")
            assert page.locator("#filters").is_hidden()
            assert page.locator("#toc").is_hidden()
            assert page.locator("details.scenario.attention[open]").count() == 1
            page.emulate_media(media="screen")

            narrow = browser.new_page(viewport={"width": 390, "height": 844})
            narrow.goto(page_file.as_uri())
            sideways = narrow.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert sideways <= 0
            assert narrow.locator("#filters").bounding_box()["height"] < 120  # type: ignore[index]
            narrow.screenshot(path=str(shots / "narrow-390.png"))
            narrow.goto(page_file.as_uri() + "#BR-CANCEL-CREDIT-MEMOS")
            assert _bar_bottom(narrow) <= _top(narrow, "#BR-CANCEL-CREDIT-MEMOS > h3")
            assert narrow.evaluate("document.documentElement.scrollWidth") <= 390
            narrow.screenshot(path=str(shots / "narrow-failure.png"))
        finally:
            browser.close()
    assert all((shots / name).stat().st_size > 5_000 for name in ("first-opened-1400.png", "narrow-390.png"))
