"""The rule catalog: every rule is identified, sourced and covered; every scenario has a rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from billing_conformance.cli import main

BILL_RUN_RULES = {
    "BR-CANCEL-COMPLETED",
    "BR-CANCEL-POSTED-INVOICE",
    "BR-CANCEL-PENDING",
    "BR-CANCEL-POSTED-RUN",
    "BR-CANCEL-PAUSED",
    "BR-CANCEL-ONLY-PENDING-OR-COMPLETED",
    "BR-CANCEL-INVOICES",
    "BR-CANCEL-CREDIT-MEMOS",
    "BR-VIEW-CANCELED",
    "BR-DELETE",
    "BR-CANCEL-ONCE",
    "BR-CANCEL-ALL",
    "BR-RESUME",
    "BR-POST-HOLDING-POSTED-INVOICE",
}


WRITE_OFF_RULES = {
    "WO-NEEDS-INVOICE-SETTLEMENT",
    "WO-NEEDS-ORDERS-AND-WORKFLOW",
    "WO-SYNC-ONLY",
    "WO-NO-PAYMENT-COLLECTION",
    "WO-COLLECT-NEEDS-BILLING",
    "WO-UNPAID-INVOICES-CLEARED",
    "WO-PARTLY-PAID",
    "WO-DRAFTS-NOT-WRITTEN-OFF",
    "WO-REPORTED",
    "WO-FINAL-CREDIT-MEMO-FIRST",
    "WO-FINAL-INVOICE-WRITTEN-OFF",
    "WO-NO-FINAL-INVOICE",
    "WO-SUBSCRIPTION-CANCELLED",
    "WO-NOTHING-UNPAID",
    "WO-FAILURE-REPORTED",
    "WO-FINANCE-INFORMATION",
}


def test_every_write_off_rule_is_catalogued_with_its_source() -> None:
    """The write-off rules the issue names are all there, each citing the write-off document."""
    catalog = load_catalog(FEATURES_DIR)
    assert {rule.id for rule in catalog.rules} >= WRITE_OFF_RULES
    for rule_id in WRITE_OFF_RULES:
        rule = catalog.rule(rule_id)
        assert rule.source.startswith('"Cancel subscriptions and write off all unpaid invoices"'), rule
        assert rule.scenarios, rule_id


def test_each_rules_source_is_its_source_line_and_nothing_more() -> None:
    """A ``Source:`` paragraph that runs on into the rule's prose would show the prose as part of
    the source document's section (in the coverage view) and hide it from the description."""
    for rule in load_catalog(FEATURES_DIR).rules:
        lines = [
            line.strip() for line in (FEATURES_DIR / rule.feature).read_text(encoding="utf-8").splitlines()
        ]
        assert f"Source: {rule.source}" in lines, rule.id


def test_the_shipped_features_break_no_catalog_convention() -> None:
    """No rule without an ID, source or scenario; no scenario outside a rule; no duplicate names."""
    assert load_catalog(FEATURES_DIR).problems == ()


def test_every_bill_run_rule_is_catalogued_with_its_source() -> None:
    """The bill-run rules the issue names are all there, each citing the bill-run document."""
    catalog = load_catalog(FEATURES_DIR)
    assert {rule.id for rule in catalog.rules} >= BILL_RUN_RULES
    for rule_id in BILL_RUN_RULES:
        rule = catalog.rule(rule_id)
        assert rule.source.startswith('"Cancel bill runs"'), rule
        assert rule.scenarios, rule_id
        assert rule.statement[0].isupper(), rule.statement
        assert len(rule.statement.split()) >= 5, rule.statement


def test_decisions_are_recorded_beside_their_rules() -> None:
    """Where the kit decided an ambiguity, the decision is part of the rule's entry."""
    catalog = load_catalog(FEATURES_DIR)
    assert any("error" in d.text for d in catalog.rule("BR-DELETE").decisions)
    assert any("cancelOnce" in d.text for d in catalog.rule("BR-CANCEL-ONCE").decisions)


#: Where the kit decided what the documents and Zuora's API reference leave open.
SHOULD_RULES = {"WO-OPTIONS-STATED", "BR-CANCELED-CHARGES-BILLED-AGAIN", "WO-NO-PAYMENT-COLLECTION"}
SHOULD_DECISIONS = {
    *SHOULD_RULES,
    "BR-CANCEL-POSTED-INVOICE",
    "BR-CANCEL-CREDIT-MEMOS",
    "BR-CANCEL-ALL",
    "WO-SYNC-ONLY",
    "WO-FAILURE-REPORTED",
    "WO-NEEDS-ORDERS-AND-WORKFLOW",
}
SHOULD_SCENARIOS = {
    "Its credit memo has been posted",
    "One occurrence has run, and all recurrences are canceled from the completed one",
    "Invoice Settlement is disabled",
    "The asynchronous order that asks for the write-off is turned down as a whole",
    "The failure is reported and the cancellation stands",
    "With Invoice Item Settlement only the canceled subscription's part is written off",
    "The Workflow feature is disabled",
}


