"""Zuora response bodies as pydantic models, built from domain results."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reference_impl.order import AsyncJob, Order
from reference_impl.rejection import Rejection
from reference_impl.wire.types import Contracted, OpenWire, StrictBool, StrictInt, StrictStr, WireNumber

__all__ = ["AsyncJobResponse", "CreateOrderResponse", "ErrorResponse", "order_response", "response_style"]


class Reason(OpenWire):
    code: StrictInt | StrictStr
    message: StrictStr


class ErrorResponse(OpenWire, Contracted):
    contract = ("error-response", None)
    success: Literal[False] = False
    reasons: list[Reason] = Field(min_length=1)
    process_id: StrictStr | None = None
    request_id: StrictStr | None = None

    @classmethod
    def of(cls, rejection: Rejection) -> ErrorResponse:
        return cls(reasons=[Reason(code=rejection.zuora_code, message=rejection.message)])


class WriteOffItem(OpenWire):
    invoice_number: StrictStr | None = None
    amount: WireNumber | None = None
    status: Literal["Success", "Failed"] | None = None
    write_off_credit_memo_number: StrictStr | None = None
    failed_reason: StrictStr | None = None


class OrderActionRef(OpenWire):
    id: StrictStr | None = None
    type: StrictStr | None = None
    order_metrics: list[Any] | None = None


class ResponseSubscription(OpenWire):
    subscription_number: StrictStr | None = None
    subscription_id: StrictStr | None = None
    status: Literal["Active", "Pending Activation", "Pending Acceptance", "Cancelled", "Suspended"] | None = (
        None
    )
    subscription_owner_number: StrictStr | None = None
    subscription_owner_id: StrictStr | None = None
    order_actions: list[OrderActionRef] | None = Field(default=None, alias="OrderActions")


class CreateOrderResponse(OpenWire, Contracted):
    contract = ("create-order-response", None)
    success: StrictBool = True
    reasons: list[Reason] | None = None
    process_id: StrictStr | None = None
    request_id: StrictStr | None = None
    order_number: StrictStr | None = None
    order_id: StrictStr | None = None
    account_number: StrictStr | None = None
    account_id: StrictStr | None = None
    status: (
        Literal["Draft", "Pending", "Completed", "Cancelled", "Scheduled", "Executing", "Failed"] | None
    ) = None
    subscription_numbers: list[StrictStr] | None = None
    subscription_ids: list[StrictStr] | None = None
    subscriptions: list[ResponseSubscription] | None = None
    invoice_numbers: list[StrictStr] | None = None
    invoice_ids: list[StrictStr] | None = None
    credit_memo_numbers: list[StrictStr] | None = None
    credit_memo_ids: list[StrictStr] | None = None
    payment_number: StrictStr | None = None
    payment_id: StrictStr | None = None
    paid_amount: StrictStr | None = None
    write_off: list[WriteOffItem] | None = None


class AsyncJobSubmitted(OpenWire, Contracted):
    contract = ("async-job-response", "submitted")
    job_id: StrictStr
    success: StrictBool = True


class AsyncJobResult(CreateOrderResponse):
    job_type: Literal["AsyncCreateOrder"]


class AsyncJobResponse(OpenWire, Contracted):
    contract = ("async-job-response", "job")
    success: StrictBool = True
    status: Literal["Processing", "Failed", "Completed"]
    errors: StrictStr | None = None
    result: AsyncJobResult | None = None


def response_style(zuora_version: str | None) -> Literal["numbers", "subscriptions"]:
    """Which way a create-order response lists subscriptions, by the ``Zuora-Version`` header.

    Minor versions up to 206 (and no header at all) get ``subscriptionNumbers``; 223 and later,
    and the date-style versions the SDK sends, get ``subscriptions``. Versions in between are
    treated as the older style.
    """
    if not zuora_version:
        return "numbers"
    if "-" in zuora_version:
        return "subscriptions"
    try:
        return "subscriptions" if float(zuora_version) >= 223 else "numbers"
    except ValueError:
        return "numbers"


def order_response(
    order: Order,
    *,
    style: Literal["numbers", "subscriptions"],
    settlement: bool,
) -> CreateOrderResponse:
    """The create-order response for a processed order."""
    subs: dict[str, Any] = {}
    if style == "numbers":
        subs["subscription_numbers"] = [number for number, _ in order.subscriptions]
    else:
        subs["subscriptions"] = [
            ResponseSubscription(
                subscription_number=number,
                status=status,
                order_actions=[OrderActionRef(type=kind) for kind, sub in order.actions if sub == number],
            )
            for number, status in order.subscriptions
        ]
    write_offs = [
        WriteOffItem(
            invoice_number=w.invoice_number,
            amount=w.amount,
            status=w.status,
            write_off_credit_memo_number=w.credit_memo_number,
            failed_reason=w.failed_reason,
        )
        for w in order.write_offs
    ]
    return CreateOrderResponse(
        order_number=order.number,
        account_number=order.account_number,
        status=order.status,
        invoice_numbers=list(order.invoice_numbers) or None,
        credit_memo_numbers=(list(order.credit_memo_numbers) or None) if settlement else None,
        payment_number=order.payment_number,
        paid_amount=None if order.paid_amount is None else format(order.paid_amount, "f"),
        write_off=write_offs if order.write_off_requested else None,
        **subs,
    )


def job_response(
    job: AsyncJob, *, style: Literal["numbers", "subscriptions"], settlement: bool
) -> AsyncJobResponse:
    result = None
    if job.order is not None:
        base = order_response(job.order, style=style, settlement=settlement)
        result = AsyncJobResult(**dict(base), job_type="AsyncCreateOrder")
    return AsyncJobResponse(status=job.status, errors=job.errors, result=result)
