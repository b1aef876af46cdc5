"""Payments collected against invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = ["Payment"]


@dataclass(frozen=True)
class Payment:
    """Money received from an account and applied to one invoice."""

    id: str
    number: str
    account_number: str
    invoice_number: str
    amount: Decimal
    effective_date: date
    status: str = "Processed"
