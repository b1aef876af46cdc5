"""The suite proves itself: it passes on the reference and fails on every known-bad variant."""

from __future__ import annotations

import re

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from tests.known_bad import EXPLORE_ONLY, KNOWN_BAD, KnownBad
from tests.suite_runner import run_suite

CATALOG = load_catalog(FEATURES_DIR)
#: What a failure message must not show: Python's reprs of views, dates and amounts, exception
#: class names, pytest's explanation of an assert.
REPRS = re.compile(r"\w+View\(|datetime\.|Decimal\(|Money\(|AssertionError|\nassert ")


def test_every_rule_holds_on_the_reference_implementation(pytester: pytest.Pytester) -> None:
    """Against the reference, every catalogued rule is exercised and every scenario passes."""
    result = run_suite(pytester, "inprocess")
    assert result.ret == 0
    assert set(result.outcomes) == {rule.id for rule in CATALOG.rules}
    assert result.broken == set()
    assert {o for scenarios in result.outcomes.values() for o in scenarios.values()} == {"passed"}


@pytest.mark.parametrize("variant", KNOWN_BAD, ids=lambda v: v.__name__)
def test_the_suite_catches_each_known_bad_variant(pytester: pytest.Pytester, variant: type[KnownBad]) -> None:
    """A variant fails the scenarios of the rule it breaks and of the other rules whose statements it
    declares broken, and no other (collateral blame fails this test); exactly the declared rules are
    errored; the run exits 1 unless every failure is a SHOULD warning (then it exits 0)."""
    result = run_suite(pytester, f"inprocess:tests.known_bad:{variant.__name__}")
    assert variant.breaks in result.broken, f"{variant.__name__} slipped through: {variant.__doc__}"
    assert result.broken == {variant.breaks, *variant.also_breaks}
    assert result.rules_with("errored") == variant.also_errors, "only declared rules may fail to be arranged"
    should_only = variant.should_only
    assert bool(result.must_broken) is not should_only, f"MUST rules broken: {result.must_broken}"
    assert result.ret == (0 if should_only else 1)
    assert result.messages, "a failure says why"
    for node, message in result.messages.items():  # in the feature's words, not Python's
        assert not REPRS.search(message), f"{node}: {message}"


@pytest.mark.parametrize("variant", EXPLORE_ONLY, ids=lambda v: v.__name__)
def test_explore_only_variants_hold_every_example(pytester: pytest.Pytester, variant: type[KnownBad]) -> None:
    """A variant kept for ``explore`` (tests/test_explore.py catches it) holds every example: its
    fault lies in a history no feature writes down."""
    result = run_suite(pytester, f"inprocess:tests.known_bad:{variant.__name__}")
    assert result.ret == 0
    assert result.broken == set()
    assert result.rules_with("errored") == set()


def test_every_rule_has_a_known_bad_variant() -> None:
    """No rule is left without a variant proving the suite notices when it is broken."""
    assert {rule.id for rule in CATALOG.rules} <= {variant.breaks for variant in KNOWN_BAD}


def test_known_bad_variants_name_rules_that_exist() -> None:
    """A variant can only claim to break rules the catalog knows."""
    known = {rule.id for rule in CATALOG.rules}
    for variant in KNOWN_BAD:
        assert {variant.breaks, *variant.also_breaks, *variant.also_errors} <= known, variant.__name__


def test_a_target_that_cannot_be_set_up_errors_rather_than_fails(pytester: pytest.Pytester) -> None:
    """When the target refuses to arrange a scenario, the scenario is errored: it proves no violation."""
    result = run_suite(pytester, "inprocess:tests.miniatures:RefusesEverySubscription")
    assert result.ret == 4  # inconclusive: rules errored, none is broken
    assert result.rules_with("errored")
    assert not result.broken, "an arrangement failure was reported as a rule violation"


def test_a_variant_that_breaks_other_statements_says_why() -> None:
    """A rule in ``also_breaks`` is another statement the variant breaks, never a rule that merely
    depends on the broken one: the variant's docstring names it and says why."""
    unexplained = {
        variant.__name__: sorted(rule for rule in variant.also_breaks if rule not in (variant.__doc__ or ""))
        for variant in KNOWN_BAD
    }
    assert not {name: rules for name, rules in unexplained.items() if rules}
