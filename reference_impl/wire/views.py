"""Domain values rendered as Zuora v1 response objects (plain dicts, Decimal money, ISO dates)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reference_impl.account import Account
from reference_impl.bill_run import BillRun
from reference_impl.catalog import Catalog, ChargeModel
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.payment import Payment
from reference_impl.subscription import Subscription

__all__ = [
    "account",
    "bill_run",
    "catalog",
    "credit_memo",
    "credit_memo_items",
    "expanded_credit_memo",
    "invoice",
    "payment",
    "subscription",
]

_FINANCE = (
    ("deferred_revenue_accounting_code", "deferredRevenueAccountingCode"),
    ("on_account_accounting_code", "onAccountAccountingCode"),
    ("recognized_revenue_accounting_code", "recognizedRevenueAccountingCode"),
    ("revenue_recognition_rule_name", "revenueRecognitionRuleName"),
)


def _drop_none(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


def account(found: Account) -> dict[str, Any]:
    return {
        "success": True,
        "basicInfo": {
            "id": found.id,
            "accountNumber": found.number,
            "name": found.name,
            "status": found.status.value,
        },
        "billingAndPayment": {"billCycleDay": found.bill_cycle_day, "currency": found.currency},
    }


def catalog(plans: Catalog) -> dict[str, Any]:
    products: dict[str, list[dict[str, Any]]] = {}
    for plan in plans.plans.values():
        products.setdefault(plan.product, []).append(
            {
                "id": plan.id,
                "name": plan.name,
                "productRatePlanCharges": [
                    {
                        "name": charge.name,
                        "type": charge.model.value,
                        "billingPeriod": "Month" if charge.model is ChargeModel.RECURRING_MONTHLY else None,
                        "pricing": [{"currency": code, "price": charge.price} for code in plans.currencies],
                    }
                    for charge in plan.charges
                ],
            }
        )
    return {
        "success": True,
        "products": [{"name": name, "productRatePlans": rate_plans} for name, rate_plans in products.items()],
    }


def subscription(found: Subscription, account_id: str) -> dict[str, Any]:
    return _drop_none(
        {
            "success": True,
            "id": found.id,
            "subscriptionNumber": found.number,
            "accountNumber": found.account_number,
            "accountId": account_id,
            "status": found.status.value,
            "termType": "TERMED" if found.term_end else "EVERGREEN",
            "contractEffectiveDate": found.start_date.isoformat(),
            "subscriptionStartDate": found.start_date.isoformat(),
            "termEndDate": found.term_end.isoformat() if found.term_end else None,
            "subscriptionEndDate": (found.end_date or found.term_end or found.start_date).isoformat()
            if (found.end_date or found.term_end)
            else None,
            "ratePlans": [{"ratePlanName": name} for name in found.plan_names],
        }
    )


def bill_run(run: BillRun, account_id: str | None) -> dict[str, Any]:
    """A bill run as Zuora shows it; ``account_id`` is the id of the one account it bills, if any."""
    schedule = None
    if run.schedule is not None:
        schedule = _drop_none(
            {
                "repeatType": run.schedule.repeat_type.value,
                "repeatFrom": run.schedule.repeat_from.isoformat(),
                "repeatTo": run.schedule.repeat_to.isoformat() if run.schedule.repeat_to else None,
                "runTime": run.schedule.run_time,
                "weeklyOnDay": list(run.schedule.weekly_on_day) or None,
                "monthlyOnEndOfMonth": run.schedule.monthly_on_end_of_month,
            }
        )
    selection: dict[str, Any] = (
        {"batches": ["AllBatches"]}
        if run.account_number is None
        else {"billRunFilters": [{"filterType": "Account", "accountId": account_id}]}
    )
    return _drop_none(
        {
            "success": True,
            "id": run.id,
            "billRunNumber": run.number,
            "status": run.status.value,
            "targetDate": run.target_date.isoformat(),
            "invoiceDate": run.invoice_date.isoformat() if run.schedule is None else None,
            "schedule": schedule,
            "scheduledExecutionTime": run.scheduled_for.isoformat(sep=" ")
            if run.schedule is not None
            else None,
            "name": run.error_message and f"Error: {run.error_message}",
            **selection,
        }
    )


def invoice(found: Invoice, owner: Account, bill_run_number: str | None) -> dict[str, Any]:
    """``GET /v1/invoices/{key}`` (and, without ``success``, an object-query record). The
    reference also says ``accountNumber``, which Zuora's invoices lack; the kit never reads it."""
    return _drop_none(
        {
            "success": True,
            "id": found.id,
            "invoiceNumber": found.number,
            "accountId": owner.id,
            "accountNumber": found.account_number,
            "status": found.status.value,
            "invoiceDate": found.invoice_date.isoformat(),
            "targetDate": found.target_date.isoformat(),
            "currency": found.currency,
            "amount": found.amount,
            "balance": found.balance,
            "paymentAmount": found.payment_amount,
            "creditMemoAmount": found.credit_memo_amount,
            "billRunId": found.bill_run_id,
            "source": "BillRun" if bill_run_number else "API",
            "sourceType": "Subscription",
            "sourceId": bill_run_number,
        }
    )


