"""Invoicing: turning what is due into invoices and credit memos, for bill runs and orders."""

from __future__ import annotations

import functools
from dataclasses import replace
from datetime import date
from decimal import Decimal

from reference_impl.account import Account
from reference_impl.catalog import Catalog
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentItem, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.money import ZERO
from reference_impl.order import WRITE_OFF_REASON
from reference_impl.rating import BilledKey, due_items

__all__ = ["Invoicing"]


class Invoicing:
    """What is due and not billed yet, and the document that bills it."""

    def __init__(self, ledger: Ledger, catalog: Catalog) -> None:
        self.ledger = ledger
        self.catalog = catalog
        self._new_item_id = functools.partial(ledger.new_id, "item")

    def billed(self, account_number: str) -> dict[BilledKey, Decimal]:
        """What each service period of the account was billed for, on documents not canceled."""
        billed: dict[BilledKey, Decimal] = {}
        invoices, memos = self.ledger.invoices, self.ledger.credit_memos
        if not (invoices.files("account", account_number) or memos.files("account", account_number)):
            return billed  # a first bill: the common case of a bill run, made quick
        documents: list[Invoice | CreditMemo] = [
            *invoices.where("account", account_number),
            *memos.where("account", account_number),
        ]
        for doc in documents:
            if doc.status is DocumentStatus.CANCELED:
                continue
            if isinstance(doc, CreditMemo) and doc.reason_code == WRITE_OFF_REASON:
                continue
            sign = -1 if isinstance(doc, CreditMemo) else 1
            for item in doc.items:
                key = (item.subscription_number, item.charge_name, item.service_start)
                billed[key] = billed.get(key, ZERO) + sign * item.amount
        return billed

    def due_items(
        self, account: Account, target_date: date, subscriptions: set[str] | None = None
    ) -> list[DocumentItem]:
        """The items due for the account's subscriptions (or only ``subscriptions``) through
        ``target_date`` that no document carries yet."""
        billed = self.billed(account.number)
        items: list[DocumentItem] = []
        for subscription in self.ledger.subscriptions.where("account", account.number):
            if subscriptions is not None and subscription.number not in subscriptions:
                continue
            for plan_name in subscription.plan_names:
                plan = self.catalog.plan(plan_name)
                if plan is not None:
                    items += due_items(subscription, plan, target_date, billed, self._new_item_id)
        return items

    def issue_documents(
        self,
        account: Account,
        items: list[DocumentItem],
        document_date: date,
        target_date: date,
        *,
        bill_run_id: str | None = None,
        post: bool = False,
    ) -> Invoice | CreditMemo | None:
        """One document for ``items``: an invoice, or a credit memo when the total is negative
        and Invoice Settlement is on. Drafts unless ``post``."""
        if not items:
            return None
        total = sum((i.amount for i in items), ZERO)
        status = DocumentStatus.POSTED if post else DocumentStatus.DRAFT
        if total < ZERO and self.ledger.features.invoice_settlement:
            memo = CreditMemo(
                id=self.ledger.new_id("credit_memo"),
                number=self.ledger.new_number("credit_memo"),
                account_number=account.number,
                currency=account.currency,
                memo_date=document_date,
                items=tuple(replace(i, amount=-i.amount) for i in items),
                reason_code="Correcting invoice error",
                bill_run_id=bill_run_id,
                status=status,
            )
            self.ledger.credit_memos[memo.number] = memo
            return memo
        invoice = Invoice(
            id=self.ledger.new_id("invoice"),
            number=self.ledger.new_number("invoice"),
            account_number=account.number,
            currency=account.currency,
            invoice_date=document_date,
            target_date=target_date,
            items=tuple(items),
            bill_run_id=bill_run_id,
            status=status,
        )
        self.ledger.invoices[invoice.number] = invoice
        return invoice
