"""What the reference server decodes: bounded numbers, strings and nesting, no NaN, scalar custom
fields, known currencies, integral numbers as integers, and refusals that quote little of the input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from reference_impl.server import RunningServer
from reference_impl.server.intake import MAX_DEPTH, MAX_EXPONENT, MAX_NUMBER_DIGITS, MAX_STRING_LENGTH
from schemas.contract import violations
from tests.honest_proxy import bill_customer
from tests.servers import running_server

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


@pytest.fixture(scope="module")
def invoice_id(server: RunningServer) -> str:
    """A posted invoice with a balance, billed through the public API."""
    number = bill_customer(server.url, "Intake")
    found: str = requests.get(f"{server.url}/v1/invoices/{number}", timeout=10).json()["id"]
    return found


def _post(server: RunningServer, path: str, text: str) -> requests.Response:
    return requests.post(server.url + path, data=text.encode(), headers=JSON, timeout=30)


def _refused(reply: requests.Response, status: int = 400) -> str:
    """The message of a refusal in Zuora's envelope with ``status``."""
    assert reply.status_code == status, reply.text[:500]
    body = reply.json()
    assert not violations("error-response", body), body
    message: str = body["reasons"][0]["message"]
    return message


def _order(**extra: Any) -> dict[str, Any]:
    return {"orderDate": "2026-03-01", "existingAccountNumber": "A00000001", "subscriptions": [], **extra}


def _payment(invoice: str, amount: str, currency: str = "USD") -> str:
    return (
        f'{{"accountNumber": "A00000001", "amount": {amount}, "currency": "{currency}", '
        f'"type": "External", "paymentMethodType": "Check", '
        f'"invoices": [{{"invoiceId": "{invoice}", "amount": {amount}}}]}}'
    )


@pytest.mark.parametrize(
    "number",
    [
        "9" * 5000,
        "-" + "1" * (MAX_NUMBER_DIGITS + 1),
        "1e401",
        "1E+999999",
        "1e50000000",
        "1e-401",
        "1e" + "9" * 5000,
    ],
)
def test_an_oversized_number_anywhere_is_refused(server: RunningServer, number: str) -> None:
    """Numbers past the limits get 400 and an envelope, wherever they are; the message quotes none."""
    for path in ("/v1/orders", "/v1/accounts", "/v1/bill-runs"):
        text = json.dumps(_order(customFields={"x": "@"})).replace('"@"', number)
        message = _refused(_post(server, path, text))
        assert "digits" in message or "exponent" in message
        assert len(message) < 200


@pytest.mark.parametrize("amount", ["1e400", "1E+999999", "99999999999999999999999999999.99", "1e30"])
def test_an_oversized_payment_amount_is_refused(server: RunningServer, invoice_id: str, amount: str) -> None:
    _refused(_post(server, "/v1/payments", _payment(invoice_id, amount)))


def test_every_double_passes_intake(server: RunningServer) -> None:
    """The limits are above what a double holds: such numbers reach the schema check."""
    assert MAX_EXPONENT >= 324
    for number in ("5e-324", "1.7976931348623157e308", "-2.2250738585072014e-308", str(2**128)):
        text = json.dumps({"name": "n", "currency": "USD", "customFields": "@"}).replace('"@"', number)
        assert "body is refused" not in _refused(_post(server, "/v1/accounts", text))


def test_a_payment_in_range_still_works(server: RunningServer, invoice_id: str) -> None:
    reply = _post(server, "/v1/payments", _payment(invoice_id, "0.01"))
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(server: RunningServer, constant: str) -> None:
    text = json.dumps(_order(customFields={"x": "@"})).replace('"@"', constant)
    assert constant in _refused(_post(server, "/v1/orders", text))