def credit_memo(
    found: CreditMemo, owner: Account, invoice_id: str | None, bill_run_number: str | None
) -> dict[str, Any]:
    """``GET /v1/credit-memos/{key}``: Zuora's ``CreditMemoResponse`` shape."""
    return _drop_none(
        {
            "success": True,
            "id": found.id,
            "number": found.number,
            "accountId": owner.id,
            "accountNumber": found.account_number,
            "currency": found.currency,
            "status": found.status.value,
            "creditMemoDate": found.memo_date.isoformat(),
            "amount": found.amount,
            "appliedAmount": found.applied_amount,
            "unappliedAmount": found.unapplied_amount,
            "reasonCode": found.reason_code,
            "referredInvoiceId": invoice_id,
            "sourceType": "Subscription" if bill_run_number else ("Invoice" if invoice_id else "Order"),
            "sourceId": bill_run_number,
        }
    )


def expanded_credit_memo(
    found: CreditMemo, owner: Account, invoice_id: str | None, bill_run_number: str | None
) -> dict[str, Any]:
    """An object-query credit memo: Zuora's ``ExpandedCreditMemo`` names its fields differently
    from ``CreditMemoResponse`` (``memoNumber``, ``memoDate``, ``totalAmount``, ``balance``)."""
    return _drop_none(
        {
            "id": found.id,
            "memoNumber": found.number,
            "accountId": owner.id,
            "currency": found.currency,
            "status": found.status.value,
            "memoDate": found.memo_date.isoformat(),
            "totalAmount": found.amount,
            "appliedAmount": found.applied_amount,
            "balance": found.unapplied_amount,
            "reasonCode": found.reason_code,
            "invoiceId": invoice_id,
            "source": "BillRun" if bill_run_number else None,
            "sourceType": "Subscription" if bill_run_number else ("Invoice" if invoice_id else "Order"),
            "sourceId": bill_run_number,
        }
    )


def credit_memo_items(found: CreditMemo) -> dict[str, Any]:
    items = []
    for item in found.items:
        finance = {
            wire: getattr(item.finance, name)
            for name, wire in _FINANCE
            if item.finance is not None and getattr(item.finance, name) is not None
        }
        items.append(
            _drop_none(
                {
                    "id": item.id,
                    "amount": item.amount,
                    "sku": item.charge_name,
                    "serviceStartDate": item.service_start.isoformat(),
                    "serviceEndDate": item.service_end.isoformat(),
                    "financeInformation": finance or None,
                }
            )
        )
    return {"success": True, "items": items}


def payment(found: Payment, owner: Account, invoice_id: str, amount: Decimal) -> dict[str, Any]:
    return {
        "success": True,
        "id": found.id,
        "number": found.number,
        "accountId": owner.id,
        "accountNumber": owner.number,
        "currency": owner.currency,
        "amount": amount,
        "appliedAmount": amount,
        "unappliedAmount": Decimal("0.00"),
        "effectiveDate": found.effective_date.isoformat(),
        "status": found.status,
        "type": found.type,
        "paymentMethodId": found.payment_method_id,
        "paidInvoices": [{"invoiceId": invoice_id, "appliedPaymentAmount": amount}],
    }
