"""``cucumber.json`` and ``junit.xml`` as their consumers read them, over real runs of the CLI.

The JUnit XML is read with ``junitparser``; the Cucumber JSON is validated against the Cucumber
project's own published schema for the cucumber-js flavour of the format (vendored under
``tests/cucumber_json_schema/``). With ``CUCUMBER_JSON_CONVERTER`` naming a folder where
``npm install @cucumber/cucumber-json-converter`` was run, the Cucumber project's converter
reads the file too.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from billing_conformance.catalog import load_catalog
from billing_conformance.report.cucumber import build_cucumber
from billing_conformance.report.junit import build_junit
from tests.suite_runner import run_cli

BROKEN = "inprocess:tests.known_bad:CancelsPausedRuns"
BROKEN_RULE = "BR-CANCEL-PAUSED"
CATALOG = load_catalog(FEATURES_DIR)
SCHEMA = json.loads(
    (Path(__file__).parent / "cucumber_json_schema" / "cucumber-js.json").read_text(encoding="utf-8")
)


def _run(folder: Path, target: str) -> Path:
    """``billing-conformance run --target TARGET --results FOLDER``."""
    done = run_cli(folder.parent, "run", "--target", target, "--results", str(folder))
    assert (folder / "junit.xml").is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(tmp_path_factory.mktemp("passing"), "inprocess")


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(tmp_path_factory.mktemp("broken"), BROKEN)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _scenarios(results: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for rule in results["rules"] for s in rule["scenarios"]]


def _line(path: str, line: int) -> str:
    return (PROJECT_ROOT / path).read_text(encoding="utf-8").splitlines()[line - 1].strip()


# JUnit XML


def _suites(folder: Path) -> tuple[JUnitXml, list[TestSuite]]:
    xml = JUnitXml.fromfile(str(folder / "junit.xml"))
    return xml, list(xml)


def test_junit_counts_and_times_every_suite_and_case(broken: Path) -> None:
    results = _json(broken / "conformance.json")
    xml, suites = _suites(broken)
    assert [s.name for s in suites] == ["conformance", *(r["id"] for r in results["rules"])]
    verdict_suite = suites[0]
    shown = {p.get("name"): p.get("value") for p in verdict_suite._elem.iter("property")}
    assert shown["verdict"] == results["summary"]["verdict"]
    assert shown["headline"] == results["summary"]["headline"]
    assert (verdict_suite.tests, verdict_suite.errors) == (0, 0)  # a finished run: nothing to report there
    suites = suites[1:]
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (len(_scenarios(results)), 1, 0, 0)
    assert xml.time == pytest.approx(sum(s.time for s in suites), abs=1e-3)
    assert xml.time == pytest.approx(sum(s["duration"] for s in _scenarios(results)), abs=1e-3)
    for suite in suites:
        assert suite.time > 0, suite.name
        assert suite.timestamp == results["startedAt"]
        cases = list(suite)
        assert suite.tests == len(cases) > 0
        assert all(case.time > 0 for case in cases), suite.name
        assert suite.time == pytest.approx(sum(case.time for case in cases), abs=1e-5)
    (failing,) = [s for s in suites if s.failures]
    assert (failing.name, failing.failures, failing.errors) == (BROKEN_RULE, 1, 0)


def test_junit_cases_point_at_their_scenarios(passing: Path) -> None:
    keywords = ("Scenario:", "Scenario Outline:", "Example:", "Scenario Template:")
    _, suites = _suites(passing)
    cases: list[TestCase] = [case for suite in suites for case in suite]
    assert cases
    for case in cases:
        file, line = case._elem.get("file"), case._elem.get("line")
        assert file is not None, case.name
        assert line is not None, case.name
        assert file.startswith("features/")
        written = _line(file, int(line))
        assert written.startswith(keywords), (case.name, written)
        # An outline's placeholders are filled in with the example's values: "A completed bill run".
        pattern = re.sub(r"\\<[^>]+\\>|<[^>]+>", ".+", re.escape(written.split(":", 1)[1].strip()))
        assert re.fullmatch(pattern, case.name), case.name
        assert "<" not in case.name, case.name
        assert case.classname.split(".", 1)[1] == file.removeprefix("features/")
        assert case.is_passed


def test_junit_names_what_broke_the_rule(broken: Path) -> None:
    _, suites = _suites(broken)
    (case,) = [case for suite in suites for case in suite if not case.is_passed]
    (failure,) = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "RuleBroken"
    assert failure.message.startswith("expected the cancellation to be refused")
    assert "\n" not in failure.message
    assert failure.text.startswith(failure.message)
    results = _json(broken / "conformance.json")
    (record,) = [s for s in _scenarios(results) if s["outcome"] == "failed"]
    assert failure.text == record["message"]


def _variant(results: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``results`` with only the failed scenario, changed by ``changes``."""
    changed = copy.deepcopy(results)
    for rule in changed["rules"]:
        rule["scenarios"] = [{**s, **changes} for s in rule["scenarios"] if s["outcome"] == "failed"]
    return changed


