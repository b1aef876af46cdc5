"""Plain pytest runs the kit's suite as ``billing-conformance run`` does (issue 25, item 1):
``pytest --pyargs billing_conformance.features --target ...`` through the kit's ``pytest11``
entry point, from a folder that is not the checkout, with no conftest.py of ours there.

``--lf`` re-runs only what failed, its cache kept with the results; a rule ID is a marker; a
failure is told in the kit's words, with no Python repr and no framework frame; test ids name
the rule and the scenario. Where the kit is merely installed, the entry point stays inert.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from billing_conformance import PROJECT_ROOT

KNOWN_BAD = "inprocess:tests.known_bad:CancelsPausedRuns"


def _pytest(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pytest ARGS`` in ``cwd``, where only the checkout's known-bad variants are
    importable besides what is installed (as ``run --import-path`` would make them)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _suite(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _pytest(cwd, "--pyargs", "billing_conformance.features", "-q", *args)


def _ran(folder: Path) -> dict[str, list[str]]:
    results: dict[str, Any] = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    return {
        rule["id"]: [s["outcome"] for s in rule["scenarios"]]
        for rule in results["rules"]
        if rule["scenarios"]
    }


def _failures(output: str) -> str:
    """pytest's FAILURES section of ``output``."""
    assert "= FAILURES =" in output, output[-3000:]
    return output.split("= FAILURES =", 1)[1].split("= conformance by rule =", 1)[0]


def test_plain_pytest_reruns_only_the_failed_scenario_with_the_cache_beside_the_results(
    tmp_path: Path,
) -> None:
    full = _suite(tmp_path, "--target", KNOWN_BAD, "--results", "out")
    assert full.returncode == 1, full.stdout[-3000:] + full.stderr[-3000:]
    assert "= conformance by rule =" in full.stdout
    assert "BROKEN  BR-CANCEL-PAUSED" in full.stdout
    assert sum(map(len, _ran(tmp_path / "out").values())) == 114
    assert (tmp_path / "out" / "report.html").is_file()

    again = _suite(tmp_path, "--target", KNOWN_BAD, "--results", "out", "--lf")
    assert again.returncode == 1, again.stdout[-3000:]
    assert _ran(tmp_path / "out") == {"BR-CANCEL-PAUSED": ["failed"]}
    assert "1 failed, 113 deselected" in again.stdout
    assert (tmp_path / "out" / ".pytest-cache").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .pytest_cache, nothing else


def test_a_failure_under_plain_pytest_is_told_in_the_kits_words_without_repr_or_frames(
    tmp_path: Path,
) -> None:
    done = _suite(tmp_path, "--target", KNOWN_BAD, "-m", "BR_CANCEL_PAUSED")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    failures = _failures(done.stdout)
    # The test id names the rule and the scenario.
    assert "_ test_BR_CANCEL_PAUSED__the_schedule_is_paused _" in failures
    assert "FAILED  BR-CANCEL-PAUSED               The schedule is paused" in failures
    assert (
        "step: Then the cancellation is refused because a business rule forbids it  "
        "(bill_runs/canceling_scheduled.feature:20)"
    ) in failures
    assert "expected the cancellation to be refused, but it was accepted" in failures
    assert " -m billing_conformance run " in failures.split("again: ", 1)[1]
    for framework in ("kwargs = ", "CancelView(", "BillRunView(", "pytest_bdd", "def ", "Traceback", ".py:"):
        assert framework not in failures, framework
    # pytest's own traceback is still there for whoever asks for one.
    asked = _suite(tmp_path, "--target", KNOWN_BAD, "-m", "BR_CANCEL_PAUSED", "--tb=long")
    assert "steps/support.py:" in _failures(asked.stdout)


def test_a_rule_id_selects_its_scenarios_under_plain_pytest(tmp_path: Path) -> None:
    done = _suite(tmp_path, "--results", "out", "-m", "BR-DELETE or WO_PARTLY_PAID")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert set(_ran(tmp_path / "out")) == {"BR-DELETE", "WO-PARTLY-PAID"}
    assert "partial" in done.stdout


def test_test_ids_name_the_rule_and_the_scenario(tmp_path: Path) -> None:
    done = _suite(tmp_path, "--collect-only")
    assert "114 tests collected" in done.stdout, done.stdout[-3000:] + done.stderr[-3000:]
    ids = [line for line in done.stdout.splitlines() if "::" in line]
    assert len(ids) == 114
    assert "test_conformance.py::test_BR_CANCEL_PAUSED__the_schedule_is_paused" in ids
    assert all("::test_BR_" in i or "::test_WO_" in i for i in ids), [
        i for i in ids if "::test_BR_" not in i
    ][:3]


UNRELATED_CONFTEST = """
import pytest


def pytest_addoption(parser):
    parser.addoption("--target", default="staging")  # an option of the project's own, as the kit's
    parser.addoption("--results", default=None)


def pytest_configure(config):
    assert config.pluginmanager.has_plugin("billing_conformance"), "the entry point was not loaded"
    assert not config.pluginmanager.has_plugin("billing_conformance.pytest_plugin")
"""


@pytest.mark.parametrize("args", [(), ("--target", "prod")], ids=["bare", "options"])
def test_the_entry_point_is_inert_in_a_project_that_merely_has_the_kit_installed(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "conftest.py").write_text(UNRELATED_CONFTEST, encoding="utf-8")
    mine = "def test_mine(pytestconfig):\n    assert pytestconfig.getoption('--target') in OURS\n"
    (tmp_path / "test_mine.py").write_text(f"OURS = ('staging', 'prod')\n{mine}", encoding="utf-8")
    done = _pytest(tmp_path, "-q", "-p", "no:cacheprovider", *args)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout
    assert "conformance" not in done.stdout.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["conftest.py", "test_mine.py"]
