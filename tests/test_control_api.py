"""Control-API answers are read as documented: a refused feature setting makes the scenario not
applicable with the target's reason; an operation the target lacks (not found, or not listed
by its info) errors the scenario naming the operation; a refused arrangement stops arranging.
The kit never goes on as if a control operation had succeeded.

Played by a proxy (:mod:`tests.fault_proxy`) in front of the real reference server."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from billing_conformance import PROJECT_ROOT
from reference_impl.server import RunningServer
from reference_impl.server.tenants import TENANT_HEADER
from reference_impl.wire.control_api import OPERATIONS
from steps.targets.errors import (
    ArrangementError,
    CannotObserveError,
    ControlOperationMissingError,
    NotApplicableError,
)
from steps.targets.http import HttpTarget
from steps.targets.http_base import CONTROL_OPERATIONS, ControlPlan, Isolation
from steps.targets.profile import Profile
from tests.fault_proxy import Fault, FaultProxy, Reply, Seen, envelope, fault_proxy
from tests.suite_runner import run_suite

CONTROL = "/conformance/v1"
QUEUE = f"{CONTROL}/bill-run-queue"


def _scenarios(results: Path) -> list[dict[str, Any]]:
    found = json.loads((results / "conformance.json").read_text(encoding="utf-8"))
    return [scenario for rule in found["rules"] for scenario in rule["scenarios"]]


def _without(*names: str) -> Callable[[Seen, Callable[[], Reply]], Reply]:
    """The target's real info, without the operations ``names``."""

    def play(_seen: Seen, forward: Callable[[], Reply]) -> Reply:
        got = forward()
        info = json.loads(got.body)
        info["operations"] = [name for name in info["operations"] if name not in names]
        return Reply(got.status, json.dumps(info).encode(), got.headers)

    return play


# -- through the suite -------------------------------------------------------------------------------


def test_a_refused_feature_setting_makes_the_scenario_not_applicable_with_the_reason(
    pytester: pytest.Pytester, reference_server: RunningServer, tmp_path: Path
) -> None:
    """A target that refuses to turn Invoice Item Settlement on (the control API lets it): the
    example that needs it is not applicable, with the target's reason; nothing is errored."""
    refuse = Fault(
        "PUT",
        f"{CONTROL}/features",
        envelope(400, "50000020", "Invoice Item Settlement cannot be switched in this tenant."),
        when=lambda seen: bool((seen.json() or {}).get("invoiceItemSettlement")),
    )
    with fault_proxy(reference_server.url, refuse) as proxy:
        result = run_suite(
            pytester, proxy.url, "--rule", "WO-FAILURE-REPORTED", f"--results={tmp_path / 'out'}"
        )
    assert refuse.served >= 1
    assert "errored" not in result.outcomes["WO-FAILURE-REPORTED"].values()
    skipped = [s for s in _scenarios(tmp_path / "out") if s["outcome"] == "not applicable"]
    assert len(skipped) == refuse.served
    for scenario in skipped:
        assert "Invoice Item Settlement on" in scenario["message"]
        assert "cannot be switched in this tenant" in scenario["message"]


