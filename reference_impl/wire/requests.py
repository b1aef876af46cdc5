"""Request payloads other than orders, as schema-gated pydantic models."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, StrictInt

from reference_impl.wire.types import (
    Contracted,
    OpenWire,
    StrictBool,
    StrictStr,
    WireDate,
    WireNumber,
)

__all__ = [
    "MAX_AMOUNT",
    "CancelBillRunRequest",
    "CreateAccountRequest",
    "CreateBillRunRequest",
    "CreatePaymentRequest",
    "PostBillRunRequest",
    "WireInteger",
]

#: Amounts are refused from this size on: far beyond any real payment, and small enough that
#: rounding to the cent stays within the 28 digits of the Decimal context.
MAX_AMOUNT = Decimal(10) ** 18


def _integer(value: object) -> object:
    """An integral number as an int: JSON Schema counts ``1.0`` an integer, and the decoder makes
    it a Decimal. Anything else is passed on for the strict int check to refuse."""
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)
    return value


#: An integer field: an int, or a number with no fraction (``1.0``); never a bool or ``1.5``.
WireInteger = Annotated[StrictInt, BeforeValidator(_integer)]


class Schedule(OpenWire):
    repeat_type: Literal["None", "Daily", "Weekly", "Monthly"]
    repeat_from: WireDate
    repeat_to: WireDate | None = None
    run_time: WireInteger
    weekly_on_day: list[StrictStr] | None = None
    monthly_on_end_of_month: StrictBool | None = None


class BillRunFilter(OpenWire):
    filter_type: StrictStr
    account_id: StrictStr | None = None
    subscription_id: StrictStr | None = None


class CreateBillRunRequest(OpenWire, Contracted):
    contract = ("create-bill-run-request", None)
    target_date: WireDate | None = None
    invoice_date: WireDate | None = None
    batches: list[StrictStr] | None = None
    bill_run_filters: list[BillRunFilter] | None = None
    schedule: Schedule | None = None


class CancelBillRunRequest(OpenWire, Contracted):
    contract = ("cancel-bill-run-request", None)
    cancel_once: StrictBool | None = None


class PostBillRunRequest(OpenWire, Contracted):
    contract = ("post-bill-run-request", None)
    invoice_date: WireDate | None = None


class Contact(OpenWire):
    first_name: StrictStr
    last_name: StrictStr


class CreateAccountRequest(OpenWire, Contracted):
    contract = ("create-account-request", None)
    name: StrictStr
    currency: StrictStr
    bill_to_contact: Contact
    bill_cycle_day: WireInteger | None = None
    account_number: StrictStr | None = None


class PaidInvoice(OpenWire):
    invoice_id: StrictStr
    amount: WireNumber


class CreatePaymentRequest(OpenWire, Contracted):
    contract = ("create-payment-request", None)
    account_id: StrictStr | None = None
    account_number: StrictStr | None = None
    amount: WireNumber
    type: Literal["External", "Electronic"]
    effective_date: WireDate | None = None
    invoices: list[PaidInvoice] | None = None
    comment: StrictStr | None = None
    payment_method_id: StrictStr | None = None
    payment_method_type: StrictStr | None = None
