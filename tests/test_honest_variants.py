"""The kit judges honest implementations fairly: the whole suite holds against the reference
reduced to Zuora's fields, and through a proxy answering as other honest implementations would;
the known-bad variants are still caught through it. The same holds for honest implementation
choices (``tests/honest_choices.py``: what a tenant may configure, such as the order in which a
final credit memo is applied): every rule holds with each, and every known-bad variant combined
with each is still caught, breaking exactly its declared rules.

The rewrites themselves are tested in ``tests/test_proxy_rewrites.py``, the strict server in
``tests/test_strict_server.py``."""

from __future__ import annotations

import pytest

from billing_conformance import FEATURES_DIR
from billing_conformance.catalog import load_catalog
from tests.honest_choices import CHOICES, COMBINED
from tests.honest_proxy import ALL, VARIATIONS, running_proxy
from tests.known_bad import KNOWN_BAD, KnownBad
from tests.servers import running_server
from tests.suite_runner import SuiteResult, run_suite


def _holds(result: SuiteResult) -> None:
    """Every scenario of every rule passed and the run exited 0."""
    failing = {rule: s for rule, s in result.outcomes.items() if set(s.values()) != {"passed"}}
    assert not failing, failing
    assert result.outcomes
    assert result.ret == 0


def test_every_rule_holds_against_the_reference_reduced_to_zuoras_fields(pytester: pytest.Pytester) -> None:
    """``serve --zuora-strict``: answers with only Zuora's fields still let every rule be judged."""
    with running_server(zuora_strict=True) as server:
        _holds(run_suite(pytester, server.url))


@pytest.mark.parametrize("variation", [*VARIATIONS, ALL])
def test_every_rule_holds_through_an_honest_variation(pytester: pytest.Pytester, variation: str) -> None:
    """Re-encoded numbers, reversed lists, one record per page, nulls, omissions, Zuora-only fields,
    other documented refusal codes, and all of them at once before a strict server, change no verdict."""
    with (
        running_server(zuora_strict=variation == ALL) as server,
        running_proxy(server.url, (variation,)) as proxy,
    ):
        _holds(run_suite(pytester, proxy.url))


@pytest.mark.parametrize("variant", KNOWN_BAD, ids=lambda v: v.__name__)
def test_known_bad_variants_are_still_caught_through_every_variation(
    pytester: pytest.Pytester, variant: type[KnownBad]
) -> None:
    """Behind a strict server and every variation at once, a known-bad variant still breaks its rules."""
    rules = [variant.breaks, *variant.also_breaks]
    with running_server(variant, zuora_strict=True) as server, running_proxy(server.url, (ALL,)) as proxy:
        result = run_suite(pytester, proxy.url, *(f"--rule={rule}" for rule in rules))
    assert result.broken == set(rules), result.outcomes
    assert result.ret == (0 if variant.should_only else 1)


@pytest.mark.parametrize("choice", CHOICES, ids=lambda c: c.__name__)
def test_every_rule_holds_with_an_honest_implementation_choice(
    pytester: pytest.Pytester, choice: type
) -> None:
    """An implementation that configures what a tenant may configure differently from the
    reference (the final credit memo applied to the oldest invoice first, say) breaks no rule, in
    process and over HTTP behind a strict server and every variation at once."""
    result = run_suite(pytester, f"inprocess:tests.honest_choices:{choice.__name__}")
    _holds(result)
    assert set(result.outcomes) == {rule.id for rule in load_catalog(FEATURES_DIR).rules}
    with running_server(choice, zuora_strict=True) as server, running_proxy(server.url, (ALL,)) as proxy:
        _holds(run_suite(pytester, proxy.url))


@pytest.mark.parametrize("variant", COMBINED, ids=lambda v: v.__name__)
def test_known_bad_variants_are_still_caught_with_every_honest_choice(
    pytester: pytest.Pytester, variant: type[KnownBad]
) -> None:
    """A known-bad variant made with an honest choice breaks exactly the rules it declares, and
    leaves exactly the declared ones unobserved: the choice neither hides its fault nor adds blame."""
    result = run_suite(pytester, f"inprocess:tests.honest_choices:{variant.__name__}")
    assert result.broken == {variant.breaks, *variant.also_breaks}, result.outcomes
    assert result.rules_with("errored") == variant.also_errors
    assert result.ret == (0 if variant.should_only else 1)