def _after_each(proxy: FaultProxy, method: str, path: str) -> list[tuple[str, str]]:
    """The next request of the same tenant after each request ``method path`` (None at the end)."""
    following = []
    for index, seen in enumerate(proxy.seen):
        if seen.method == method and seen.path == path:
            tenant = seen.headers.get(TENANT_HEADER)
            later = [s for s in proxy.seen[index + 1 :] if s.headers.get(TENANT_HEADER) == tenant]
            following.append((later[0].method, later[0].path) if later else ("", ""))
    return following


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (
            Fault("PUT", QUEUE, envelope(404, "50000040", "Not found.")),
            "PUT /conformance/v1/bill-run-queue answered HTTP 404",
        ),
        (Fault("GET", CONTROL, _without("bill-run-queue")), "GET /conformance/v1 does not list it"),
    ],
    ids=["not-found", "not-listed"],
)
def test_a_missing_bill_run_queue_errors_the_scenario_and_no_run_is_created(
    pytester: pytest.Pytester, reference_server: RunningServer, fault: Fault, said: str
) -> None:
    """Without the bill-run queue no run can be met Pending: the scenarios that need it are
    errored naming the operation, and the kit does not go on to create the run anyway."""
    with fault_proxy(reference_server.url, fault) as proxy:
        result = run_suite(pytester, proxy.url, "--rule", "BR-CANCEL-PENDING")
    errored = [node for node, outcome in result.outcomes["BR-CANCEL-PENDING"].items() if outcome == "errored"]
    assert errored
    for node in errored:
        assert "lacks the control operation 'bill-run-queue'" in result.messages[node]
        assert said in result.messages[node]
    assert ("POST", "/v1/bill-runs") not in _after_each(proxy, "PUT", QUEUE)
    if "does not list" in said:
        assert proxy.count("PUT", QUEUE) == 0
    assert result.broken == set()


