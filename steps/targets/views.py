"""Reading Zuora response bodies into the kit's views, the same way for every target.

Only fields Zuora's published API has are read, and any of them may be absent or ``null``
(Zuora's response models mark almost nothing as required). When a field the kit needs is
missing, :class:`Fields` says so as a protocol error naming the operation and the field, rather
than failing with a ``KeyError``. Numbers are compared by value (``30`` = ``30.00``), dates as
dates, and money always with its currency.

Whatever a body holds, reading it fails only with a :class:`ProtocolError` naming the operation
(and the field, where one is at fault): a value of the wrong kind, a date that is no date,
anything a view meets that it did not expect. An exception of any other kind would be taken for
the rule's failure in a ``Then`` step, and the rule would be blamed for an unreadable answer.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from schemas.contract import shorten
from steps.targets.errors import HarnessError, NotApplicableError, ProtocolError
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
    "looked_up_order",
    "order_view",
    "reading",
    "refused",
]

#: The currency of an account, by the account's id: for documents whose body names none.
CurrencyOf = Callable[[str], str]
#: Digits before the point of a number the kit reads (an amount, a count): Zuora's amounts have
#: far fewer, and a larger one could not even be shown to the cent in Decimal's precision.
MAX_DIGITS = 24
P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def reading(operation: str, where: str | None = None) -> Iterator[None]:
    """Read an answer of ``operation`` inside the block: any exception but the kit's own becomes
    a :class:`ProtocolError` naming the operation (and ``where``, the field, when known)."""
    try:
        yield
    except (HarnessError, NotApplicableError):
        raise
    except Exception as error:  # whatever reading the answer meets, the answer is at fault
        said = shorten(str(error)) or "a value of an unexpected kind"
        raise ProtocolError(operation, f"the answer cannot be read ({said})", where) from None


def _read(view: Callable[P, R]) -> Callable[P, R]:
    """A view function that fails only with a :class:`ProtocolError` (see :func:`reading`),
    naming the operation of its :class:`Fields` argument."""

    @functools.wraps(view)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        fields = next((a for a in args if isinstance(a, Fields)), None)
        operation, where = ("read an answer", None) if fields is None else (fields.operation, fields.where)
        with reading(operation, where):
            return view(*args, **kwargs)

    return read


def refused(operation: str, body: Mapping[str, Any]) -> Refused:
    """The refusal an error envelope carries (its first reason; Zuora requires none)."""
    with reading(operation, "$.reasons"):
        reasons = body.get("reasons") if isinstance(body, Mapping) else None
        first = reasons[0] if isinstance(reasons, list) and reasons else {}
        first = first if isinstance(first, Mapping) else {}
        code = "" if first.get("code") is None else str(first.get("code"))
        return Refused(operation, Refusal.from_code(code), code, str(first.get("message") or ""))


def iso_date(value: object) -> date | None:
    """A date from Zuora's ``YYYY-MM-DD`` (or a date-time starting with one); ValueError else."""
    return None if value in (None, "") else date.fromisoformat(str(value)[:10])


class Fields:
    """The fields of one answer (or one object inside it), read by what the kit needs."""

    def __init__(self, operation: str, body: Mapping[str, Any], where: str = "$") -> None:
        self.operation = operation
        self.where = where
        if not isinstance(body, Mapping):
            raise ProtocolError(operation, "an object was expected here", where)
        self.body = body

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
        except (ValueError, TypeError):
            raise ProtocolError(self.operation, "not a date", f"{self.where}.{name}") from None

    def number(self, name: str) -> Decimal:
        return self._decimal(name, self.need(name))

    def optional_number(self, name: str) -> Decimal | None:
        value = self.body.get(name)
        return None if value is None else self._decimal(name, value)

    def _decimal(self, name: str, value: object) -> Decimal:
        if isinstance(value, bool):
            raise ProtocolError(self.operation, "not a number", f"{self.where}.{name}")
        if isinstance(value, Mapping | list):
            raise ProtocolError(self.operation, "not a number", f"{self.where}.{name}")
        try:
            found = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise ProtocolError(self.operation, "not a number", f"{self.where}.{name}") from None
        if not found.is_finite() or found.adjusted() >= MAX_DIGITS:
            raise ProtocolError(
                self.operation, f"not a number of at most {MAX_DIGITS} digits", f"{self.where}.{name}"
            )
        return found

    def items(self, name: str) -> list[Fields]:
        """The objects of list ``name`` (absent or null: none)."""
        found = self.body.get(name) or []
        if not isinstance(found, list):
            raise ProtocolError(self.operation, "a list was expected here", f"{self.where}.{name}")
        return [Fields(self.operation, value, f"{self.where}.{name}[{i}]") for i, value in enumerate(found)]

    def currency(self, fallback: Callable[[], str]) -> str:
        """The document's currency, or (when Zuora leaves it out) its account's."""
        given = self.body.get("currency")
        return str(given) if given else fallback()