def test_the_shipped_features_carry_their_severities() -> None:
    """Decisions Zuora's API reference settles are MUST, the kit's own are SHOULD, and only the
    scenarios checking a SHOULD decision are SHOULD."""
    catalog = load_catalog(FEATURES_DIR)
    assert {r.id for r in catalog.rules if r.severity == "SHOULD"} == SHOULD_RULES
    should = {r.id for r in catalog.rules for d in r.decisions if d.severity == "SHOULD"}
    assert should == SHOULD_DECISIONS
    for rule_id in ("BR-DELETE", "BR-CANCEL-ONCE", "WO-UNPAID-INVOICES-CLEARED", "WO-SUBSCRIPTION-CANCELLED"):
        assert {d.severity for d in catalog.rule(rule_id).decisions} == {"MUST"}, rule_id
    in_must_rules = {
        s.name for r in catalog.rules if r.severity == "MUST" for s in r.scenarios if s.severity == "SHOULD"
    }
    assert in_must_rules == SHOULD_SCENARIOS
    assert all(s.severity == "SHOULD" for r in catalog.rules if r.severity == "SHOULD" for s in r.scenarios)
    assert all(d.severity in ("MUST", "SHOULD") for f in catalog.features for d in f.decisions)


def test_a_should_rule_makes_its_scenarios_should_and_a_should_tag_only_its_scenario(tmp_path: Path) -> None:
    """A rule tagged @should is SHOULD with all its scenarios; a @should scenario in a MUST rule is
    SHOULD alone; a decision carries the severity of its label."""
    text = (
        "Feature: F\n  Decision (SHOULD): for every rule.\n"
        "  @AB-ONE\n  Rule: R1\n    Source: D\n    Decision (SHOULD): ours.\n"
        "    Decision (MUST): Zuora's.\n"
        "    Example: Documented\n      Given x\n"
        "    @should\n    Example: Decided\n      Given x\n"
        "  @should @AB-TWO\n  Rule: R2\n    Source: D\n    Example: Ours\n      Given x\n"
    )
    catalog = load_catalog(tmp_path, [_feature(tmp_path, text)])
    one, two = catalog.rules
    assert catalog.problems == ()
    assert (one.severity, two.severity) == ("MUST", "SHOULD")
    assert [(d.severity, d.text) for d in one.decisions] == [("SHOULD", "ours."), ("MUST", "Zuora's.")]
    assert [s.severity for s in one.scenarios] == ["MUST", "SHOULD"]
    assert [s.severity for s in two.scenarios] == ["SHOULD"]
    assert [d.severity for d in catalog.features[0].decisions] == ["SHOULD"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n    Decision: unlabelled.\n"
            "    Example: E\n      Given x\n",
            "found no label",
        ),
        (
            "Feature: F\n  Decision: unlabelled.\n  @AB-ONE\n  Rule: R\n    Source: D\n"
            "    Example: E\n      Given x\n",
            "sample.feature: a decision needs its severity",
        ),
        (
            "Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n    Decision (MAY): unknown.\n"
            "    Example: E\n      Given x\n",
            "found (MAY)",
        ),
        (
            "Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n    Decision (MUST): Zuora's.\n"
            "    Example: E\n      Given x\n    @should\n    Example: F\n      Given x\n",
            "no 'Decision (SHOULD):'",
        ),
        (
            "Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n    Decision (SHOULD): ours.\n"
            "    @should\n    Example: E\n      Given x\n",
            "has only SHOULD scenarios",
        ),
    ],
    ids=[
        "rule-decision",
        "feature-decision",
        "unknown-label",
        "should-scenario-without-decision",
        "only-should",
    ],
)
def test_severity_conventions_are_checked(tmp_path: Path, text: str, problem: str) -> None:
    """A decision without its label (MUST or SHOULD) is a catalog problem, like a SHOULD scenario
    checking no SHOULD decision, or a MUST rule with nothing but SHOULD scenarios."""
    catalog = load_catalog(tmp_path, [_feature(tmp_path, text)])
    assert any(problem in p for p in catalog.problems), catalog.problems


