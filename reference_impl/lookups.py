"""Look-ups every service shares: a record by number or id, or the rejection saying it is missing.

Zuora's paths take either a record's number or its id; each table answers both from its index.
"""

from __future__ import annotations

from reference_impl.account import Account
from reference_impl.bill_run import BillRun
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.order import Order
from reference_impl.rejection import Category, Rejection
from reference_impl.subscription import Subscription

__all__ = [
    "credit_memos_of",
    "find_account",
    "find_bill_run",
    "find_credit_memo",
    "find_invoice",
    "find_order",
    "find_subscription",
    "invoices_of",
    "not_found",
]


def not_found(kind: str, key: str) -> Rejection:
    return Rejection(
        code=f"{kind.replace(' ', '-')}-not-found",
        category=Category.NOT_FOUND,
        message=f"No {kind} {key!r} exists.",
    )


def find_account(ledger: Ledger, key: str) -> Account | Rejection:
    return ledger.accounts.find(key) or not_found("account", key)


def find_subscription(ledger: Ledger, key: str) -> Subscription | Rejection:
    return ledger.subscriptions.find(key) or not_found("subscription", key)


def find_bill_run(ledger: Ledger, key: str) -> BillRun | Rejection:
    return ledger.bill_runs.find(key) or not_found("bill run", key)


def find_invoice(ledger: Ledger, key: str) -> Invoice | Rejection:
    return ledger.invoices.find(key) or not_found("invoice", key)


def find_credit_memo(ledger: Ledger, key: str) -> CreditMemo | Rejection:
    return ledger.credit_memos.find(key) or not_found("credit memo", key)


def find_order(ledger: Ledger, key: str) -> Order | Rejection:
    return ledger.orders.find(key) or not_found("order", key)


def invoices_of(ledger: Ledger, run: BillRun) -> list[Invoice]:
    """The invoices a bill run produced."""
    return ledger.invoices.where("bill_run", run.id)


def credit_memos_of(ledger: Ledger, run: BillRun) -> list[CreditMemo]:
    """The credit memos a bill run produced."""
    return ledger.credit_memos.where("bill_run", run.id)
