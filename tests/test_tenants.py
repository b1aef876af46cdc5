"""Control API version 2: a tenant per scenario, isolated, bounded and expiring, so that runs in
parallel against one target never meet; version-1 targets keep working."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from billing_conformance import PROJECT_ROOT
from billing_conformance.results import stable
from reference_impl.server import RunningServer
from reference_impl.server.tenants import TENANT_HEADER, TenantRegistry
from schemas.contract import violations
from steps.targets.http import HttpTarget
from steps.targets.profile import Profile
from tests.servers import running_server
from tests.suite_runner import run_suite


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_tenants_are_bounded_and_a_full_registry_refuses_clearly() -> None:
    """Past the bound, creating a tenant is refused (None) rather than slowing anyone down."""
    registry = TenantRegistry(limit=2)
    assert registry.create() is not None
    assert registry.create() is not None
    assert registry.create() is None


def test_an_idle_tenant_expires_and_a_used_one_lives_on() -> None:
    """A tenant unused for longer than the idle time is gone; using one keeps it alive."""
    clock = _Clock()
    registry = TenantRegistry(idle_seconds=10, now=clock)
    idle, used = registry.create(), registry.create()
    clock.now = 8
    assert registry.find(used) is not None
    clock.now = 15
    assert registry.find(idle) is None
    assert registry.find(used) is not None


def test_a_request_without_a_tenant_addresses_the_default_one() -> None:
    """Version 1 stays: no header, the one default tenant."""
    registry = TenantRegistry()
    assert registry.find(None) is registry.default
    assert registry.find("no-such-tenant") is None


def _tenant(server: RunningServer) -> dict[str, str]:
    made = requests.post(f"{server.url}/conformance/v2/tenants", json={}, timeout=10)
    assert made.status_code == 201
    body = made.json()
    return {body["header"]: body["tenantId"]}


def test_each_tenant_sees_only_its_own_features_and_clock(reference_server: RunningServer) -> None:
    """Switching a feature or moving the clock of one tenant changes nothing for another."""
    first, second = _tenant(reference_server), _tenant(reference_server)
    base = f"{reference_server.url}/conformance/v1"
    requests.put(f"{base}/features", json={"invoiceSettlement": False}, headers=first, timeout=10)
    requests.put(f"{base}/clock", json={"now": "2030-01-01T00:00:00"}, headers=first, timeout=10)
    seen = requests.get(f"{base}/features", headers=second, timeout=10).json()
    clock = requests.get(f"{base}/clock", headers=second, timeout=10).json()
    assert seen["invoiceSettlement"] is True
    assert clock["now"] != "2030-01-01T00:00:00"
    assert requests.get(f"{base}/features", headers=first, timeout=10).json()["invoiceSettlement"] is False


def test_an_unknown_or_deleted_tenant_is_not_found(reference_server: RunningServer) -> None:
    """A request for a tenant that does not exist (or no longer) gets Zuora's envelope and 404."""
    tenant = _tenant(reference_server)
    (tenant_id,) = tenant.values()
    gone = requests.delete(f"{reference_server.url}/conformance/v2/tenants/{tenant_id}", timeout=10)
    assert gone.status_code == 200
    answer = requests.get(f"{reference_server.url}/v1/catalog/products", headers=tenant, timeout=10)
    assert answer.status_code == 404
    assert answer.json()["success"] is False


def test_the_kit_falls_back_to_a_global_reset_on_a_version_1_target() -> None:
    """A target without version 2 is reset between scenarios, as before, and the suite holds."""
    with running_server(isolated_tenants=False) as server:
        target = HttpTarget(Profile.for_loopback(server.url))
        target.reset()
        target.reset()
        assert target.tenant is None
        assert TENANT_HEADER not in target.client.headers


def test_every_scenario_gets_a_tenant_of_its_own(reference_server: RunningServer) -> None:
    """Each reset leaves the previous scenario's tenant; the next scenario addresses a new one
    once it reaches the target."""
    target = HttpTarget(Profile.for_loopback(reference_server.url))
    target.reset()
    target.create_account("A")
    first = target.tenant
    target.reset()
    assert (target.tenant, target.client.headers) == (None, {})
    target.create_account("A")
    assert first is not None
    assert target.tenant not in (None, first)
    assert target.client.headers == {TENANT_HEADER: target.tenant}


_CLI = (sys.executable, "-m", "billing_conformance.cli")


def _run(url: str, folder: Path, *cli_args: str) -> tuple[dict[str, object], str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "billing_conformance.cli",
            "run",
            "--target",
            url,
            "--results",
            str(folder),
            *cli_args,
            "--",
            "-p",
            "no:randomly",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    assert isinstance(results, dict)
    return results, done.stdout


def _text(path: Path) -> str:
    """A results file without what differs between identical runs (when, how long each scenario
    and step took, and the tenants' ids)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\b[0-9a-f]{16}\b", "<tenant>", text)
    text = re.sub(r'"duration": \d+|\btime="[\d.]+"', "<took>", text)
    return re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[^\s\"<]*", "<when>", text)


def test_parallel_and_serial_runs_against_one_target_agree(tmp_path: Path) -> None:
    """By default a run against a server with isolated tenants is parallel: every rule holds,
    the summary names each rule's statement, and the results match a serial run's."""
    with running_server() as server:
        serial, _ = _run(server.url, tmp_path / "serial", "--workers", "0")
        parallel, printed = _run(server.url, tmp_path / "parallel")
    assert "scenarios run in 4 parallel workers" in printed, printed[:2000]
    assert parallel["summary"]["verdict"] == "conforms"  # type: ignore[index]
    assert stable(parallel, tmp_path / "parallel") == stable(serial, tmp_path / "serial")
    assert violations("conformance-results", parallel) == []
    for derived in ("cucumber.json", "junit.xml", "report.md"):  # written from the merged records
        assert _text(tmp_path / "parallel" / derived) == _text(tmp_path / "serial" / derived), derived
    assert "Only an order processed at once can write off unpaid invoices" in printed
    assert "requests per scenario: median" in printed


def test_a_target_with_one_shared_tenant_is_not_run_in_parallel(tmp_path: Path) -> None:
    """A version-1 target runs serially by default and refuses workers it cannot serve."""
    with running_server(isolated_tenants=False) as server:
        serial, printed = _run(server.url, tmp_path / "serial")
        refused = subprocess.run(
            [*_CLI, "run", "--target", server.url, "--workers", "2"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    assert "workers" not in printed
    assert serial["summary"]["verdict"] == "conforms"  # type: ignore[index]
    assert refused.returncode == 2
    assert "--workers 0" in refused.stderr


def test_the_suite_holds_on_a_version_1_target(pytester: pytest.Pytester) -> None:
    """Serial runs against a target with only the version-1 control API still hold every rule."""
    with running_server(isolated_tenants=False) as server:
        result = run_suite(pytester, server.url)
    assert result.ret == 0
    assert result.broken == set()
