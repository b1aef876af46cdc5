"""The living documentation in a real browser: headless Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.catalog import load_catalog
from billing_conformance.report import render_html
from tests.report_support import run_results

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
    screenshots = PROJECT_ROOT / "results" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
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
