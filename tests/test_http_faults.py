"""Faults of an HTTP target: each one ends in the right outcome, with a message that says what went wrong.

Faults a real server cannot easily produce are played with ``responses`` against
``http://billing.test``; a refused connection uses a real closed loopback port. Which requests
are retried after a server error is tested in ``tests/test_retries.py``.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import requests
import responses

from steps.targets.errors import AuthenticationError, ProtocolError, TargetFailedError, TransportError
from steps.targets.http import HttpTarget
from steps.targets.profile import Capabilities, Credentials, Profile
from steps.targets.protocol import BillRunView, CancellationOrder, Refusal, Refused
from steps.targets.transport import HttpClient
from tests.suite_runner import run_suite
from tests.transport_support import Sleeps

BASE = "http://billing.test"
CATALOG = "/v1/catalog/products"
CATALOG_BODY = {
    "success": True,
    "products": [
        {
            "id": "prod-1",
            "name": "Basic",
            "productRatePlans": [{"id": "rp-1", "name": "Basic Monthly", "productRatePlanCharges": []}],
        }
    ],
}
REFUSAL_BODY = {
    "success": False,
    "reasons": [{"code": 53100330, "message": "The subscription cannot be canceled."}],
}
TOKEN_ENV = "BC_FAULTS_TOKEN"
TOKEN = "tok-SECRET-4f9a81c2"


def _profile(credentials: Credentials | None = None) -> Profile:
    return Profile(
        BASE, "test", credentials=credentials or Credentials(), request_seconds=1, poll_seconds=0.5
    )


def _controlled() -> Profile:
    """A profile with the control API: a bill run for all customers is then arranged."""
    return replace(_profile(), capabilities=Capabilities(control_api=True))


def _closed_port_url() -> str:
    """The URL of a loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _list_catalog(client: HttpClient) -> tuple[int, Any]:
    return client.call("list catalog", "GET", CATALOG, response_schema="catalog-response")


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as mock:
        yield mock


def _subscribed_target(mocked: responses.RequestsMock) -> HttpTarget:
    """An HTTP target on which "Acme" has an account and a "Basic Monthly" subscription."""
    mocked.post(f"{BASE}/v1/accounts", json={"success": True, "accountId": "acc-1", "accountNumber": "A-1"})
    mocked.get(f"{BASE}{CATALOG}", json=CATALOG_BODY)
    mocked.post(
        f"{BASE}/v1/orders",
        json={"success": True, "orderNumber": "O-1", "status": "Completed", "subscriptionNumbers": ["A-S1"]},
    )
    target = HttpTarget(_profile())
    assert target.create_account("Acme") == "A-1"
    assert target.subscribe("Acme", "Basic Monthly", date(2026, 3, 1)) == "A-S1"
    return target


CANCEL_ACME = CancellationOrder("Acme", "Basic Monthly", effective_date=date(2026, 3, 15))


# -- transport faults ------------------------------------------------------------------------------


def test_a_target_that_does_not_answer_in_time_is_a_transport_error_naming_the_operation(
    mocked: responses.RequestsMock,
) -> None:
    """A request that times out raises TransportError naming the operation and "no answer"."""
    mocked.get(f"{BASE}{CATALOG}", body=requests.Timeout())
    with pytest.raises(TransportError) as raised:
        _list_catalog(HttpClient(_profile()))
    assert raised.value.operation == "list catalog"
    assert str(raised.value) == "list catalog: no answer within 1 s"


def test_a_refused_connection_is_a_transport_error_saying_it_cannot_connect() -> None:
    """A closed port raises TransportError saying the kit cannot connect to the base URL."""
    url = _closed_port_url()
    client = HttpClient(Profile(url, "test", request_seconds=1))
    with pytest.raises(TransportError) as raised:
        _list_catalog(client)
    assert str(raised.value) == f"list catalog: cannot connect to {url}"
    assert client.exchanges == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_a_failure_of_the_target_naming_the_status(
    mocked: responses.RequestsMock, sleeps: Sleeps, status: int
) -> None:
    """HTTP 5xx raises TargetFailedError naming the operation and the status, never a business
    refusal (the same error an in-process implementation's exception becomes); a look-up is
    retried first, and the message says how often it was tried."""
    mocked.get(f"{BASE}{CATALOG}", status=status, json=REFUSAL_BODY)
    with pytest.raises(TargetFailedError) as raised:
        _list_catalog(HttpClient(_profile()))
    assert raised.value.operation == "list catalog"
    assert str(raised.value) == f"list catalog: the target failed (HTTP {status} on each of 4 attempts)"
    assert len(mocked.calls) == 4
    assert sleeps.waits == [1.0, 2.0, 4.0]


# -- rate limiting ---------------------------------------------------------------------------------