def test_nesting_past_the_limit_is_refused(server: RunningServer) -> None:
    """A body nesting deeper than the limit is refused; at the limit it is decoded (and then judged)."""
    deep = json.dumps(_order(description=None)).replace("null", "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert "nest" in _refused(_post(server, "/v1/orders", deep))
    very_deep = "[" * 100_000 + "]" * 100_000
    assert "nest" in _refused(_post(server, "/v1/orders", very_deep))
    at_limit = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert "nest" not in _refused(_post(server, "/v1/orders", at_limit))


def test_a_string_past_the_limit_is_refused(server: RunningServer) -> None:
    long = "x" * (MAX_STRING_LENGTH + 1)
    for order in (_order(description=long), _order(customFields={long: 1})):
        message = _refused(_post(server, "/v1/orders", json.dumps(order)))
        assert "string" in message
        assert "xxxxx" not in message


@pytest.fixture(scope="module")
def account(server: RunningServer) -> str:
    body = {"name": "Custom", "currency": "USD", "billToContact": {"firstName": "C", "lastName": "F"}}
    number: str = requests.post(server.url + "/v1/accounts", json=body, timeout=10).json()["accountNumber"]
    return number


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], {"deep": {"er": []}}])
def test_custom_fields_hold_scalars_only(server: RunningServer, account: str, value: object) -> None:
    """An object or array as a custom field value, on the order or an order action, is invalid
    (a refused order is an HTTP 200 with the envelope, as Zuora answers)."""
    order = _order(existingAccountNumber=account, customFields={"Region__c": value})
    assert "customFields" in _refused(_post(server, "/v1/orders", json.dumps(order)), 200)
    action = {"type": "CancelSubscription", "customFields": {"Why__c": value}}
    action["cancelSubscription"] = {"cancellationPolicy": "EndOfCurrentTerm"}
    with_action = _order(existingAccountNumber=account, subscriptions=[{"orderActions": [action]}])
    assert "customFields" in _refused(_post(server, "/v1/orders", json.dumps(with_action)), 200)


def test_scalar_custom_fields_come_back_from_the_order(server: RunningServer, account: str) -> None:
    fields = {"Text__c": "a", "Number__c": 1.50, "Count__c": 7, "Flag__c": True, "Empty__c": None}
    order = _order(existingAccountNumber=account, customFields=fields)
    reply = _post(server, "/v1/orders", json.dumps(order))
    assert reply.json()["success"] is True, reply.text
    found = requests.get(f"{server.url}/v1/orders/{reply.json()['orderNumber']}", timeout=10)
    assert found.status_code == 200, found.text
    assert found.json()["order"]["customFields"] == fields


LONG = "y" * 60_000


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/orders", _order(category=LONG)),
        ("/v1/orders", _order(existingAccountNumber=LONG)),
        ("/v1/orders", _order(**{LONG: 1})),
        ("/v1/orders", _order(customFields={LONG: {"a": 1}})),
        ("/v1/orders", _order(subscriptions=[{"orderActions": [{"type": LONG}]}])),
        ("/v1/accounts", {"name": "n", "currency": LONG, "billToContact": {"firstName": "a"}}),
        ("/v1/bill-runs", {"targetDate": LONG}),
        ("/v1/payments", json.loads(_payment(LONG, "1.00"))),
        ("/v1/orders", _order(description="z" * 900_000)),
    ],
    ids=["enum", "too-long", "unknown", "custom-key", "action", "currency", "date", "invoice", "huge"],
)
def test_refusals_quote_little_of_the_input(server: RunningServer, path: str, body: object) -> None:
    """A refusal's message echoes at most 200 characters of any one input, cut with an ellipsis."""
    reply = _post(server, path, json.dumps(body))
    assert 400 <= reply.status_code < 500 or reply.json()["success"] is False, reply.text[:300]
    message = reply.json()["reasons"][0]["message"]
    assert len(message) < 1000, message[:300]
    assert "y" * 201 not in message
    assert "z" * 201 not in message
    if path != "/v1/orders" or "z" * 201 not in json.dumps(body):
        assert "y" * 200 + "\u2026" in message, "the input is quoted, cut short"


@pytest.mark.parametrize("currency", ["ZZZ", "usd", "ABC", "XYZ"])
def test_a_currency_outside_iso_4217_is_refused(
    server: RunningServer, invoice_id: str, currency: str
) -> None:
    """Accounts, new accounts in an order and payments take active ISO 4217 codes only."""
    contact = {"firstName": "C", "lastName": "Z"}
    account = {"name": "Zed", "currency": currency, "billToContact": contact}
    assert "currency" in _refused(_post(server, "/v1/accounts", json.dumps(account)))
    new = {"name": "Zed", "currency": currency, "billCycleDay": 1, "billToContact": contact}
    order = {"orderDate": "2026-03-01", "newAccount": new, "subscriptions": []}
    assert "currency" in _refused(_post(server, "/v1/orders", json.dumps(order)), 200)
    assert "currency" in _refused(_post(server, "/v1/payments", _payment(invoice_id, "0.01", currency)))


