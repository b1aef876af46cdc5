"""A scenario's tenant is made when the scenario first reaches the target, with the day and the
feature switches the scenario set before that (``tenant-settings``), so that most scenarios need
no request to set either; a target that cannot make a tenant with them, or does not show that it
did, has them set right after, as before. The same verdicts either way, fewer requests.

The exchanges are watched by a loopback proxy (:mod:`tests.fault_proxy`) in front of the real
reference server."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import requests

from reference_impl.server import RunningServer
from reference_impl.wire.control_api import OPERATIONS
from steps.targets.control_plan import TENANT_SETTINGS, ControlPlan, Isolation, features_as_wire
from steps.targets.http import HttpTarget
from steps.targets.profile import Profile
from steps.targets.protocol import TenantFeatures
from tests.fault_proxy import Fault, Reply, Seen, fault_proxy
from tests.servers import running_server

TENANTS = "/conformance/v2/tenants"
CLOCK = "/conformance/v1/clock"
_WITH_CLOCK = ControlPlan(Isolation.TENANTS, frozenset({*OPERATIONS, TENANT_SETTINGS}), "1").as_wire()
_WITHOUT = ControlPlan(Isolation.TENANTS, frozenset(OPERATIONS), "1").as_wire()


def _scenario(url: str, plan: dict[str, object]) -> HttpTarget:
    """A target that starts a scenario on 2026-03-01 and then creates an account."""
    target = HttpTarget(Profile.for_loopback(url))
    target.adopt_plan(plan)
    target.reset()
    target.set_today(date(2026, 3, 1))
    target.create_account("A")
    return target


def _clock_of(server: RunningServer, target: HttpTarget) -> str:
    answer = requests.get(server.url + CLOCK, headers=target.client.headers, timeout=10)
    return str(answer.json()["now"])


def test_the_first_day_goes_with_the_tenant(reference_server: RunningServer) -> None:
    with fault_proxy(reference_server.url) as proxy:
        target = _scenario(proxy.url, _WITH_CLOCK)
    assert [(s.method, s.path) for s in proxy.seen] == [("POST", TENANTS), ("POST", "/v1/accounts")]
    assert proxy.seen[0].json() == {"now": "2026-03-01T00:00:00"}
    assert _clock_of(reference_server, target) == "2026-03-01T00:00:00"
    target.close()


def test_a_target_without_tenant_clock_has_its_clock_set_after(reference_server: RunningServer) -> None:
    """Its info does not list ``tenant-settings``: the tenant is asked for as before, with ``{}``."""
    with fault_proxy(reference_server.url) as proxy:
        target = _scenario(proxy.url, _WITHOUT)
    assert [(s.method, s.path) for s in proxy.seen] == [
        ("POST", TENANTS),
        ("PUT", CLOCK),
        ("POST", "/v1/accounts"),
    ]
    assert proxy.seen[0].json() == {}
    assert _clock_of(reference_server, target) == "2026-03-01T00:00:00"
    target.close()


def _without_now(_seen: Seen, forward: object) -> Reply:
    """The real answer, its ``now`` left out (a target that took the field and ignored it)."""
    real: Reply = forward()  # type: ignore[operator]
    body = json.loads(real.body)
    body.pop("now", None)
    return Reply(real.status, json.dumps(body).encode(), {"Content-Type": "application/json"})


def test_a_target_that_does_not_show_the_time_has_its_clock_set(reference_server: RunningServer) -> None:
    with fault_proxy(reference_server.url, Fault("POST", TENANTS, _without_now)) as proxy:
        target = _scenario(proxy.url, _WITH_CLOCK)
    assert [(s.method, s.path) for s in proxy.seen] == [
        ("POST", TENANTS),
        ("PUT", CLOCK),
        ("POST", "/v1/accounts"),
    ]
    target.close()


def test_a_scenario_that_never_reaches_the_target_makes_no_tenant(reference_server: RunningServer) -> None:
    with fault_proxy(reference_server.url) as proxy:
        target = HttpTarget(Profile.for_loopback(proxy.url))
        target.adopt_plan(_WITH_CLOCK)
        target.reset()
        target.set_today(date(2026, 3, 1))
        target.leave_tenant()
        target.reset()
    assert proxy.seen == []
    assert target.made_tenants.alive == ()


def _live(server: RunningServer) -> int:
    return int(requests.get(server.url + "/conformance/v1", timeout=10).json()["liveTenants"])


def test_the_server_makes_a_tenant_with_the_clock_asked_for_or_makes_none() -> None:
    with running_server() as server:
        before = _live(server)
        for body, why in [
            ({"now": "2026-02-29T00:00:00"}, "now"),
            ({"now": "2026-03-01"}, "now"),
            ({"features": {"orders": "yes"}}, "orders"),
            ({"timeZone": "UTC"}, "timeZone"),
        ]:
            answer = requests.post(server.url + TENANTS, json=body, timeout=10)
            assert answer.status_code == 400, body
            said = answer.json()
            assert said["success"] is False
            assert why in said["reasons"][0]["message"], said
        assert _live(server) == before  # a refused request made nothing
        made = requests.post(server.url + TENANTS, json={"now": "2030-12-31T23:59:59"}, timeout=10).json()
        assert made["now"] == "2030-12-31T23:59:59"
        clock = requests.get(server.url + CLOCK, headers={made["header"]: made["tenantId"]}, timeout=10)
        assert clock.json()["now"] == "2030-12-31T23:59:59"
        assert _live(server) == before + 1


def _refusing_settings(seen: Seen, forward: object) -> Reply:
    """A target that refuses a tenant asked for with settings, instead of leaving a switch it
    cannot have as it is (as docs/implementers.md asks); a bare creation it makes."""
    if seen.json():
        body = {"success": False, "reasons": [{"code": "53100020", "message": "cannot have that"}]}
        return Reply(400, json.dumps(body).encode(), {"Content-Type": "application/json"})
    made: Reply = forward()  # type: ignore[operator]
    return made


def test_a_target_refusing_the_settings_is_judged_as_without_them(reference_server: RunningServer) -> None:
    """The tenant is made bare and its settings set after, so a refused switch makes the scenario
    not applicable, the same verdict as from a target without ``tenant-settings``."""
    with fault_proxy(reference_server.url, Fault("POST", TENANTS, _refusing_settings)) as proxy:
        target = HttpTarget(Profile.for_loopback(proxy.url))
        target.adopt_plan(_WITH_CLOCK | {"fresh": features_as_wire(TenantFeatures())})
        target.reset()
        target.set_today(date(2026, 3, 1))
        target.set_features(replace(target.features(), invoice_settlement=False))
        target.create_account("A")
        assert target.features().invoice_settlement is False
    assert [(s.method, s.path) for s in proxy.seen] == [
        ("POST", TENANTS),
        ("POST", TENANTS),
        ("PUT", CLOCK),
        ("PUT", "/conformance/v1/features"),
        ("POST", "/v1/accounts"),
    ]
    assert [s.json() for s in proxy.seen[:2]] == [
        {"now": "2026-03-01T00:00:00", "features": {"invoiceSettlement": False}},
        {},
    ]
    target.close()


def _starting_otherwise(_seen: Seen, forward: object) -> Reply:
    """A target whose new tenants start with Orders off (unlike the one the plan was learnt on)."""
    real: Reply = forward()  # type: ignore[operator]
    body = json.loads(real.body)
    body["features"]["orders"] = False
    return Reply(real.status, json.dumps(body).encode(), {"Content-Type": "application/json"})


def test_features_told_before_the_tenant_is_made_are_the_tenants(reference_server: RunningServer) -> None:
    """A scenario that reads the features before its tenant exists is told what a new tenant
    starts with; a tenant made otherwise is switched to that, so what it was told holds."""
    with fault_proxy(reference_server.url, Fault("POST", TENANTS, _starting_otherwise)) as proxy:
        target = HttpTarget(Profile.for_loopback(proxy.url))
        target.adopt_plan(_WITH_CLOCK | {"fresh": features_as_wire(TenantFeatures())})
        target.reset()
        told = target.features()
        target.create_account("A")
    assert told.orders is True
    assert [(s.method, s.path) for s in proxy.seen] == [
        ("POST", TENANTS),
        ("PUT", "/conformance/v1/features"),
        ("POST", "/v1/accounts"),
    ]
    assert proxy.seen[1].json() == {"orders": True}
    target.close()
