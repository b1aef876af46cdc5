"""The target is one origin: the kit sends nothing (no request, no tenant header, no credential)
anywhere else, whether a redirect points elsewhere or the target hands back a URL on another host;
so the safety checks of the target's URL hold for every URL the kit contacts.

Played by real loopback servers: the reference behind a proxy (:mod:`tests.fault_proxy`), another
reference as the other origin, and a hostile server (:mod:`tests.hostile_server`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from reference_impl.server import RunningServer
from steps.targets.errors import ProtocolError, TargetSpecError
from steps.targets.http import HttpTarget
from steps.targets.profile import Profile, load_profile
from steps.targets.transport import MAX_REDIRECTS, HttpClient
from tests.fault_proxy import Fault, Reply, Seen, fault_proxy, redirect
from tests.hostile_server import answer, hostile_server, raw, scripted
from tests.profile_support import profile_text, write
from tests.servers import running_server
from tests.suite_runner import run_suite


def _elsewhere(origin: str) -> Callable[[Seen], str]:
    """The same path and query, on ``origin``."""
    return lambda seen: origin + seen.path + (f"?{seen.query}" if seen.query else "")


def test_a_redirect_to_another_origin_is_followed_nowhere_and_blames_no_rule(
    pytester: pytest.Pytester, reference_server: RunningServer
) -> None:
    """Every public request is redirected (307) to another server, a working reference: it gets
    none of them, each scenario is errored naming where the redirect pointed, no rule is broken."""
    with (
        running_server() as other_server,
        fault_proxy(other_server.url) as other,
        fault_proxy(
            reference_server.url, Fault("GET", r"/v1/.*", redirect(307, _elsewhere(other.url)))
        ) as proxy,
    ):
        result = run_suite(pytester, proxy.url, "--rule", "BR-DELETE")
    assert other.seen == []
    outcomes = result.outcomes["BR-DELETE"]
    assert set(outcomes.values()) == {"errored"}
    assert all(
        f"redirected the kit to '{other.url}/v1/" in message and "another origin" in message
        for message in result.messages.values()
    ), result.messages
    assert result.broken == set()


def test_same_origin_redirects_are_followed_three_in_a_row_as_http_says() -> None:
    """A 307 keeps the method, the body and the headers; a 303 turns the request into a GET without
    a body; the answer after them is the call's. A fourth redirect in a row is a protocol error."""
    chain = scripted(
        raw(307, b"", {"Location": "/v1/orders-again"}),
        raw(303, b"", {"Location": "/v1/orders/O-1"}),
        answer({"success": True, "orderNumber": "O-1"}),
        *[raw(308, b"", {"Location": f"/v1/hop-{n}"}) for n in range(MAX_REDIRECTS + 1)],
    )
    with hostile_server(chain) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        client.headers["X-Conformance-Tenant"] = "t-1"
        status, body = client.call("create order", "POST", "/v1/orders", body={"orderDate": "2026-03-01"})
        with pytest.raises(ProtocolError) as raised:
            client.call("create order", "POST", "/v1/orders", body={"orderDate": "2026-03-01"})
    assert (status, body) == (200, {"success": True, "orderNumber": "O-1"})
    first, again, after = server.requests[:3]
    assert (first.method, again.method, after.method) == ("POST", "POST", "GET")
    assert again.path == "/v1/orders-again"
    assert again.body == first.body == b'{"orderDate":"2026-03-01"}'
    assert again.headers["x-conformance-tenant"] == "t-1"
    assert (after.path, after.body, "content-type" in after.headers) == ("/v1/orders/O-1", b"", False)
    assert client.exchanges[-1].url == f"{server.url}/v1/orders/O-1"
    assert str(raised.value) == f"create order: protocol error: more than {MAX_REDIRECTS} redirects in a row"
    assert len(server.requests) == 3 + MAX_REDIRECTS + 1