@pytest.mark.parametrize("currency", ["EUR", "JPY", "CHF"])
def test_an_iso_4217_currency_opens_an_account(server: RunningServer, currency: str) -> None:
    account = {"name": "Iso", "currency": currency, "billToContact": {"firstName": "I", "lastName": "S"}}
    reply = _post(server, "/v1/accounts", json.dumps(account))
    assert reply.status_code == 200, reply.text


@pytest.mark.parametrize(
    ("value", "valid"),
    [(Decimal("1.0"), True), (Decimal("31.00"), True), (Decimal("1E+1"), True), (Decimal("1.5"), False)],
)
def test_the_contract_counts_an_integral_decimal_as_an_integer(value: Decimal, valid: bool) -> None:
    """JSON Schema counts 1.0 an integer; the kit decodes it as Decimal and must agree."""
    contact = {"firstName": "a", "lastName": "b"}
    account = {"name": "n", "currency": "USD", "billToContact": contact, "billCycleDay": value}
    assert (not violations("create-account-request", account)) is valid
    payment = {"accountNumber": "A1", "amount": value, "currency": "USD", "type": "External"}
    assert not violations("create-payment-request", payment), "any Decimal is a number"


def test_integral_numbers_are_integers_on_the_wire(server: RunningServer) -> None:
    """billCycleDay 1.0 opens an account and an order's new account; a term of 12.0 months is 12."""
    contact = {"firstName": "I", "lastName": "N"}
    text = '{"name": "Int", "currency": "USD", "billCycleDay": 1.0, "billToContact": {"firstName": "I"}}'
    reply = _post(server, "/v1/accounts", text.replace('"I"}', '"I", "lastName": "N"}'))
    assert reply.status_code == 200, reply.text
    number = reply.json()["accountNumber"]
    got = requests.get(f"{server.url}/v1/accounts/{number}", timeout=10).json()
    assert got["billingAndPayment"]["billCycleDay"] == 1
    new = {"name": "Int", "currency": "USD", "billCycleDay": "@", "billToContact": contact}
    order = json.dumps({"orderDate": "2026-03-01", "newAccount": new, "subscriptions": []})
    reply = _post(server, "/v1/orders", order.replace('"@"', "2.0"))
    assert reply.json()["success"] is True, reply.text
    assert "billCycleDay" in _refused(_post(server, "/v1/orders", order.replace('"@"', "1.5")))
    assert "billCycleDay" in _refused(_post(server, "/v1/accounts", text.replace("1.0", "1.5")))


def test_a_wrong_method_names_the_allowed_ones(server: RunningServer) -> None:
    reply = requests.patch(server.url + "/v1/orders", timeout=10)
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "POST"
    _refused(reply, 405)
    reply = requests.delete(server.url + "/v1/accounts/A00000001", timeout=10)
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_declared_json_gets_415(server: RunningServer, content_type: str) -> None:
    """A body posted as anything but JSON is refused with 415 and the envelope."""
    body = json.dumps({"name": "T", "currency": "USD", "billToContact": {"firstName": "a", "lastName": "b"}})
    reply = requests.post(
        server.url + "/v1/accounts", data=body, headers={"Content-Type": content_type}, timeout=10
    )
    assert "application/json" in _refused(reply, 415)


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "application/vnd.zuora+json", None],
)
def test_json_content_types_are_accepted(server: RunningServer, content_type: str | None) -> None:
    """JSON media types with parameters or a +json suffix are fine; no content type with no body too."""
    body = {"name": "J", "currency": "USD", "billToContact": {"firstName": "a", "lastName": "b"}}
    headers = {} if content_type is None else {"Content-Type": content_type}
    data = json.dumps(body) if content_type is not None else None
    if content_type is None:
        reply = requests.put(server.url + "/v1/bill-runs/BR-0/cancel", data=data, headers=headers, timeout=10)
        assert reply.status_code == 404, reply.text
        return
    reply = requests.post(server.url + "/v1/accounts", data=data, headers=headers, timeout=10)
    assert reply.status_code == 200, reply.text


def test_allow_names_every_method_of_the_path(server: RunningServer) -> None:
    """GET and DELETE share /v1/bill-runs/{key}; a PATCH there is told both."""
    reply = requests.patch(server.url + "/v1/bill-runs/BR-1", timeout=10)
    assert reply.status_code == 405
    assert reply.headers["Allow"] == "DELETE, GET"