def _feature(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample.feature"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_scenario_outside_any_rule_is_flagged(tmp_path: Path) -> None:
    path = _feature(tmp_path, "Feature: F\n  Scenario: Lost\n    Given something\n")
    catalog = load_catalog(tmp_path, [path])
    assert [s.name for s in catalog.orphan_scenarios] == ["Lost"]
    assert any("belongs to no rule" in p for p in catalog.problems)


@pytest.mark.parametrize(
    ("rule_block", "problem"),
    [
        ("  Rule: Untagged rule\n    Source: Doc\n    Example: E\n      Given x\n", "exactly one ID tag"),
        ("  @AB-ONE\n  Rule: Unsourced rule\n    Example: E\n      Given x\n", "'Source:' line"),
        ("  @AB-ONE\n  Rule: Empty rule\n    Source: Doc\n", "has no scenario"),
        (
            "  @AB-ONE\n  Rule: R1\n    Source: D\n    Example: Same\n      Given x\n"
            "  @AB-TWO\n  Rule: R2\n    Source: D\n    Example: Same\n      Given x\n",
            "used twice",
        ),
        (
            "  @AB-ONE\n  Rule: R1\n    Source: D\n    Example: E1\n      Given x\n"
            "  @AB-ONE\n  Rule: R2\n    Source: D\n    Example: E2\n      Given x\n",
            "rule ID AB-ONE is used twice",
        ),
    ],
    ids=["no-id", "no-source", "no-scenario", "duplicate-scenario-name", "duplicate-rule-id"],
)
def test_convention_breaches_are_flagged(tmp_path: Path, rule_block: str, problem: str) -> None:
    catalog = load_catalog(tmp_path, [_feature(tmp_path, "Feature: F\n" + rule_block)])
    assert any(problem in p for p in catalog.problems), catalog.problems


def test_outline_examples_are_listed_with_their_values(tmp_path: Path) -> None:
    text = (
        "Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n"
        "    Scenario Outline: Varies by <x>\n      Given <x>\n"
        "      Examples:\n        | x |\n        | 1 |\n        | 2 |\n"
    )
    (rule,) = load_catalog(tmp_path, [_feature(tmp_path, text)]).rules
    assert rule.scenarios[0].examples == ({"x": "1"}, {"x": "2"})


def test_rules_command_prints_the_catalog_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    """``billing-conformance rules --format json`` lists each rule with the scenarios covering it."""
    assert main(["rules", "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    by_id = {rule["id"]: rule for rule in printed["rules"]}
    assert set(by_id) >= BILL_RUN_RULES
    assert all(rule["scenarios"] for rule in by_id.values())
    assert printed["problems"] == []
    assert printed["orphanScenarios"] == []
    posted = by_id["BR-CANCEL-POSTED-INVOICE"]
    assert posted["severity"] == "MUST"
    assert [d["severity"] for d in posted["decisions"]] == ["SHOULD"]
    assert {s["name"]: s["severity"] for s in posted["scenarios"]}[
        "Its credit memo has been posted"
    ] == "SHOULD"
    assert all(d["severity"] == "MUST" for f in printed["features"] for d in f["decisions"])


def test_rules_command_prints_readable_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "BR-CANCEL-PAUSED  A paused scheduled bill run cannot be canceled" in out
    assert "    severity: MUST" in out
    assert "    decision (SHOULD): a posted credit memo blocks the cancellation" in out
    assert "- Its credit memo has been posted [SHOULD]" in out


def test_features_and_rules_keep_their_prose_tags_and_backgrounds(tmp_path: Path) -> None:
    """What the living documentation and the Cucumber JSON show of a feature and a rule: the
    description without its decision paragraphs, the line, the tags and the Background steps."""
    text = (
        "@orders\nFeature: F\n  First paragraph,\n  on two lines.\n\n  Second one.\n\n"
        "  Decision (MUST): for every rule of F.\n\n"
        "  Background:\n    Given today is 2026-03-01\n    And a customer\n\n"
        "  @AB-ONE\n  Rule: R1\n    Why the rule matters.\n    Source: D\n\n"
        "    Background:\n      Given a bill run\n\n"
        "    Example: E\n      Given x\n"
    )
    catalog = load_catalog(tmp_path, [_feature(tmp_path, text)])
    feature = catalog.features[0]
    assert catalog.problems == ()
    assert feature.description == "First paragraph, on two lines.\n\nSecond one."
    assert (feature.line, feature.tags, feature.keyword) == (2, ("orders",), "Feature")
    assert feature.background == ("Given today is 2026-03-01", "And a customer")
    assert [d.text for d in feature.decisions] == ["for every rule of F."]
    rule = catalog.rules[0]
    assert (rule.description, rule.background, rule.tags) == (
        "Why the rule matters.",
        ("Given a bill run",),
        ("AB-ONE",),
    )
    assert catalog.shared_decisions == ()


def test_a_shared_feature_states_decisions_for_every_rule_once(tmp_path: Path) -> None:
    shared = _feature(tmp_path, "@shared\nFeature: Shared decisions\n  Decision (MUST): no error codes.\n")
    rules = tmp_path / "rules.feature"
    rules.write_text("Feature: F\n  @AB-ONE\n  Rule: R\n    Source: D\n    Example: E\n      Given x\n")
    catalog = load_catalog(tmp_path, [shared, rules])
    assert catalog.problems == ()
    assert [(d.severity, d.text) for d in catalog.shared_decisions] == [("MUST", "no error codes.")]
    assert [(f.path, f.shared) for f in catalog.features] == [
        ("rules.feature", False),
        ("sample.feature", True),
    ]
    assert [f["shared"] for f in catalog.as_json()["features"]] == [False, True]
