"""The kit's suite under plain pytest, as ``billing-conformance run`` runs it.

* A failed scenario is told in the kit's words: its rule and name, the step that failed with
  its place in the feature, the message in the feature's words and the command that runs it
  again; no Python repr and no framework frame. pytest's own traceback is kept when ``--tb`` is
  given (``run --traceback`` gives ``--tb=long``), and for any test that is not a scenario.
* pytest's cache (``--lf``, ``--ff``, ``--sw``) lives in the results folder,
  ``<--results>/.pytest-cache``, as under ``run``, unless ``-o cache_dir=...`` says otherwise;
  without ``--results`` it stays where pytest puts it.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from pathlib import Path

import pytest

from billing_conformance.kit import CACHE_FOLDER
from billing_conformance.recording import RECORD_KEY
from billing_conformance.terminal import failure_lines, scenario_line
from billing_conformance.verdicts import ERRORED, FAILED

__all__ = ["pytest_configure", "pytest_runtest_makereport", "told"]


@pytest.hookimpl(tryfirst=True)  # before the cache provider reads cache_dir
def pytest_configure(config: pytest.Config) -> None:
    results = config.getoption("--results", default=None)
    overridden = any(str(o).startswith("cache_dir=") for o in config.option.override_ini or ())
    if results and not overridden:
        config._inicache["cache_dir"] = str(Path(results).resolve() / CACHE_FOLDER)


def told(record: dict[str, object]) -> str:
    """The failure of ``record``'s scenario in the kit's words (as ``run`` prints it)."""
    head, _ = scenario_line(record, fancy=False)
    return "\n".join([head, *failure_lines(record)])


@pytest.hookimpl(wrapper=True, tryfirst=True)  # outermost: the record is in the report by then
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if not report.failed or item.config.option.tbstyle != "auto":
        return report
    found = dict(report.user_properties).get(RECORD_KEY)
    if found is None:
        return report
    record = json.loads(str(found))
    if record.get("outcome") in (FAILED, ERRORED):
        report.longrepr = told(record)
    return report
