"""The results folder: what every run writes, for machines (CI) and people."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.catalog import load_catalog
from billing_conformance.results import stable
from reference_impl.server import AuthSettings
from schemas.contract import violations
from tests.report_support import run_results
from tests.servers import running_server
from tests.suite_runner import run_suite

BROKEN = "inprocess:tests.known_bad:CancelsPostedRuns"


def _results(folder: Path) -> dict[str, Any]:
    loaded = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def broken_results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Results of the whole suite against a variant that lets posted bill runs be canceled."""
    folder = tmp_path_factory.mktemp("broken")
    run_results(folder, BROKEN)
    return folder


def test_the_conformance_json_keeps_to_its_schema_and_names_the_broken_rule(broken_results: Path) -> None:
    results = _results(broken_results)
    assert violations("conformance-results", results) == []
    assert results["target"] == BROKEN
    verdicts = {rule["id"]: rule["verdict"] for rule in results["rules"]}
    assert verdicts["BR-CANCEL-POSTED-RUN"] == "broken"
    assert list(verdicts.values()).count("holds") == len(verdicts) - 1
    assert results["summary"]["must"]["broken"] == 1
    assert results["summary"]["verdict"] == "does not conform"
    assert results["wireContract"] == {"verdict": "holds", "violations": []}


def test_a_failed_scenario_names_its_step_what_was_expected_and_how_to_run_it_again(
    broken_results: Path,
) -> None:
    (rule,) = [r for r in _results(broken_results)["rules"] if r["id"] == "BR-CANCEL-POSTED-RUN"]
    (scenario,) = rule["scenarios"]
    assert scenario["outcome"] == "failed"
    assert scenario["failedStep"]["text"] == "the cancellation is refused because a business rule forbids it"
    assert "expected the cancellation to be refused" in scenario["message"]
    assert [s["status"] for s in scenario["steps"]].count("failed") == 1
    elsewhere = broken_results.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    rerun = subprocess.run(
        scenario["rerun"],
        shell=True,
        cwd=elsewhere,  # a portable command: it runs from any folder where the kit is installed
        env={
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONPATH": str(PROJECT_ROOT),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 1
    assert "1 failed" in rerun.stdout


def test_the_cucumber_json_keeps_the_rule_of_every_scenario(broken_results: Path) -> None:
    features = json.loads((broken_results / "cucumber.json").read_text(encoding="utf-8"))
    elements = [element for feature in features for element in feature["elements"]]
    assert len(elements) == sum(len(r["scenarios"]) for r in _results(broken_results)["rules"])
    rules = {rule.id: rule.statement for rule in load_catalog(FEATURES_DIR).rules}
    for element in elements:
        (rule_id,) = {tag["name"].lstrip("@") for tag in element["tags"]} & set(rules)
        assert element["description"] == f"Rule {rule_id}: {rules[rule_id]}"
    failed = [e for e in elements if any(s["result"]["status"] == "failed" for s in e["steps"])]
    assert [e["description"].split(":")[0] for e in failed] == ["Rule BR-CANCEL-POSTED-RUN"]


def test_the_junit_xml_has_one_suite_per_rule_with_its_failures(broken_results: Path) -> None:
    first, *suites = ET.parse(broken_results / "junit.xml").getroot().findall("testsuite")
    assert first.get("name") == "conformance"  # the run's verdict, as properties
    assert len(suites) == len(_results(broken_results)["rules"])
    failing = {suite.get("name"): suite.get("failures") for suite in suites if suite.get("failures") != "0"}
    assert failing == {"BR-CANCEL-POSTED-RUN": "1"}
    (failure,) = [
        case.find("failure") for suite in suites for case in suite.iter("testcase") if len(case) > 1
    ]
    assert failure is not None
    assert failure.get("type") == "RuleBroken"


def _without_times(name: str, text: str) -> str:
    """A cucumber.json or junit.xml without what differs between identical runs: the measured
    durations and, in JUnit, the start time."""
    if name == "cucumber.json":
        features = json.loads(text)
        for feature in features:
            for element in feature["elements"]:
                for step in element["steps"]:
                    step["result"].pop("duration")
        return json.dumps(features)
    root = ET.fromstring(text)
    for element in root.iter():
        for volatile in ("time", "timestamp"):
            element.attrib.pop(volatile, None)
    return ET.tostring(root, encoding="unicode")


def test_serial_and_parallel_runs_write_the_same_results(tmp_path: Path) -> None:
    """With and without pytest-xdist only the start time and durations differ; Cucumber JSON and
    JUnit XML match apart from those."""
    for name, extra in (("serial", ()), ("parallel", ("-n", "2"))):
        run_results(tmp_path / name, BROKEN, *extra)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"

    def read(folder: Path, name: str) -> str:  # a re-run command names the run's own folder
        return (folder / name).read_text(encoding="utf-8").replace(str(folder), "{results}")

    assert stable(_results(serial), serial) == stable(_results(parallel), parallel)
    assert stable(_results(serial))["summary"]["scenarios"]["failed"] == 1
    for name in ("cucumber.json", "junit.xml"):
        written = [_without_times(name, read(folder, name)) for folder in (serial, parallel)]
        assert written[0] == written[1], name


def test_http_evidence_is_kept_and_secrets_are_not(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over HTTP every scenario keeps its exchanges; the bearer token appears in no results file."""
    monkeypatch.setenv("RESULTS_TOKEN", "tok-7d1e-secret")
    profile = tmp_path / "profile.toml"
    with running_server(auth=AuthSettings(token="tok-7d1e-secret")) as server:
        profile.write_text(
            f'[target]\nbase_url = "{server.url}"\nenvironment = "test"\n[auth]\nkind = "bearer"\n'
            'token_env = "RESULTS_TOKEN"\n[capabilities]\ncontrol_api = true\n',
            encoding="utf-8",
        )
        result = run_suite(
            pytester, server.url, f"--profile={profile}", "--rule=BR-DELETE", f"--results={tmp_path / 'out'}"
        )
    assert result.ret == 0
    scenarios = [s for r in _results(tmp_path / "out")["rules"] for s in r["scenarios"]]
    assert scenarios
    assert all(s["exchanges"] for s in scenarios)
    assert all(e["url"].startswith(server.url) for s in scenarios for e in s["exchanges"])
    for written in (tmp_path / "out").iterdir():
        assert "tok-7d1e-secret" not in written.read_text(encoding="utf-8"), written.name


def test_every_cli_run_writes_a_results_folder(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "run",
            "--rule",
            "BR-DELETE",
            "--results",
            str(tmp_path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert {p.name for p in tmp_path.iterdir()} >= {
        "conformance.json",
        "cucumber.json",
        "junit.xml",
        "report.html",
        "report.md",
    }
    must_rules = [r for r in load_catalog(FEATURES_DIR).rules if r.severity == "MUST"]
    assert _results(tmp_path)["summary"]["must"]["notRun"] == len(must_rules) - 1
