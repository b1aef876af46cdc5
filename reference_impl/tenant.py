"""Tenant feature settings that change what the billing rules allow."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FeatureSettings"]


@dataclass(frozen=True)
class FeatureSettings:
    """Which of Zuora's tenant features are switched on.

    ``invoice_settlement``: credit memos exist; negative bill-run amounts become credit memos.
    ``orders`` and ``workflow``: needed, together with Invoice Settlement, to write off unpaid
    invoices while canceling a subscription.
    ``invoice_item_settlement``: settlement item by item; it lets the write-off of a cancellation
    clear the canceled subscription's part of an invoice shared with another subscription.
    """

    invoice_settlement: bool = True
    orders: bool = True
    workflow: bool = True
    invoice_item_settlement: bool = False
