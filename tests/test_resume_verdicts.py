"""BR-RESUME is judged on what a resumption does, never on a resumption the control API refused:
resuming goes through the kit's control API, and a refused control operation says nothing of the
rule (docs/implementers.md, section 6), so the scenarios are errored, not failed.

Played by a proxy (:mod:`tests.fault_proxy`) in front of the real reference server."""

from __future__ import annotations

import pytest

from reference_impl.server import RunningServer
from tests.fault_proxy import Fault, envelope, fault_proxy
from tests.suite_runner import run_suite

RESUME = r"/conformance/v1/bill-runs/[^/]+/resume"


def test_a_refused_resumption_errors_every_scenario_of_the_rule(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    refusing = Fault("POST", RESUME, envelope(400, "50000040", "This bill run cannot be resumed."))
    with fault_proxy(reference_server.url, refusing) as proxy:
        result = run_suite(pytester, proxy.url, "--rule", "BR-RESUME")
    outcomes = result.outcomes["BR-RESUME"]
    assert outcomes, "the rule ran"
    assert set(outcomes.values()) == {"errored"}
    assert proxy.count("POST", RESUME) == len(outcomes)
    for node in outcomes:
        assert "This bill run cannot be resumed." in result.messages[node]
    assert result.broken == set()


def test_the_same_scenarios_hold_when_the_resumption_goes_through(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """The control for the test above: only the refusal errored them."""
    result = run_suite(pytester, reference_server.url, "--rule", "BR-RESUME")
    assert set(result.outcomes["BR-RESUME"].values()) == {"passed"}
    assert result.broken == set()