def _whole(fields: Fields, name: str) -> int | None:
    """The whole number ``name`` (absent or null: None)."""
    value = fields.get(name)
    if value is None:
        return None
    number = fields.number(name)
    if number != number.to_integral_value():
        raise ProtocolError(fields.operation, "not a whole number", f"{fields.where}.{name}")
    return int(number)


def _months_later(day: date, months: int, day_of_month: int) -> date:
    """The day ``day_of_month`` of the month ``months`` after ``day``'s, or that month's last day
    when it is shorter (Zuora documents 31 as the end of every month)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day_of_month, calendar.monthrange(year, month + 1)[1]))


def _target_date(fields: Fields, run_date: date | None) -> date | None:
    """A bill run's target date: ``targetDate`` when given. A scheduled run may instead give it
    relative to its run date, the date of ``scheduledExecutionTime`` (Zuora's samples of scheduled
    runs send ``targetDate: null``): ``targetDateOffset`` days later, or, for a monthly schedule,
    the day ``targetDateDayOfMonth`` of the month ``targetDateMonthOffset`` months later."""
    given = iso_date(fields.get("targetDate"))
    if given is not None or run_date is None:
        return given
    months, day_of_month = _whole(fields, "targetDateMonthOffset"), _whole(fields, "targetDateDayOfMonth")
    if months is not None and day_of_month is not None:
        if not 1 <= day_of_month <= 31:
            raise ProtocolError(
                fields.operation, "not a day of the month", f"{fields.where}.targetDateDayOfMonth"
            )
        return _months_later(run_date, months, day_of_month)
    offset = _whole(fields, "targetDateOffset")
    return None if offset is None else run_date + timedelta(days=offset)


@_read
def bill_run_view(fields: Fields) -> BillRunView:
    """A bill run. Its scheduled date is the date of ``scheduledExecutionTime``, which Zuora gives
    only for an occurrence of a schedule (an occurrence canceled on its own may answer with
    ``schedule: null``, as in the sample of "Cancel a bill run")."""
    scheduled = iso_date(fields.get("scheduledExecutionTime"))
    return BillRunView(
        id=fields.text("id"),
        number=fields.optional_text("billRunNumber") or fields.text("id"),
        status=fields.text("status"),
        target_date=_target_date(fields, scheduled),
        scheduled_date=scheduled,
    )


@_read
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


@_read
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


@_read
def memo_item_view(fields: Fields) -> MemoItemView:
    finance = fields.get("financeInformation") or {}
    return MemoItemView(
        fields.number("amount"),
        {str(k): str(v) for k, v in finance.items() if v is not None},
    )


@_read
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


def looked_up_order(body: Fields) -> OrderView:
    """The order of a look-up's answer (``GET /v1/orders/{orderNumber}``): its subscriptions,
    and the custom fields of the order and of its cancellations."""
    found = Fields("get order", body.need("order"), "$.order")
    cancellations = [
        action
        for subscription in found.items("subscriptions")
        for action in subscription.items("orderActions")
        if action.get("type") == "CancelSubscription"
    ]
    return OrderView(
        found.text("orderNumber"),
        found.text("status"),
        tuple(s.text("subscriptionNumber") for s in found.items("subscriptions")),
        custom_fields=dict(found.get("customFields") or {}),
        action_custom_fields={
            k: v for action in cancellations for k, v in (action.get("customFields") or {}).items()
        },
    )