def test_a_missing_pending_occurrence_errors_the_scenario_instead_of_passing_it(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """ "No occurrence of the schedule is pending" cannot be seen without the operation that shows
    it: each scenario that asks is errored, not passed on "nothing was shown"."""
    missing = Fault("GET", rf"{CONTROL}/bill-runs/[^/]+/pending-occurrence", envelope(404, "50000040", "No."))
    with fault_proxy(reference_server.url, missing) as proxy:
        result = run_suite(pytester, proxy.url, "--rule", "BR-CANCEL-ALL")
    asked = {s.headers.get(TENANT_HEADER) for s in proxy.seen if s.path.endswith("/pending-occurrence")}
    outcomes = result.outcomes["BR-CANCEL-ALL"]
    errored = [node for node, outcome in outcomes.items() if outcome == "errored"]
    assert len(errored) == len(asked) >= 5
    assert all("lacks the control operation 'pending-occurrence'" in result.messages[n] for n in errored)
    assert result.broken == set()


# -- each control operation --------------------------------------------------------------------------

#: Each control operation the kit calls, and a call of the HTTP target that makes it (after a reset,
#: on a target whose one tenant is reset between scenarios).
CALLS: dict[str, tuple[str, str, Callable[[HttpTarget], object]]] = {
    "reset": ("POST", f"{CONTROL}/reset", lambda t: t.reset()),
    "features": ("GET", f"{CONTROL}/features", lambda t: t.features()),
    "clock": ("PUT", f"{CONTROL}/clock", lambda t: t.set_today(date(2026, 3, 1))),
    "clock-advance": ("POST", f"{CONTROL}/clock/advance", lambda t: t.advance_to(date(2026, 3, 2))),
    "account-close": ("POST", rf"{CONTROL}/accounts/[^/]+/close", lambda t: t.close_account("Acme")),
    "bill-run-pause": ("POST", rf"{CONTROL}/bill-runs/[^/]+/pause", lambda t: t.pause_bill_run("br-x")),
    "bill-run-resume": ("POST", rf"{CONTROL}/bill-runs/[^/]+/resume", lambda t: t.resume_bill_run("br-x")),
    "pending-occurrence": (
        "GET",
        rf"{CONTROL}/bill-runs/[^/]+/pending-occurrence",
        lambda t: t.pending_occurrence("br-x"),
    ),
    "bill-run-queue": (
        "PUT",
        QUEUE,
        lambda t: t.create_pending_bill_run(target_date=date(2026, 3, 1), account="Acme"),
    ),
    "bill-run-hold": (
        "PUT",
        rf"{CONTROL}/bill-runs/[^/]+/hold",
        lambda t: t.hold_bill_run("br-x", "Processing"),
    ),
}


def _reset_target(url: str, operations: frozenset[str] = frozenset(OPERATIONS)) -> HttpTarget:
    """A target on ``url`` run as one tenant reset between scenarios, reset, with "Acme" in it."""
    target = HttpTarget(Profile.for_loopback(url))
    target.adopt_plan(ControlPlan(Isolation.RESET, operations, "1").as_wire())
    return target


def test_the_table_covers_every_control_operation_the_kit_calls() -> None:
    assert set(CALLS) == set(CONTROL_OPERATIONS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_control_operation_not_found_errors_naming_it(reference_server: RunningServer, name: str) -> None:
    method, path, call = CALLS[name]
    with fault_proxy(
        reference_server.url, Fault(method, path, envelope(404, "50000040", "Not found."))
    ) as proxy:
        target = _reset_target(proxy.url)
        if name != "reset":
            target.reset()
            target.create_account("Acme")
        with pytest.raises(ControlOperationMissingError) as raised:
            call(target)
    assert raised.value.name == name
    assert "answered HTTP 404" in str(raised.value)
    assert proxy.count("POST", "/v1/bill-runs") == 0


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_control_operation_the_info_does_not_list_is_not_called(
    reference_server: RunningServer, name: str
) -> None:
    method, path, call = CALLS[name]
    with fault_proxy(reference_server.url) as proxy:
        target = _reset_target(proxy.url, frozenset(OPERATIONS) - {name})
        if name != "reset":
            target.reset()
            target.create_account("Acme")
        with pytest.raises(ControlOperationMissingError) as raised:
            call(target)
    assert raised.value.name == name
    assert "does not list it among its operations" in str(raised.value)
    assert proxy.count(method, path) == 0
    assert proxy.count("POST", "/v1/bill-runs") == 0


REFUSED = envelope(409, "50000030", "Not now.")


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("reset", ArrangementError),
        ("features", ArrangementError),
        ("clock", ArrangementError),
        ("clock-advance", ArrangementError),
        ("pending-occurrence", CannotObserveError),
        ("bill-run-queue", ArrangementError),
    ],
)
def test_a_refused_arrangement_is_raised_and_not_taken_as_done(
    reference_server: RunningServer, name: str, error: type[Exception]
) -> None:
    """A refusal of a control operation that arranges (or observes) is the scenario's error with
    the target's reason; the operations whose refusal a step judges (closing an account, pausing,
    holding) still return it as a refusal."""
    method, path, call = CALLS[name]
    with fault_proxy(reference_server.url, Fault(method, path, REFUSED)) as proxy:
        target = _reset_target(proxy.url)
        if name != "reset":
            target.reset()
            target.create_account("Acme")
        with pytest.raises(error, match="Not now"):
            call(target)
        if name == "clock":  # not taken as set: the next day asked for is sent again
            with pytest.raises(ArrangementError):
                call(target)
            assert proxy.count(method, path) == 2
    assert proxy.count("POST", "/v1/bill-runs") == 0


def test_a_refused_feature_setting_is_not_applicable_with_the_targets_reason(
    reference_server: RunningServer,
) -> None:
    refuse = Fault("PUT", f"{CONTROL}/features", envelope(400, "50000020", "Orders stay on here."))
    with fault_proxy(reference_server.url, refuse) as proxy:
        target = _reset_target(proxy.url)
        target.reset()
        with pytest.raises(NotApplicableError) as raised:
            target.set_features(replace(target.features(), orders=False))
    assert str(raised.value) == "the target refused to switch its tenant to Orders off: Orders stay on here."
    assert refuse.served == 1


# -- the documentation -------------------------------------------------------------------------------


def test_the_guide_names_every_control_operation_and_what_happens_without_it() -> None:
    """docs/implementers.md, section 6, names each operation the kit may call by the name its info
    lists it under (release too), and says what a missing or refused one does."""
    text = (PROJECT_ROOT / "docs" / "implementers.md").read_text(encoding="utf-8")
    section = text[text.index("## 6.") : text.index("## 7.")]
    for name in [*CONTROL_OPERATIONS, "bill-run-release"]:
        assert re.search(rf"\| `{re.escape(name)}` \|", section), name
    assert "not applicable" in section
    assert "errored" in section
