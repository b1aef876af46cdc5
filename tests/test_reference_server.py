"""The reference server: Zuora's shapes, its control API, and bad input met with an envelope."""

from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reference_impl.server import RunningServer
from schemas.contract import violations

ORDER = "/v1/orders"


def _post(server: RunningServer, path: str, data: bytes | str, method: str = "POST") -> requests.Response:
    return requests.request(
        method, server.url + path, data=data, headers={"Content-Type": "application/json"}, timeout=10
    )


def _assert_envelope(reply: requests.Response, category: int) -> None:
    body = reply.json()
    assert not violations("error-response", body), body
    assert body["reasons"][0]["code"] % 100 == category, body


@pytest.mark.parametrize(
    ("path", "data", "status", "category"),
    [
        (ORDER, "{not json", 400, 20),
        (ORDER, "[1, 2, 3]", 400, 20),
        (ORDER, json.dumps({"orderDate": "2026-03-01", "surprise": True}), 400, 21),
        (ORDER, json.dumps({"subscriptions": []}), 400, 22),
        (ORDER, json.dumps({"orderDate": 20260301}), 400, 20),
        ("/v1/bill-runs", json.dumps({"targetDate": "yesterday"}), 400, 20),
        ("PUT /v1/bill-runs/no-such-run/cancel", "{}", 404, 40),
        ("/v1/payments", "\xff\xfe", 400, 20),
    ],
    ids=[
        "malformed-json",
        "not-an-object",
        "unknown-field",
        "missing-field",
        "wrong-type",
        "bad-date",
        "unknown-bill-run",
        "not-utf8",
    ],
)
def test_bad_input_gets_an_error_envelope_in_the_right_category(
    reference_server: RunningServer, path: str, data: str, status: int, category: int
) -> None:
    """Each kind of bad input gets Zuora's envelope with its category: never a crash."""
    method, _, path = path.rpartition(" ")
    reply = _post(
        reference_server, path, data.encode("latin-1") if data.startswith("\xff") else data, method or "POST"
    )
    assert reply.status_code == status
    _assert_envelope(reply, category)


def test_a_huge_body_is_refused_before_it_is_read(reference_server: RunningServer) -> None:
    """A body over one megabyte gets 413 and an envelope."""
    reply = _post(
        reference_server, ORDER, json.dumps({"orderDate": "2026-03-01", "description": "x" * 2_000_000})
    )
    assert reply.status_code == 413
    _assert_envelope(reply, 20)


@pytest.mark.parametrize(
    ("method", "path", "status", "category"),
    [("GET", "/v1/nowhere", 404, 40), ("PATCH", "/v1/orders", 405, 20)],
)
def test_unknown_paths_and_methods_get_an_envelope(
    reference_server: RunningServer, method: str, path: str, status: int, category: int
) -> None:
    reply = requests.request(method, reference_server.url + path, timeout=10)
    assert reply.status_code == status
    _assert_envelope(reply, category)


def test_a_refused_request_changes_nothing(reference_server: RunningServer) -> None:
    """An order refused for an unknown field creates no account."""
    requests.post(reference_server.url + "/conformance/v1/reset", timeout=10)
    order = {
        "orderDate": "2026-03-01",
        "newAccount": {
            "name": "Ghost",
            "currency": "USD",
            "billCycleDay": 1,
            "billToContact": {"firstName": "G", "lastName": "H"},
        },
        "unknownField": 1,
    }
    assert _post(reference_server, ORDER, json.dumps(order)).status_code == 400
    assert requests.get(reference_server.url + "/v1/accounts/A00000001", timeout=10).status_code == 404


def test_the_openapi_document_lists_the_zuora_and_control_paths(reference_server: RunningServer) -> None:
    document = requests.get(reference_server.url + "/openapi.json", timeout=10).json()
    for path in ("/v1/orders", "/v1/async/orders", "/v1/bill-runs/{key}/cancel", "/conformance/v1/clock"):
        assert path in document["paths"], path
    assert "put" in document["paths"]["/v1/bill-runs/{key}/cancel"]


def test_the_control_api_reports_its_version_and_moves_the_clock(reference_server: RunningServer) -> None:
    base = reference_server.url + "/conformance/v1"
    info = requests.get(base, timeout=10).json()
    assert info["version"] == "1"
    requests.put(base + "/clock", json={"now": "2026-03-01T00:00:00"}, timeout=10)
    moved = requests.post(base + "/clock/advance", json={"to": "2026-04-01T00:00:00"}, timeout=10).json()
    assert moved["now"] == "2026-04-01T00:00:00"
    back = requests.post(base + "/clock/advance", json={"to": "2026-01-01T00:00:00"}, timeout=10)
    assert back.status_code == 409  # a conflict with the tenant's clock, not a malformed request
    _assert_envelope(back, 20)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=12,
    )
)
def test_no_json_body_makes_the_server_fail(reference_server: RunningServer, body: object) -> None:
    """Whatever JSON is posted to the order, bill-run or payment paths, the answer is never a 5xx."""
    for path in (ORDER, "/v1/async/orders", "/v1/bill-runs", "/v1/payments", "/v1/accounts"):
        reply = _post(reference_server, path, json.dumps(body))
        assert reply.status_code < 500, (path, body, reply.text)