def test_junit_types_each_kind_of_trouble_and_keeps_should_failures_out_of_the_red(broken: Path) -> None:
    results = _json(broken / "conformance.json")
    arranging = "could not arrange the scenario: Given a bill run\nKeyError: 'run'"
    violation = {"operation": "get bill run", "path": "$.status", "message": "not a status"}
    cases: dict[str, tuple[dict[str, Any], type, str]] = {
        "must failed": ({}, Failure, "RuleBroken"),
        "arrangement": ({"outcome": "errored", "message": arranging}, Error, "CouldNotArrange"),
        "harness": ({"outcome": "errored", "message": "ConnectionError: refused"}, Error, "HarnessError"),
        "contract": (
            {"outcome": "errored", "severity": "SHOULD", "contractViolation": violation},
            Error,
            "ContractViolation",
        ),
        "not applicable": (
            {"outcome": "not applicable", "message": "no control API"},
            Skipped,
            "NotApplicable",
        ),
        "should failed": ({"severity": "SHOULD"}, Skipped, "RuleBroken"),
        "should arrangement": (
            {"severity": "SHOULD", "outcome": "errored", "message": arranging},
            Skipped,
            "CouldNotArrange",
        ),
    }
    for label, (changes, kind, type_) in cases.items():
        xml = JUnitXml.fromstring(build_junit(_variant(results, **changes), CATALOG).decode("utf-8"))
        (case,) = [case for suite in xml for case in suite]
        (result,) = case.result
        assert isinstance(result, kind), label
        assert result.type == type_, label
        if kind is Skipped and changes.get("severity") == "SHOULD":
            assert result.message.startswith(f"warning: SHOULD scenario {changes.get('outcome', 'failed')}: ")
        assert (xml.failures, xml.errors) == (int(kind is Failure), int(kind is Error)), label
    xml = JUnitXml.fromstring(build_junit(_variant(results, outcome="errored", message=arranging), CATALOG))
    (case,) = [case for suite in xml for case in suite]
    assert case.result[0].message == "could not arrange the scenario: Given a bill run"
    assert case.result[0].text == arranging


def test_junit_of_older_results_without_durations_says_zero(broken: Path) -> None:
    results = _json(broken / "conformance.json")
    for scenario in _scenarios(results):
        scenario.pop("duration")
    xml = JUnitXml.fromstring(build_junit(results, CATALOG).decode("utf-8"))
    assert xml.time == 0
    assert {case.time for suite in xml for case in suite} == {0}


# Cucumber JSON


def _elements(features: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(feature, element) for feature in features for element in feature["elements"]]