def test_a_rate_limited_request_succeeds_once_the_target_lets_it_through(
    mocked: responses.RequestsMock, sleeps: Sleeps
) -> None:
    """Two 429 answers with Retry-After: 0 are retried, and the third attempt's answer is returned."""
    for _ in range(2):
        mocked.get(f"{BASE}{CATALOG}", status=429, headers={"Retry-After": "0"}, json={})
    mocked.get(f"{BASE}{CATALOG}", json=CATALOG_BODY)
    status, body = _list_catalog(HttpClient(_profile()))
    assert status == 200
    assert body["products"][0]["name"] == "Basic"
    assert len(mocked.calls) == 3
    assert sleeps.waits == [0.0, 0.0]


def test_a_target_that_stays_rate_limited_is_a_transport_error_after_three_retries(
    mocked: responses.RequestsMock, sleeps: Sleeps
) -> None:
    """Answering 429 forever raises TransportError "rate-limited" after one try and three retries."""
    mocked.get(f"{BASE}{CATALOG}", status=429, headers={"Retry-After": "0"}, json={})
    with pytest.raises(TransportError) as raised:
        _list_catalog(HttpClient(_profile()))
    assert raised.value.operation == "list catalog"
    assert "rate-limited" in str(raised.value)
    assert len(mocked.calls) == 4
    assert sleeps.waits == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("retry_after", "wait"),
    [
        ("0", 0.0),
        ("4", 4.0),
        ("2.5", 2.5),
        ("10", 10.0),
        ("60", 10.0),
        ("-3", 0.0),
        ("soon", 1.0),
        (None, 1.0),
    ],
)
def test_the_pause_before_a_retry_honours_retry_after_up_to_ten_seconds(
    mocked: responses.RequestsMock, sleeps: Sleeps, retry_after: str | None, wait: float
) -> None:
    """The kit waits what Retry-After asks (1 s when absent or unreadable), never more than 10 s."""
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    mocked.get(f"{BASE}{CATALOG}", status=429, headers=headers, json={})
    mocked.get(f"{BASE}{CATALOG}", json=CATALOG_BODY)
    status, _ = _list_catalog(HttpClient(_profile()))
    assert status == 200
    assert sleeps.waits == [wait]


# -- bodies that are not what they should be -------------------------------------------------------


@pytest.mark.parametrize("status", [200, 400])
def test_a_body_that_is_not_json_is_a_protocol_error(mocked: responses.RequestsMock, status: int) -> None:
    """An HTML page instead of JSON raises ProtocolError "not JSON", with the operation and the status."""
    mocked.get(
        f"{BASE}{CATALOG}",
        status=status,
        body="<html><body><h1>Gateway says hello</h1></body></html>",
        content_type="text/html",
    )
    with pytest.raises(ProtocolError) as raised:
        _list_catalog(HttpClient(_profile()))
    assert raised.value.operation == "list catalog"
    assert "not JSON" in str(raised.value)
    assert f"HTTP {status}" in str(raised.value)


@pytest.mark.parametrize("status", [200, 400])
def test_an_error_envelope_on_create_order_is_a_business_refusal_not_an_exception(
    mocked: responses.RequestsMock, status: int
) -> None:
    """success:false on create order (with 200 or 400) comes back as Refused, its category from the code."""
    target = _subscribed_target(mocked)
    mocked.post(f"{BASE}/v1/orders", status=status, json=REFUSAL_BODY)
    outcome = target.cancel_subscription(CANCEL_ACME)
    assert outcome == Refused(
        "create order", Refusal.RULE_RESTRICTION, "53100330", "The subscription cannot be canceled."
    )
    sent = mocked.calls[-1].request
    assert sent.url == f"{BASE}/v1/orders"
    assert b"CancelSubscription" in (sent.body if isinstance(sent.body, bytes) else b"")


def test_a_bill_run_with_an_unknown_status_is_a_protocol_error_naming_the_field(
    mocked: responses.RequestsMock,
) -> None:
    """A bill run answered with status "Draft" raises ProtocolError at $.status, naming the operation."""
    mocked.post(f"{BASE}/v1/bill-runs", json={"success": True, "id": "br-1", "status": "Draft"})
    target = HttpTarget(_controlled())
    with pytest.raises(ProtocolError) as raised:
        target.create_bill_run(target_date=date(2026, 3, 1), account=None, schedule=None)
    assert raised.value.field == "$.status"
    assert raised.value.operation == "create bill run"
    assert str(raised.value).startswith("create bill run: protocol error at $.status")
    assert "'Draft'" in str(raised.value)


def test_a_write_off_with_an_unknown_status_is_a_protocol_error_naming_the_field(
    mocked: responses.RequestsMock,
) -> None:
    """A create-order answer with a write-off in status "Error" raises ProtocolError naming that field."""
    target = _subscribed_target(mocked)
    mocked.post(
        f"{BASE}/v1/orders",
        json={
            "success": True,
            "orderNumber": "O-2",
            "status": "Completed",
            "subscriptionNumbers": ["A-S1"],
            "writeOff": [{"invoiceNumber": "INV-1", "amount": 30, "status": "Error"}],
        },
    )
    with pytest.raises(ProtocolError) as raised:
        target.cancel_subscription(CANCEL_ACME)
    assert raised.value.field == "$.writeOff[0].status"
    assert raised.value.operation == "create order"
    assert "create order" in str(raised.value)
    assert "$.writeOff[0].status" in str(raised.value)


