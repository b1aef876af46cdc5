"""Which requests are retried after a server error (and how long the kit waits between tries),
played by a real loopback server (:mod:`tests.hostile_server`). The decision is written in
:mod:`steps.targets.answers` and in docs/implementers.md, section 2."""

from __future__ import annotations

from typing import Any

import pytest

from steps.targets.errors import TargetFailedError
from steps.targets.profile import Profile
from steps.targets.transport import HttpClient
from tests.hostile_server import answer, hostile_server, raw, scripted
from tests.transport_support import Sleeps

CATALOG = "/v1/catalog/products"
CATALOG_BODY = {"success": True, "products": [{"id": "prod-1", "name": "Basic", "productRatePlans": []}]}


def _list_catalog(client: HttpClient) -> tuple[int, Any]:
    return client.call("list catalog", "GET", CATALOG, response_schema="catalog-response")


@pytest.mark.parametrize(
    ("status", "method", "path", "headers", "repeatable", "attempts"),
    [
        (500, "GET", "/v1/bill-runs/br-1", None, False, 4),
        (504, "GET", "/v1/bill-runs/br-1", None, False, 4),
        (501, "GET", "/v1/bill-runs/br-1", None, False, 1),
        (500, "POST", "/v1/orders", None, False, 1),
        (503, "POST", "/v1/orders", {"Idempotency-Key": "retry-1"}, False, 4),
        (500, "POST", "/v1/payments", None, False, 1),
        (502, "PUT", "/v1/bill-runs/br-1/cancel", None, False, 1),
        (500, "DELETE", "/v1/bill-runs/br-1", None, False, 1),
        (500, "PUT", "/conformance/v1/clock", None, True, 4),
        (502, "POST", "/conformance/v2/tenants", None, True, 4),
    ],
    ids=[
        "look-up",
        "look-up-timed-out-upstream",
        "look-up-not-implemented",
        "order",
        "order-with-idempotency-key",
        "payment",
        "cancel-bill-run",
        "delete-bill-run",
        "control-setting",
        "tenant-creation",
    ],
)
def test_a_server_error_is_retried_only_for_a_request_that_may_be_repeated(
    sleeps: Sleeps,
    status: int,
    method: str,
    path: str,
    headers: dict[str, str] | None,
    repeatable: bool,
    attempts: int,
) -> None:
    """A 500, 502, 503 or 504 is retried (three times) for a look-up, a request with an
    Idempotency-Key and the requests the kit marks repeatable; an order, a payment, a cancel or a
    delete is sent once, since the failed attempt may have been carried out; a 501 will not pass
    and is not retried. Either way the scenario is errored in the end."""
    with hostile_server(raw(status, b'{"success": false}')) as server:
        client = HttpClient(Profile(server.url, "test", request_seconds=5))
        with pytest.raises(TargetFailedError) as raised:
            client.call(
                "op",
                method,
                path,
                body=None if method == "GET" else {},
                headers=headers,
                repeatable=repeatable,
            )
    assert [(r.method, r.path) for r in server.requests] == [(method, path)] * attempts
    assert len(sleeps.waits) == attempts - 1
    assert str(raised.value).startswith(f"op: the target failed (HTTP {status}")


def test_a_server_error_that_passes_is_retried_and_the_answer_returned(sleeps: Sleeps) -> None:
    """A gateway error, then a 503 asking to wait 2 s, then the answer: the look-up succeeds,
    having waited 1 s (the backoff) and then what Retry-After asked."""
    plays = scripted(
        raw(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}),
        raw(503, b"{}", {"Retry-After": "2"}),
        answer(CATALOG_BODY),
    )
    with hostile_server(plays) as server:
        status, body = _list_catalog(HttpClient(Profile(server.url, "test", request_seconds=5)))
    assert (status, body["products"][0]["name"]) == (200, "Basic")
    assert len(server.requests) == 3
    assert sleeps.waits == [1.0, 2.0]
