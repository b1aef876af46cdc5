"""Invoices and their balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reference_impl.document import (
    DocumentAction,
    DocumentItem,
    DocumentStatus,
    changed,
    next_document_status,
)
from reference_impl.money import ZERO
from reference_impl.rejection import Rejection

__all__ = ["Invoice"]


@dataclass(frozen=True)
class Invoice:
    """A bill for an account, in the account's currency. Its balance is what is still owed after
    payments and credits."""

    id: str
    number: str
    account_number: str
    currency: str
    invoice_date: date
    target_date: date
    items: tuple[DocumentItem, ...]
    status: DocumentStatus = DocumentStatus.DRAFT
    bill_run_id: str | None = None
    payment_amount: Decimal = ZERO
    credit_memo_amount: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)

    @property
    def balance(self) -> Decimal:
        return self.amount - self.payment_amount - self.credit_memo_amount

    def transition(self, action: DocumentAction) -> Invoice | Rejection:
        status = next_document_status("invoice", self.number, self.status, action)
        return status if isinstance(status, Rejection) else changed(self, status=status)

    def record_payment(self, amount: Decimal) -> Invoice:
        return changed(self, payment_amount=self.payment_amount + amount)

    def record_credit(self, amount: Decimal) -> Invoice:
        return changed(self, credit_memo_amount=self.credit_memo_amount + amount)
