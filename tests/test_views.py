"""The kit reads Zuora's answers by meaning: money by value with its currency, optional fields
absent or null, both shapes of a credit memo, and every page of a listing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from steps.parsing import money
from steps.targets import Money, ProtocolError, Refusal
from steps.targets.http_base import MAX_PAGES, HttpTargetBase
from steps.targets.profile import Profile
from steps.targets.views import Fields, credit_memo_view, invoice_view, order_view, refused


def _usd(_: str) -> str:
    return "USD"


@pytest.mark.parametrize("written", ["30", "30.0", "30.00", "3E+1"])
def test_amounts_are_equal_whatever_their_spelling(written: str) -> None:
    """30, 30.0, 30.00 and 3E+1 USD are the same amount."""
    assert Money(Decimal(written), "USD") == money("30.00 USD")


def test_amounts_in_other_currencies_differ() -> None:
    """30.00 USD is not 30.00 EUR."""
    assert money("30.00 USD") != money("30.00 EUR")


def test_amounts_read_as_the_feature_writes_them() -> None:
    """An amount shows as the feature writes it: two decimals and the currency."""
    assert str(Money(Decimal(30), "USD")) == "30.00 USD"


@pytest.mark.parametrize("amount", [30, Decimal("30.0"), Decimal("30.00")])
def test_a_write_off_amount_is_read_by_value(amount: object) -> None:
    """A write-off of 30, 30.0 or 30.00 is the 30.00 USD the feature expects."""
    body = {
        "orderNumber": "O-1",
        "status": "Completed",
        "writeOff": [{"invoiceNumber": "INV1", "amount": amount, "status": "Success"}],
    }
    (write_off,) = order_view(Fields("create order", body), "USD").write_offs or ()
    assert write_off.amount == money("30.00 USD")


def test_a_failed_write_off_without_an_amount_is_read() -> None:
    """No field of a write-off is required by Zuora: a failed one may come without an amount."""
    body = {
        "orderNumber": "O-1",
        "status": "Completed",
        "writeOff": [{"invoiceNumber": "INV1", "status": "Failed", "failedReason": None}],
    }
    (write_off,) = order_view(Fields("create order", body), "USD").write_offs or ()
    assert (write_off.amount, write_off.status, write_off.failed_reason) == (None, "Failed", None)


def test_optional_lists_may_be_null() -> None:
    """Lists Zuora may leave out or send as null read as empty."""
    body = {
        "orderNumber": "O-1",
        "status": "Completed",
        "subscriptionNumbers": None,
        "subscriptions": None,
        "invoiceNumbers": None,
        "creditMemoNumbers": None,
        "writeOff": None,
    }
    view = order_view(Fields("create order", body), "USD")
    assert (view.subscription_numbers, view.invoice_numbers, view.write_offs) == ((), (), None)


def test_a_missing_field_the_kit_needs_is_a_protocol_error_naming_it() -> None:
    """An invoice without a balance cannot be judged: the error names the operation and the field."""
    body = {
        "invoiceNumber": "INV1",
        "accountId": "A",
        "status": "Posted",
        "amount": 1,
        "invoiceDate": "2026-03-01",
    }
    with pytest.raises(ProtocolError) as raised:
        invoice_view(Fields("get invoice", body), _usd)
    assert raised.value.field == "$.balance"
    assert "get invoice" in str(raised.value)


def test_an_invoice_without_a_currency_takes_its_accounts() -> None:
    """Zuora may leave an invoice's currency out: it is the account's."""
    body = {
        "invoiceNumber": "INV1",
        "accountId": "A1",
        "status": "Posted",
        "amount": Decimal("30.00"),
        "balance": 0,
        "invoiceDate": "2026-03-01",
        "currency": None,
    }
    view = invoice_view(Fields("get invoice", body), lambda account: {"A1": "EUR"}[account])
    assert (view.amount, view.balance) == (money("30.00 EUR"), money("0.00 EUR"))


def test_both_shapes_of_a_credit_memo_read_the_same() -> None:
    """``CreditMemoResponse`` (number, amount) and an object-query record (memoNumber, totalAmount)
    describe the same credit memo."""
    single = {"number": "CM1", "accountId": "A", "status": "Posted", "amount": "15.00", "currency": "USD"}
    listed = {"memoNumber": "CM1", "accountId": "A", "status": "Posted", "totalAmount": 15, "currency": "USD"}
    assert credit_memo_view(Fields("get", single), _usd) == credit_memo_view(Fields("query", listed), _usd)


def test_a_refusal_without_reasons_is_still_a_refusal() -> None:
    """Zuora requires no reasons in its envelope: the refusal is read with an unknown category."""
    found = refused("create order", {"success": False, "reasons": None})
    assert (found.category, found.code) == (Refusal.OTHER, "")


class _PagedClient:
    """Answers a listing one record per page, as Zuora may, and remembers each cursor asked for."""

    def __init__(self, records: list[dict[str, Any]], *, loop: bool = False) -> None:
        self.records = records
        self.loop = loop
        self.cursors: list[object] = []

    def call(self, operation: str, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        cursor = kwargs["params"].get("cursor")
        self.cursors.append(cursor)
        at = 0 if cursor is None else int(cursor)
        following = 0 if self.loop else at + 1
        body: dict[str, Any] = {"data": self.records[at : at + 1]}
        if self.loop or at + 1 < len(self.records):
            body["nextPage"] = str(following)
        return 200, body


def _listing(client: _PagedClient) -> list[str]:
    target = HttpTargetBase(Profile.for_loopback("http://127.0.0.1:1"), client)  # type: ignore[arg-type]
    return [
        row.text("n") for row in target._pages("query invoices", "/object-query/invoices", "s", {}, "data")
    ]


def test_every_page_of_a_listing_is_read() -> None:
    """A listing served one record per page is read whole, each page asked for with the last cursor."""
    client = _PagedClient([{"n": "1"}, {"n": "2"}, {"n": "3"}])
    assert _listing(client) == ["1", "2", "3"]
    assert client.cursors == [None, "1", "2"]


def test_a_listing_that_repeats_a_page_is_a_protocol_error() -> None:
    """A target whose nextPage leads back to a page already read does not make the kit loop."""
    client = _PagedClient([{"n": "1"}, {"n": "2"}], loop=True)
    with pytest.raises(ProtocolError, match="repeats"):
        _listing(client)
    assert len(client.cursors) < MAX_PAGES
