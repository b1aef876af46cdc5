"""The Zuora v1 payloads the kit sends, built the same way for every target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from steps.targets.protocol import CancellationOrder

__all__ = ["PAYMENT_METHOD_TYPE", "cancellation_payload", "payment_payload", "subscription_payload"]

#: How the kit's customers pay: by check, an external payment. Zuora's "Create a payment" takes
#: the account's default payment method when a payment names none (``paymentMethodId``) and
#: refuses it when that method is of another type; an account the kit creates has no default,
#: and Zuora's "Create a payment method" creates no external method (Check, Cash, ... are the
#: tenant's own). So every payment names its external method type (``paymentMethodType``), the
#: field "Create a payment" gives for external payments, and relies on no default. The tenant
#: must have the Check payment method active.
PAYMENT_METHOD_TYPE = "Check"

#: Zuora's processing option -> its business name in :data:`PROCESSING_OPTIONS`.
_WIRE = {
    "runBilling": "final invoice",
    "collectPayment": "payment collection",
    "documentDate": "document date",
    "targetDate": "target date",
}


def _triggers(day: date) -> list[dict[str, str]]:
    return [
        {"name": name, "triggerDate": day.isoformat()}
        for name in ("ContractEffective", "ServiceActivation", "CustomerAcceptance")
    ]


def subscription_payload(account_number: str, plan_id: str, start: date) -> dict[str, Any]:
    """An order creating a twelve-month subscription to one rate plan from ``start``."""
    return {
        "orderDate": start.isoformat(),
        "existingAccountNumber": account_number,
        "subscriptions": [
            {
                "orderActions": [
                    {
                        "type": "CreateSubscription",
                        "triggerDates": _triggers(start),
                        "createSubscription": {
                            "subscribeToRatePlans": [{"productRatePlanId": plan_id}],
                            "terms": {
                                "initialTerm": {"period": 12, "periodType": "Month", "termType": "TERMED"}
                            },
                        },
                    }
                ],
            }
        ],
    }


def payment_payload(account_id: str, invoice_id: str, amount: Decimal, currency: str) -> dict[str, Any]:
    """An external payment by check of ``amount``, applied whole to one invoice of the account."""
    return {
        "accountId": account_id,
        "amount": amount,
        "currency": currency,
        "type": "External",
        "paymentMethodType": PAYMENT_METHOD_TYPE,
        "invoices": [{"invoiceId": invoice_id, "amount": amount}],
    }


def cancellation_payload(
    order: CancellationOrder, account_number: str, subscription_number: str, today: date
) -> dict[str, Any]:
    """The order of ``order``, shaped like the documented cancel-and-write-off request."""
    effective = order.effective_date or today
    cancel: dict[str, Any] = {"cancellationPolicy": order.policy}
    if order.policy == "SpecificDate":
        cancel["cancellationEffectiveDate"] = effective.isoformat()
    dates = {"documentDate": effective.isoformat(), "targetDate": effective.isoformat()}
    processing: dict[str, Any] = {
        "runBilling": order.final_invoice,
        "collectPayment": order.collect_payment,
        "billingOptions": {name: day for name, day in dates.items() if _WIRE[name] not in order.unstated},
    }
    if order.credit_memo_reason_code is not None:
        processing["billingOptions"]["creditMemoReasonCode"] = order.credit_memo_reason_code
    for name in ("runBilling", "collectPayment"):
        if _WIRE[name] in order.unstated:
            del processing[name]
    if order.write_off:
        processing["writeOff"] = True
        if order.finance is not None:
            processing["writeOffBehavior"] = {"financeInformation": dict(order.finance)}
    return {
        "orderDate": today.isoformat(),
        "existingAccountNumber": account_number,
        "customFields": dict(order.order_custom_fields),
        "category": "NewSales",
        "subscriptions": [
            {
                "subscriptionNumber": subscription_number,
                "orderActions": [
                    {
                        "type": "CancelSubscription",
                        "customFields": dict(order.action_custom_fields),
                        "triggerDates": _triggers(effective),
                        "cancelSubscription": cancel,
                    }
                ],
            }
        ],
        "processingOptions": processing,
    }
