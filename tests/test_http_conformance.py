"""The same features, unchanged, over HTTP: the reference server passes, known-bad servers fail."""

from __future__ import annotations

import pytest

from tests.known_bad import KNOWN_BAD, KnownBad
from tests.servers import running_server
from tests.suite_runner import run_suite


def test_the_whole_suite_gives_the_same_results_over_http_as_in_process(pytester: pytest.Pytester) -> None:
    """Every scenario passes against the reference server on loopback, exactly as it does in-process."""
    in_process = run_suite(pytester, "inprocess")
    with running_server() as server:
        over_http = run_suite(pytester, server.url)
    assert over_http.ret == 0
    assert over_http.outcomes.keys() == in_process.outcomes.keys()
    for rule, scenarios in in_process.outcomes.items():
        assert sorted(over_http.outcomes[rule].values()) == sorted(scenarios.values()), rule
    assert {o for scenarios in over_http.outcomes.values() for o in scenarios.values()} == {"passed"}


@pytest.mark.parametrize("variant", KNOWN_BAD, ids=lambda v: v.__name__)
def test_each_known_bad_variant_served_over_http_is_caught(
    pytester: pytest.Pytester, variant: type[KnownBad]
) -> None:
    """A variant served on loopback fails, over HTTP, the scenarios of the rule it breaks."""
    rules = [variant.breaks, *variant.also_breaks]
    with running_server(variant) as server:
        result = run_suite(pytester, server.url, *(f"--rule={rule}" for rule in rules))
    assert result.ret == (0 if variant.should_only else 1)
    assert result.broken == set(rules), result.outcomes