def test_a_redirect_to_a_zuora_production_host_is_never_followed() -> None:
    """A sandbox that redirects to Zuora's production API: refused before anything is sent there."""
    moved = raw(308, b"", {"Location": "https://rest.zuora.com/v1/catalog/products"})
    with hostile_server(moved) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        with pytest.raises(ProtocolError) as raised:
            client.call("list catalog", "GET", "/v1/catalog/products")
    assert "redirected the kit to 'https://rest.zuora.com/v1/catalog/products'" in str(raised.value)
    assert len(server.requests) == 1


class _PlansByUrl:
    """The real catalog, each product's rate plans given as a URL (as Zuora-Version 230 and later
    do) on ``origin``, and the plans themselves served there when it is the proxy's own."""

    def __init__(self) -> None:
        self.origin = ""
        self.plans: dict[str, list[dict[str, object]]] = {}

    def catalog(self, _seen: Seen, forward: Callable[[], Reply]) -> Reply:
        got = forward()
        found = json.loads(got.body)
        for index, product in enumerate(found["products"]):
            self.plans[str(index)] = product["productRatePlans"]
            product["productRatePlans"] = f"{self.origin}/v1/rateplan/{index}/productRatePlan"
        return Reply(got.status, json.dumps(found).encode(), got.headers)

    def listing(self, seen: Seen, _forward: Callable[[], Reply]) -> Reply:
        plans = [{"id": p["id"], "name": p["name"]} for p in self.plans[seen.path.split("/")[3]]]
        body = json.dumps({"success": True, "productRatePlans": plans}).encode()
        return Reply(200, body, {"Content-Type": "application/json"})


@pytest.mark.parametrize("where", ["another-loopback-server", "zuora-production", "the-target"])
def test_a_rate_plans_url_is_followed_on_the_target_only(reference_server: RunningServer, where: str) -> None:
    """The catalog hands back its rate plans' URL. On another host (another loopback server,
    Zuora's production API) it is a protocol error at that field, and nothing is sent there; on
    the target itself it is followed."""
    by_url = _PlansByUrl()
    faults = (
        Fault("GET", "/v1/catalog/products", by_url.catalog),
        Fault("GET", r"/v1/rateplan/\d+/productRatePlan", by_url.listing),
    )
    with (
        hostile_server(answer({"success": True})) as other,
        fault_proxy(reference_server.url, *faults) as proxy,
    ):
        by_url.origin = {
            "another-loopback-server": other.url,
            "zuora-production": "https://rest.zuora.com",
        }.get(where, proxy.url)
        target = HttpTarget(Profile.for_loopback(proxy.url))
        target.reset()
        target.create_account("Acme")
        if where == "the-target":
            assert isinstance(target.subscribe("Acme", "Basic Monthly", date(2026, 3, 1)), str)
            assert proxy.count("GET", r"/v1/rateplan/\d+/productRatePlan") >= 1
            return
        with pytest.raises(ProtocolError) as raised:
            target.subscribe("Acme", "Basic Monthly", date(2026, 3, 1))
    assert other.requests == []
    assert raised.value.field == "$.products[0].productRatePlans"
    assert f"the target pointed the kit to '{by_url.origin}/v1/rateplan/0/" in str(raised.value)
    assert target.client.exchanges[-1].operation == "list catalog"


def test_a_token_path_that_is_not_a_path_on_the_target_is_refused(tmp_path: Path) -> None:
    """The OAuth token comes from the target itself; a token URL on another host is refused when
    the profile is read, before anything is sent."""
    auth = 'kind = "oauth"\nclient_id_env = "X_ID"\nclient_secret_env = "X_SECRET"\n'
    for where in ("https://auth.example.test/oauth/token", "//auth.example.test/oauth/token"):
        text = profile_text("https://billing.example.test", auth=auth + f'token_path = "{where}"')
        with pytest.raises(TargetSpecError) as raised:
            load_profile(write(tmp_path, text), "")
        assert "auth.token_path" in str(raised.value)
        assert "a path on the target" in str(raised.value)