# -- credentials -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_refused_credentials_are_an_authentication_error_that_never_shows_the_token(
    mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """HTTP 401/403 raises AuthenticationError; the bearer token is in no message and no exchange."""
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    mocked.get(f"{BASE}{CATALOG}", json=CATALOG_BODY)
    mocked.get(f"{BASE}/v1/accounts/A-1", status=status, json={"message": f"Authentication error {status}"})
    client = HttpClient(_profile(Credentials("bearer", token_env=TOKEN_ENV)))
    _list_catalog(client)
    with pytest.raises(AuthenticationError) as raised:
        client.call("get account", "GET", "/v1/accounts/A-1", response_schema="account-response")
    assert raised.value.operation == "get account"
    assert f"HTTP {status}" in str(raised.value)
    assert mocked.calls[-1].request.headers["Authorization"] == f"Bearer {TOKEN}", "the token was sent"
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)
    assert client.exchanges, "the successful exchange is kept as evidence"
    for exchange in client.exchanges:
        assert TOKEN not in repr(exchange)


def test_refused_client_credentials_are_an_authentication_error_that_never_shows_the_secret(
    mocked: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OAuth token request answered 401 raises AuthenticationError without the client secret."""
    monkeypatch.setenv("BC_FAULTS_CLIENT_ID", "client-ID-7be1")
    monkeypatch.setenv("BC_FAULTS_CLIENT_SECRET", "client-SECRET-90d3")
    mocked.post(f"{BASE}/oauth/token", status=401, json={"message": "Authentication error"})
    credentials = Credentials(
        "oauth", client_id_env="BC_FAULTS_CLIENT_ID", client_secret_env="BC_FAULTS_CLIENT_SECRET"
    )
    client = HttpClient(_profile(credentials))
    with pytest.raises(AuthenticationError) as raised:
        _list_catalog(client)
    assert raised.value.operation == "authenticate"
    assert "client-SECRET-90d3" in str(mocked.calls[0].request.body), "the secret was sent"
    for secret in ("client-ID-7be1", "client-SECRET-90d3"):
        assert secret not in str(raised.value)
        assert secret not in repr(client.exchanges)


# -- polling ---------------------------------------------------------------------------------------


def test_a_bill_run_that_never_settles_is_a_transport_error_at_the_deadline(
    mocked: responses.RequestsMock,
) -> None:
    """A bill run Processing past poll_seconds raises TransportError "still in progress", without hanging."""
    mocked.post(f"{BASE}/v1/bill-runs", json={"success": True, "id": "br-1", "status": "Pending"})
    mocked.get(f"{BASE}/v1/bill-runs/br-1", json={"success": True, "id": "br-1", "status": "Processing"})
    target = HttpTarget(_controlled())
    started = time.monotonic()
    with pytest.raises(TransportError) as raised:
        target.create_bill_run(target_date=date(2026, 3, 1), account=None, schedule=None)
    elapsed = time.monotonic() - started
    assert raised.value.operation == "create bill run"
    assert "still in progress after 0.5 s" in str(raised.value)
    assert 0.5 <= elapsed < 3.0
    assert len(mocked.calls) >= 3, "the run was polled more than once"


def test_a_bill_run_that_settles_is_returned_in_its_final_state(mocked: responses.RequestsMock) -> None:
    """A bill run going Pending, Processing, Completed is polled until it is returned Completed."""
    run = {"success": True, "id": "br-1", "billRunNumber": "BR-1", "targetDate": "2026-03-01"}
    mocked.post(f"{BASE}/v1/bill-runs", json={**run, "status": "Pending"})
    mocked.get(f"{BASE}/v1/bill-runs/br-1", json={**run, "status": "Processing"})
    mocked.get(f"{BASE}/v1/bill-runs/br-1", json={**run, "status": "Completed"})
    target = HttpTarget(_controlled())
    outcome = target.create_bill_run(target_date=date(2026, 3, 1), account=None, schedule=None)
    assert outcome == BillRunView("br-1", "BR-1", "Completed", date(2026, 3, 1), None)
    assert len(mocked.calls) == 3


# -- through the conformance suite -----------------------------------------------------------------


def test_a_dead_connection_errors_every_scenario_and_breaks_no_rule(pytester: pytest.Pytester) -> None:
    """Against a closed port, every BR-DELETE scenario is errored and none failed: no rule is broken."""
    result = run_suite(pytester, _closed_port_url(), "--rule", "BR-DELETE")
    assert result.ret == 4  # inconclusive: a rule errored, none is broken
    assert set(result.outcomes) == {"BR-DELETE"}
    scenarios = result.outcomes["BR-DELETE"]
    assert len(scenarios) >= 2
    assert set(scenarios.values()) == {"errored"}
    assert result.broken == set()
