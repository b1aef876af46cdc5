"""Reading Zuora response bodies into the kit's views, the same way for every target.

Only fields Zuora's published API has are read, and any of them may be absent or ``null``
(Zuora's response models mark almost nothing as required). When a field the kit needs is
missing, :class:`Fields` says so as a protocol error naming the operation and the field, rather
than failing with a ``KeyError``. Numbers are compared by value (``30`` = ``30.00``), dates as
dates, and money always with its currency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from steps.targets.errors import ProtocolError
from steps.targets.protocol import (
    BillRunView,
    CreditMemoView,
    InvoiceView,
    MemoItemView,
    Money,
    OrderView,
    Refusal,
    Refused,
    WriteOffView,
)

__all__ = [
    "Fields",
    "bill_run_view",
    "credit_memo_view",
    "invoice_view",
    "iso_date",
    "order_view",
    "refused",
]

#: The currency of an account, by the account's id: for documents whose body names none.
CurrencyOf = Callable[[str], str]


def refused(operation: str, body: Mapping[str, Any]) -> Refused:
    """The refusal an error envelope carries (its first reason; Zuora requires none)."""
    reasons = body.get("reasons") or [{}]
    first = reasons[0] if isinstance(reasons[0], Mapping) else {}
    code = "" if first.get("code") is None else str(first.get("code"))
    return Refused(operation, Refusal.from_code(code), code, str(first.get("message") or ""))


def iso_date(value: object) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value)[:10])


class Fields:
    """The fields of one answer (or one object inside it), read by what the kit needs."""

    def __init__(self, operation: str, body: Mapping[str, Any], where: str = "$") -> None:
        self.operation = operation
        self.body = body
        self.where = where

    def _missing(self, name: str) -> ProtocolError:
        return ProtocolError(
            self.operation, f"the answer has no {name}, which the kit needs", f"{self.where}.{name}"
        )

    def get(self, name: str) -> Any:  # noqa: ANN401 - a decoded JSON value
        """The value of ``name``; None when absent or null."""
        return self.body.get(name)

    def need(self, name: str) -> Any:  # noqa: ANN401 - a decoded JSON value
        value = self.body.get(name)
        if value is None or value == "":
            raise self._missing(name)
        return value

    def text(self, name: str) -> str:
        return str(self.need(name))

    def optional_text(self, name: str) -> str | None:
        value = self.body.get(name)
        return None if value is None else str(value)

    def day(self, name: str) -> date:
        try:
            return date.fromisoformat(str(self.need(name))[:10])
        except ValueError:
            raise ProtocolError(self.operation, "not a date", f"{self.where}.{name}") from None

    def number(self, name: str) -> Decimal:
        return self._decimal(name, self.need(name))

    def optional_number(self, name: str) -> Decimal | None:
        value = self.body.get(name)
        return None if value is None else self._decimal(name, value)

    def _decimal(self, name: str, value: object) -> Decimal:
        if isinstance(value, bool):
            raise ProtocolError(self.operation, "not a number", f"{self.where}.{name}")
        try:
            return value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation:
            raise ProtocolError(self.operation, "not a number", f"{self.where}.{name}") from None

    def items(self, name: str) -> list[Fields]:
        """The objects of list ``name`` (absent or null: none)."""
        found = self.body.get(name) or []
        return [Fields(self.operation, value, f"{self.where}.{name}[{i}]") for i, value in enumerate(found)]

    def currency(self, fallback: Callable[[], str]) -> str:
        """The document's currency, or (when Zuora leaves it out) its account's."""
        given = self.body.get("currency")
        return str(given) if given else fallback()


def bill_run_view(fields: Fields) -> BillRunView:
    scheduled = fields.get("scheduledExecutionTime")
    return BillRunView(
        id=fields.text("id"),
        number=fields.optional_text("billRunNumber") or fields.text("id"),
        status=fields.text("status"),
        target_date=iso_date(fields.get("targetDate")),
        scheduled_date=iso_date(scheduled) if fields.get("schedule") and scheduled else None,
    )


def invoice_view(fields: Fields, currency_of: CurrencyOf) -> InvoiceView:
    """An invoice from ``GET /v1/invoices/{key}`` or an object-query invoice record."""
    account = fields.text("accountId")
    currency = fields.currency(lambda: currency_of(account))
    return InvoiceView(
        fields.text("invoiceNumber"),
        account,
        fields.text("status"),
        Money(fields.number("amount"), currency),
        Money(fields.number("balance"), currency),
        fields.day("invoiceDate"),
    )


def credit_memo_view(
    fields: Fields, currency_of: CurrencyOf, items: tuple[MemoItemView, ...] = ()
) -> CreditMemoView:
    """A credit memo from ``GET /v1/credit-memos/{key}`` (``number``, ``amount``) or an object-query
    record (``memoNumber``, ``totalAmount``): the two shapes Zuora has for one credit memo."""
    account = fields.text("accountId")
    currency = fields.currency(lambda: currency_of(account))
    number = fields.optional_text("number") or fields.text("memoNumber")
    total = "amount" if fields.get("amount") is not None else "totalAmount"
    applied = fields.optional_number("appliedAmount")
    return CreditMemoView(
        number,
        account,
        fields.text("status"),
        Money(fields.number(total), currency),
        fields.optional_text("reasonCode"),
        None if applied is None else Money(applied, currency),
        items,
    )


def memo_item_view(fields: Fields) -> MemoItemView:
    finance = fields.get("financeInformation") or {}
    return MemoItemView(
        fields.number("amount"),
        {str(k): str(v) for k, v in finance.items() if v is not None},
    )


def order_view(fields: Fields, currency: str) -> OrderView:
    """A create-order (or async job result) body, in either subscription style. ``currency`` is
    the account's: Zuora's write-off report carries none."""
    numbers = fields.get("subscriptionNumbers")
    if numbers is None:
        numbers = [s.get("subscriptionNumber") for s in fields.get("subscriptions") or []]
    reported = fields.get("writeOff")
    write_offs = None
    if reported is not None:
        write_offs = tuple(
            WriteOffView(
                item.text("invoiceNumber"),
                None if item.get("amount") is None else Money(item.number("amount"), currency),
                item.text("status"),
                item.optional_text("writeOffCreditMemoNumber"),
                item.optional_text("failedReason"),
            )
            for item in fields.items("writeOff")
        )
    return OrderView(
        number=fields.optional_text("orderNumber") or fields.text("orderId"),
        status=fields.text("status"),
        subscription_numbers=tuple(str(n) for n in numbers if n is not None),
        invoice_numbers=tuple(str(n) for n in fields.get("invoiceNumbers") or ()),
        credit_memo_numbers=tuple(str(n) for n in fields.get("creditMemoNumbers") or ()),
        write_offs=write_offs,
        custom_fields=dict(fields.get("customFields") or {}),
    )
