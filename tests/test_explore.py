"""``billing-conformance explore``: random histories, the rules as properties, counterexamples as
Gherkin that fail through the kit's own machinery.

Every exploration here is in-process, with a fixed seed and a budget in histories (not seconds),
so the same histories are tried every time.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from billing_conformance.cli import main
from billing_conformance.explore.gherkin import feature_text
from billing_conformance.explore.rerun import rerun, write_project
from billing_conformance.explore.runner import explore
from schemas.contract import SCHEMAS_DIR
from steps.targets.in_process import InProcessTarget
from tests.known_bad import EXPLORE_ONLY, KNOWN_BAD, KnownBad

SEED = 1
#: histories per variant: enough for the share below, small enough to keep the suite fast
HISTORIES = 300
#: histories on the reference with no finding (the README states the larger measured figure)
REFERENCE_HISTORIES = 400
#: the share of known-bad variants breaking a MUST rule that explore must catch at that budget
SHARE = 0.80


def _declared(variant: type[KnownBad]) -> set[str]:
    return {variant.breaks, *variant.also_breaks}


def _caught(variant: type[KnownBad]) -> set[str]:
    found = explore(InProcessTarget(variant, variant.__name__), seed=SEED, histories=HISTORIES)
    return {finding.rule for finding in found.findings}


def test_nothing_breaks_on_the_reference() -> None:
    found = explore(InProcessTarget(), seed=SEED, histories=REFERENCE_HISTORIES)
    assert found.errored is None
    assert found.findings == [], [f"{f.rule}: {f.message}" for f in found.findings]
    assert found.histories >= REFERENCE_HISTORIES
    assert found.steps > found.histories  # histories of several steps each


def test_explore_catches_most_known_bad_variants() -> None:
    """Each variant that breaks a MUST rule: explore names one of the rules it declares. The
    SHOULD-only variants break no rule explore judges (it judges MUST rules only)."""
    must = [variant for variant in KNOWN_BAD if not variant.should_only]
    caught = {variant.__name__ for variant in must if _caught(variant) & _declared(variant)}
    missed = sorted({variant.__name__ for variant in must} - caught)
    assert len(caught) >= SHARE * len(must), f"caught {len(caught)} of {len(must)}; missed {missed}"


@pytest.mark.parametrize("variant", EXPLORE_ONLY, ids=lambda v: v.__name__)
def test_a_fault_the_examples_miss_is_caught(variant: type[KnownBad]) -> None:
    """The variant holds every example of the features (tests/test_known_bad.py), and explore
    still finds its rule broken."""
    assert variant.breaks in _caught(variant)


def test_a_counterexample_fails_through_run_and_holds_on_the_reference(tmp_path: Path) -> None:
    variant = KNOWN_BAD[[v.__name__ for v in KNOWN_BAD].index("CancelsPostedRuns")]
    spec = f"inprocess:tests.known_bad:{variant.__name__}"
    found = explore(InProcessTarget(variant, variant.__name__), seed=SEED, histories=HISTORIES)
    assert [f.rule for f in found.findings] == ["BR-CANCEL-POSTED-RUN"]
    text = feature_text(found.findings, spec, SEED, {})
    assert "@BR-CANCEL-POSTED-RUN" in text
    assert "Then the last step keeps rule BR-CANCEL-POSTED-RUN" in text
    project = write_project(tmp_path, text)
    assert rerun(project, spec, tmp_path / "target") == {"BR-CANCEL-POSTED-RUN": "broken"}
    assert rerun(project, "inprocess", tmp_path / "reference") == {"BR-CANCEL-POSTED-RUN": "holds"}


def test_the_command_writes_schema_valid_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    results = tmp_path / "explore"
    status = main(
        [
            "explore",
            "--target",
            "inprocess:tests.known_bad:HidesCanceledBillRuns",
            "--histories",
            str(HISTORIES),
            "--seed",
            str(SEED),
            "--results",
            str(results),
        ]
    )
    assert status == 1
    data = json.loads((results / "explore.json").read_text(encoding="utf-8"))
    schema = json.loads((SCHEMAS_DIR / "explore-results.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert data["seed"] == SEED
    rules = {f["rule"] for f in data["findings"]}
    assert "BR-VIEW-CANCELED" in rules
    for finding in data["findings"]:
        assert finding["rerun"] == {"target": "broken", "reference": "holds"}, finding
    assert (results / "counterexamples" / "features" / "explore.feature").exists()
    assert "BROKEN  BR-VIEW-CANCELED" in capsys.readouterr().out


def test_the_same_seed_tries_the_same_histories() -> None:
    first = explore(InProcessTarget(), seed=7, histories=30)
    second = explore(InProcessTarget(), seed=7, histories=30)
    assert (first.histories, first.steps) == (second.histories, second.steps)


def test_an_unknown_rule_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", "--rule", "BR-NO-SUCH-RULE", "--histories", "1"]) == 2
    assert "explore judges no rule BR-NO-SUCH-RULE" in capsys.readouterr().err
