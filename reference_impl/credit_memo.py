"""Credit memos (Invoice Settlement only): credit owed to an account, applied to invoices."""

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

__all__ = ["CreditMemo"]


@dataclass(frozen=True)
class CreditMemo:
    """A credit for an account, in the account's currency; ``amount`` is positive.
    ``applied_amount`` went to invoices."""

    id: str
    number: str
    account_number: str
    currency: str
    memo_date: date
    items: tuple[DocumentItem, ...]
    reason_code: str
    status: DocumentStatus = DocumentStatus.DRAFT
    bill_run_id: str | None = None
    applied_amount: Decimal = ZERO
    referred_invoice_number: str | None = None

    @property
    def amount(self) -> Decimal:
        return sum((item.amount for item in self.items), ZERO)

    @property
    def unapplied_amount(self) -> Decimal:
        return self.amount - self.applied_amount

    def transition(self, action: DocumentAction) -> CreditMemo | Rejection:
        status = next_document_status("credit memo", self.number, self.status, action)
        return status if isinstance(status, Rejection) else changed(self, status=status)

    def record_application(self, amount: Decimal) -> CreditMemo:
        return changed(self, applied_amount=self.applied_amount + amount)
