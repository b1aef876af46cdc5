"""The kit judges honest implementations fairly: the whole suite holds against the reference
reduced to Zuora's fields, and through a proxy answering as other honest implementations would;
the known-bad variants are still caught through it.

The rewrites themselves are tested in ``tests/test_proxy_rewrites.py``, the strict server in
``tests/test_strict_server.py``."""

from __future__ import annotations

import pytest

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
