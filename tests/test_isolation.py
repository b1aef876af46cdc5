"""How scenarios are kept apart is decided once, before any scenario or worker starts, from the
control API (its info, and whether it makes tenants); a worker never decides for itself, and a
failure to create a tenant is retried like any transient answer and then errors the scenario:
no worker ever falls back to resetting the tenant the others are using.

The faults are played by a loopback proxy (:mod:`tests.fault_proxy`) in front of the real
reference server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from billing_conformance import FEATURES_DIR, PROJECT_ROOT
from reference_impl.server import RunningServer
from reference_impl.wire.control_api import OPERATIONS
from steps.targets.control_plan import TENANT_SETTINGS, ControlPlan, Isolation
from steps.targets.errors import ControlOperationMissingError, TargetFailedError, UndecidedIsolationError
from steps.targets.http import HttpTarget
from steps.targets.profile import Profile
from steps.targets.protocol import TenantFeatures
from tests.fault_proxy import Fault, envelope, fault_proxy, first_per_client, html, reply
from tests.servers import running_server
from tests.transport_support import Sleeps

TENANTS = "/conformance/v2/tenants"
RESET = "/conformance/v1/reset"
INFO = "/conformance/v1"


def _target(url: str) -> HttpTarget:
    return HttpTarget(Profile.for_loopback(url))


# -- the decision ----------------------------------------------------------------------------------


def test_the_plan_comes_from_the_info_and_one_tenant_made_and_deleted(
    reference_server: RunningServer,
) -> None:
    """Against the reference (version 2), the plan is a tenant per scenario with the operations its
    info lists; learning it made one tenant and deleted it again, and nothing else."""
    with fault_proxy(reference_server.url) as proxy:
        plan = _target(proxy.url).control_plan()
    assert plan == ControlPlan(
        Isolation.TENANTS, frozenset({*OPERATIONS, TENANT_SETTINGS}), "1", TenantFeatures()
    )
    assert [(s.method, s.path) for s in proxy.seen][:2] == [("GET", INFO), ("POST", TENANTS)]
    assert [s.method for s in proxy.seen[2:]] == ["DELETE"]


def test_a_version_1_target_is_reset_and_not_run_in_parallel() -> None:
    """A target whose tenant creation is not found offers version 1 only: the one tenant is
    reset before each scenario, and the target is not parallel-safe."""
    with running_server(isolated_tenants=False) as server:
        target = _target(server.url)
        assert target.control_plan().isolation is Isolation.RESET
        assert target.parallel_safe is False
        target.reset()
        assert target.tenant is None


def test_a_transient_failure_while_learning_the_plan_is_retried(
    reference_server: RunningServer, sleeps: Sleeps
) -> None:
    """Two gateway errors on the tenant probe are retried; the plan is still a tenant each."""
    fault = Fault("POST", TENANTS, html(502), times=2)
    with fault_proxy(reference_server.url, fault) as proxy:
        assert _target(proxy.url).control_plan().isolation is Isolation.TENANTS
    assert fault.served == 2
    assert sleeps.waits == [1.0, 2.0]


def test_a_plan_that_cannot_be_learnt_errors_every_scenario_without_asking_again(
    reference_server: RunningServer, sleeps: Sleeps
) -> None:
    """A probe that fails past the retries decides nothing: each reset says why, and the target is
    not asked again (no later answer can change the run's decision)."""
    with fault_proxy(reference_server.url, Fault("POST", TENANTS, html(503))) as proxy:
        target = _target(proxy.url)
        for _ in range(2):
            with pytest.raises(UndecidedIsolationError) as raised:
                target.reset()
        asked = len(proxy.seen)
        with pytest.raises(UndecidedIsolationError):
            target.parallel_safe  # noqa: B018 - the property decides
        assert len(proxy.seen) == asked
    assert "create tenant: the target failed (HTTP 503 on each of 4 attempts)" in str(raised.value)
    assert proxy.count("POST", RESET) == 0
    assert len(sleeps.waits) == 3


# -- after the decision: a tenant per scenario, never a reset -----------------------------------------

_DECIDED = ControlPlan(Isolation.TENANTS, frozenset(OPERATIONS), "1").as_wire()


def _enter(target: HttpTarget) -> None:
    """A scenario's start (reset), then its first step that reaches the target."""
    target.reset()
    target.create_account("A")


def test_a_target_handed_the_plan_asks_nothing_to_decide(reference_server: RunningServer) -> None:
    """A worker's target takes the controller's plan: a scenario's tenant is made as the scenario
    first reaches the target, and nothing is asked to decide the plan."""
    with fault_proxy(reference_server.url) as proxy:
        target = _target(proxy.url)
        target.adopt_plan(_DECIDED)
        target.reset()
        assert proxy.seen == []  # nothing made before the scenario needs it
        target.create_account("A")
    assert [(s.method, s.path) for s in proxy.seen] == [("POST", TENANTS), ("POST", "/v1/accounts")]
    assert target.tenant is not None


def test_a_tenant_creation_that_fails_once_is_retried(
    reference_server: RunningServer, sleeps: Sleeps
) -> None:
    """A 500 answer to the scenario's tenant creation is retried, and the scenario gets its tenant."""
    fault = Fault("POST", TENANTS, reply(500, {"success": False}), times=1)
    with fault_proxy(reference_server.url, fault) as proxy:
        target = _target(proxy.url)
        target.adopt_plan(_DECIDED)
        _enter(target)
    assert target.tenant is not None
    assert fault.served == 1
    assert proxy.count("POST", RESET) == 0
    assert sleeps.waits == [1.0]


@pytest.mark.parametrize(
    ("fault", "error", "said"),
    [
        (html(502), TargetFailedError, "create tenant: the target failed (HTTP 502 on each of 4 attempts)"),
        (
            envelope(404, "50000040", "Not found."),
            ControlOperationMissingError,
            "lacks the control operation",
        ),
    ],
    ids=["gateway-error", "not-found"],
)
@pytest.mark.usefixtures("sleeps")
def test_a_tenant_creation_that_keeps_failing_errors_the_scenario_and_never_resets(
    reference_server: RunningServer,
    fault: object,
    error: type[Exception],
    said: str,
) -> None:
    """Once the run has decided on a tenant per scenario, a tenant creation that fails (past the
    retries) or is not found is the scenario's error: the shared tenant is never reset instead."""
    with fault_proxy(reference_server.url, Fault("POST", TENANTS, fault)) as proxy:  # type: ignore[arg-type]
        target = _target(proxy.url)
        target.adopt_plan(_DECIDED)
        for _ in range(2):
            with pytest.raises(error) as raised:
                _enter(target)
        assert said in str(raised.value)
        assert proxy.count("POST", RESET) == 0
        # still no tenant: the scenario's next step tries again, and never reaches the default one
        with pytest.raises(error):
            target.create_account("A")
        assert target.tenant is None
        assert [s.path for s in proxy.seen if s.path != TENANTS] == []
        assert target.parallel_safe is True


# -- through pytest-xdist ----------------------------------------------------------------------------


def _pytest(url: str, results: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Plain ``pytest features --target URL ARGS`` in a process of its own."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(FEATURES_DIR),
            f"--rootdir={PROJECT_ROOT}",
            f"--target={url}",
            f"--results={results}",
            "-p",
            "no:randomly",
            "-q",
            *args,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_parallel_workers_meeting_a_failed_tenant_creation_never_reset_the_shared_tenant(
    tmp_path: Path,
) -> None:
    """Each process's first tenant creation is answered by a gateway error (the controller's
    probe and each worker's first scenario): every one is retried, no reset reaches the target,
    and every rule holds. Before, each worker turned to resetting the shared tenant while the
    other ran."""
    fault = Fault("POST", TENANTS, html(502), when=first_per_client())
    with running_server() as server, fault_proxy(server.url, fault) as proxy:
        done = _pytest(
            proxy.url,
            tmp_path / "out",
            "-n",
            "2",
            "--rule",
            "BR-DELETE",
            "--rule",
            "BR-CANCEL-COMPLETED",
            "--rule",
            "BR-CANCEL-ONLY-ITS-DOCUMENTS",
        )
    assert proxy.count("POST", RESET) == 0
    assert fault.served >= 3, "the controller and both workers met the fault"
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "conformance.json").read_text(encoding="utf-8"))
    assert results["summary"]["verdict"] == "partial"  # three rules selected, and they hold
    assert results["summary"]["must"]["broken"] == results["summary"]["must"]["errored"] == 0


def test_plain_pytest_refuses_workers_against_a_target_that_resets_one_tenant(tmp_path: Path) -> None:
    """``pytest -n 2`` against a version-1 target stops before any scenario, saying why: its
    workers would reset each other's tenant."""
    with running_server(isolated_tenants=False) as server, fault_proxy(server.url) as proxy:
        done = _pytest(proxy.url, tmp_path / "out", "-n", "2", "--rule", "BR-DELETE")
    assert done.returncode == 4, done.stdout[-2000:] + done.stderr[-2000:]
    assert "resets one shared tenant" in done.stderr
    assert "run it without -n" in done.stderr
    assert proxy.count("POST", RESET) == 0
