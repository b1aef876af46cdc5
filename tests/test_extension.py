"""A project's own scenarios on the kit's steps (issue 25, item 3; docs/extending.md): an example
project built in a temporary folder against the kit installed from its wheel, with one rule of
its own and one scenario written in the kit's step sentences, run against the reference
in-process (beside the kit's suite) and over HTTP (``billing-conformance serve``), its rule in
the per-rule summary and, as the project's own rule, in the page ``docs`` builds."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from tests.wheel_support import call, installed

__all__ = ["installed"]  # the fixture, from tests/wheel_support.py

CONFTEST = '''"""The kit's step library, targets and conformance plugin, for this project's features."""
pytest_plugins = ["billing_conformance.kit"]
'''
TESTS = """from billing_conformance.kit import scenarios
scenarios("features")
"""
FEATURE = """@acme
Feature: Acme's own rules, on the kit's steps

  Background:
    Given the tenant has Invoice Settlement enabled

  @ACME-HALF-OF-APRIL
  Rule: A subscription canceled on the 16th of April is credited for half of the month
    Source: "Acme billing handbook", section 4.2 (cancellations in the middle of a month)

    Example: Canceled on day 16 of April
      Given today is 2026-04-01
      And the customer "Acme" subscribes to "Basic Monthly" from 2026-04-01
      And "Acme" has been issued an invoice of 30.00 USD on 2026-04-01
      When <cancels>
      Then the final credit memo of "Acme" amounts to <credited>
"""
CANCELS = (
    '"Acme" cancels the "Basic Monthly" subscription as of 2026-04-16 '
    "with a final invoice and writes off unpaid invoices"
)
RULE = "HOLDS   ACME-HALF-OF-APRIL"


def _project(home: Path, credited: str = "15.00 USD") -> Path:
    (home / "features").mkdir(parents=True)
    (home / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (home / "test_acme.py").write_text(TESTS, encoding="utf-8")
    (home / "pytest.ini").write_text("[pytest]\naddopts = --strict-markers\n", encoding="utf-8")
    feature = FEATURE.replace("<credited>", credited).replace("<cancels>", CANCELS)
    (home / "features" / "acme.feature").write_text(feature, encoding="utf-8")
    return home


def _results(folder: Path) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    return found


def _rule(results: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(rule for rule in results["rules"] if rule["id"] == rule_id)


def test_a_projects_own_rule_runs_on_the_kits_steps_from_the_wheel_in_process_and_over_http(
    installed: Path, tmp_path: Path
) -> None:
    home = _project(tmp_path / "acme")
    python = str(installed / "python")
    kit_rules = load_catalog(FEATURES_DIR).rules

    # In-process, beside the kit's own suite: one session, one summary.
    both = call(
        [python, "-m", "pytest", "-q", "--pyargs", "billing_conformance.features", "test_acme.py",
         "--target", "inprocess", "--results", "results/inprocess"],
        home,
    )  # fmt: skip
    assert both.returncode == 0, both.stdout[-3000:] + both.stderr[-3000:]
    assert re.search(rf"^{RULE} +1 passed +A subscription canceled on the 16th", both.stdout, re.MULTILINE)
    assert f"{len(kit_rules) + 1} rules: {len(kit_rules) + 1} hold" in both.stdout
    results = _results(home / "results" / "inprocess")
    assert _rule(results, "ACME-HALF-OF-APRIL")["verdict"] == "holds"
    assert _rule(results, "ACME-HALF-OF-APRIL")["source"].startswith('"Acme billing handbook"')
    assert _rule(results, "BR-DELETE")["verdict"] == "holds"
    assert results["summary"]["verdict"] == "conforms"

    # Over HTTP, the project's features alone, against the reference served from the wheel.
    server = subprocess.Popen(
        [str(installed / "billing-conformance"), "serve", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert url is not None, line
        http = call(
            [python, "-m", "pytest", "-q", "--target", url.group(0), "--results", "results/http"], home
        )
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert http.returncode == 0, http.stdout[-3000:] + http.stderr[-3000:]
    assert re.search(rf"^{RULE} +1 passed", http.stdout, re.MULTILINE)
    over_http = _results(home / "results" / "http")
    assert [rule["id"] for rule in over_http["rules"]] == ["ACME-HALF-OF-APRIL"]
    assert _rule(over_http, "ACME-HALF-OF-APRIL")["scenarios"][0]["requests"] > 0  # it went over the wire

    # The living documentation: the project's rule beside the kit's, as the project's own.
    docs = call(
        [str(installed / "billing-conformance"), "docs", "--results", "results/inprocess",
         "--results", "results/http", "--features", "features", "--out", "results/docs"],
        home,
    )  # fmt: skip
    assert docs.returncode == 0, docs.stderr
    page = (home / "results" / "docs" / "index.html").read_text(encoding="utf-8")
    article = page.split('<article class="rule" id="ACME-HALF-OF-APRIL"', 1)[1].split("</article>", 1)[0]
    assert "the project&#39;s own rule" in article or "the project's own rule" in article
    assert 'data-verdicts="holds"' in page.split('id="ACME-HALF-OF-APRIL"', 1)[1][:400]
    assert "Canceled on day 16 of April" in article
    assert '<article class="rule" id="BR-DELETE"' in page
    # Every kit rule keeps its row of the evidence table; the project's rule needs none.
    assert page.count('<span class="zuora-evidence"') == len(kit_rules)
    markdown = (home / "results" / "docs" / "index.md").read_text(encoding="utf-8")
    assert "### ACME-HALF-OF-APRIL: A subscription canceled on the 16th of April" in markdown
    assert "The project's own rule." in markdown


def test_a_projects_own_rule_is_judged_like_the_kits(installed: Path, tmp_path: Path) -> None:
    """The same scenario expecting a wrong credit: the project's rule is broken, in its own words."""
    home = _project(tmp_path / "acme", credited="16.00 USD")
    done = call([str(installed / "python"), "-m", "pytest", "-q", "--target", "inprocess"], home)
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert re.search(r"^BROKEN  ACME-HALF-OF-APRIL", done.stdout, re.MULTILINE)
    failures = done.stdout.split("= FAILURES =", 1)[1].split("= conformance by rule =", 1)[0]
    assert "_ test_ACME_HALF_OF_APRIL__canceled_on_day_16_of_april _" in failures
    assert (
        'step: Then the final credit memo of "Acme" amounts to 16.00 USD  (features/acme.feature:' in failures
    )
    assert "kwargs = " not in failures
    # Its re-run command (pytest's, which knows the project's features) reproduces it from elsewhere.
    again = shlex.split(failures.split("again: ", 1)[1].splitlines()[0])
    assert again[1:3] == ["-m", "pytest"]
    rerun = call(again, tmp_path)
    assert rerun.returncode == 1, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert re.search(r"^BROKEN  ACME-HALF-OF-APRIL", rerun.stdout, re.MULTILINE)
    assert "1 failed in" in rerun.stdout