@pytest.mark.parametrize("run", ["passing", "broken"])
def test_the_cucumber_json_keeps_to_the_published_schema(run: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(run)
    features = _json(folder / "cucumber.json")
    jsonschema.validate(features, SCHEMA, cls=jsonschema.Draft7Validator)
    converter = os.environ.get("CUCUMBER_JSON_CONVERTER")
    if converter and shutil.which("node"):
        script = (
            "import {convert} from '@cucumber/cucumber-json-converter';"
            "import {readFileSync} from 'node:fs';"
            "const c = convert(JSON.parse(readFileSync(process.argv[1], 'utf-8')));"
            "console.log(c.implementation + ' ' + c.features.length)"
        )
        read = subprocess.run(
            ["node", "--input-type=module", "-e", script, str(folder / "cucumber.json")],
            cwd=converter,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert read.stdout.split() == ["cucumber-js", str(len(features))], read.stderr


def test_cucumber_features_are_named_by_their_titles(passing: Path) -> None:
    features = _json(passing / "cucumber.json")
    titles = {f.path: f for f in CATALOG.features}
    assert features
    for feature in features:
        entry = titles[feature["uri"].removeprefix("features/")]
        assert feature["name"] == entry.name != entry.path
        assert _line(feature["uri"], feature["line"]).startswith(f"{entry.keyword}: {entry.name}")
        assert feature["keyword"] == "Feature"
        assert feature["id"]
        assert " " not in feature["id"]
        assert [t["name"] for t in feature["tags"]] == [f"@{t}" for t in entry.tags]
        if entry.description:
            assert feature["description"].startswith(entry.description)
    elements = [element for _, element in _elements(features)]
    assert len({e["id"] for e in elements}) == len(elements)


def test_cucumber_scenarios_carry_their_place_tags_and_rule(passing: Path) -> None:
    pairs = _elements(_json(passing / "cucumber.json"))
    results = _json(passing / "conformance.json")
    assert len(pairs) == len(_scenarios(results))
    rules = {r.id: r for r in CATALOG.rules}
    outlines = 0
    for feature, element in pairs:
        written = _line(feature["uri"], element["line"])
        assert written.startswith(f"{element['keyword']}:"), written
        outlines += element["keyword"] == "Scenario Outline"
        assert "<" not in element["name"]
        assert element["type"] == "scenario"
        tags = {t["name"]: t["line"] for t in element["tags"]}
        assert len(set(tags) & {"@MUST", "@SHOULD"}) == 1
        (rule_id,) = [t[1:] for t in tags if t[1:] in rules]
        assert element["description"] == f"Rule {rule_id}: {rules[rule_id].statement}"
        for name, line in tags.items():
            if name not in ("@MUST", "@SHOULD"):
                assert name in _line(feature["uri"], line).split(), (element["name"], name)
    assert outlines > 0


def test_cucumber_steps_have_measured_durations_locations_and_background(passing: Path) -> None:
    pairs = _elements(_json(passing / "cucumber.json"))
    records = {s["id"]: s for s in _scenarios(_json(passing / "conformance.json"))}
    backgrounds = 0
    for feature, element in pairs:
        steps = element["steps"]
        assert steps
        durations = [s["result"]["duration"] for s in steps]
        assert all(isinstance(d, int) and d > 0 for d in durations), element["name"]
        assert {s["result"]["status"] for s in steps} == {"passed"}
        flags = [bool(s.get("isBackground")) for s in steps]
        assert flags == sorted(flags, reverse=True), element["name"]  # background steps come first
        backgrounds += flags.count(True)
        for step in steps:
            assert step["match"]["location"] == f"{feature['uri']}:{step['line']}"
            keyword = step["keyword"]
            assert keyword.endswith(" ")
            assert _line(feature["uri"], step["line"]).startswith(f"{keyword}")
    assert backgrounds > 0
    total = sum(s["result"]["duration"] for _, e in pairs for s in e["steps"])
    assert 0 < total <= sum(r["duration"] for r in records.values()) * 1e9


def test_cucumber_shows_the_failed_step_with_its_error(broken: Path) -> None:
    pairs = _elements(_json(broken / "cucumber.json"))
    failed = [
        (feature, element, step)
        for feature, element in pairs
        for step in element["steps"]
        if step["result"]["status"] == "failed"
    ]
    (_, element, step) = failed[0]
    assert len(failed) == 1
    assert f"@{BROKEN_RULE}" in {t["name"] for t in element["tags"]}
    assert step["name"] == "the cancellation is refused because a business rule forbids it"
    assert step["result"]["error_message"].startswith("expected the cancellation")
    after = element["steps"][element["steps"].index(step) + 1 :]
    assert {s["result"]["status"] for s in after} <= {"skipped"}


def test_cucumber_skips_every_step_of_a_not_applicable_scenario_and_reads_older_results(
    broken: Path,
) -> None:
    results = _json(broken / "conformance.json")
    for scenario in _scenarios(results):
        scenario.pop("duration")
        for step in scenario["steps"]:
            step.pop("duration", None)
        if scenario["outcome"] == "failed":
            scenario.update(outcome="not applicable", message="the target has no control API")
    features = build_cucumber(results, CATALOG)
    jsonschema.validate(features, SCHEMA, cls=jsonschema.Draft7Validator)
    steps = [s for _, e in _elements(features) for s in e["steps"]]
    assert {s["result"]["duration"] for s in steps} == {0}
    (paused,) = [e for _, e in _elements(features) if e["name"] == "The schedule is paused"]
    assert paused["steps"]
    assert {s["result"]["status"] for s in paused["steps"]} == {"skipped"}
    assert not any("error_message" in s["result"] for s in paused["steps"])


def test_cucumber_reports_a_scenario_that_errored_after_its_steps(broken: Path) -> None:
    results = _variant(_json(broken / "conformance.json"), outcome="errored", message="teardown broke")
    for scenario in _scenarios(results):
        for step in scenario["steps"]:
            step["status"] = "passed"
    features = build_cucumber(results, CATALOG)
    jsonschema.validate(features, SCHEMA, cls=jsonschema.Draft7Validator)
    ((_, element),) = _elements(features)
    hook = element["steps"][-1]
    assert (hook["hidden"], hook["keyword"], hook["result"]["status"]) == (True, "After", "failed")
    assert hook["result"]["error_message"] == "teardown broke"
