"""Writing off unpaid invoices when a subscription is canceled, and collecting payments for orders.

Rules of "Cancel subscriptions and write off all unpaid invoices": which invoices are written
off, how a final credit memo is used first, what a write-off credit memo looks like, and how a
failed write-off is reported.
"""

from __future__ import annotations

from reference_impl.account import Account
from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentItem, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.money import ZERO, money
from reference_impl.order import WRITE_OFF_REASON, Processing, WriteOff
from reference_impl.payment import Payment

__all__ = ["MULTIPLE_SUBSCRIPTIONS", "WriteOffs"]

MULTIPLE_SUBSCRIPTIONS = (
    "Invoice is linked to multiple subscriptions; it can only be written off with Invoice Item Settlement."
)


class WriteOffs:
    """What an order does after billing: collect a payment, or write off what stays unpaid."""

    def __init__(self, ledger: Ledger, clock: Clock) -> None:
        self.ledger = ledger
        self.clock = clock

    def collect_for(self, document: Invoice | CreditMemo | None) -> Payment | None:
        if (
            not isinstance(document, Invoice)
            or document.balance <= ZERO
            or document.status is not DocumentStatus.POSTED
        ):
            return None
        payment = Payment(
            id=self.ledger.new_id("payment"),
            number=self.ledger.new_number("payment"),
            account_number=document.account_number,
            invoice_number=document.number,
            amount=document.balance,
            effective_date=self.clock.now().date(),
        )
        self.ledger.payments[payment.number] = payment
        self.ledger.invoices[document.number] = document.record_payment(payment.amount)
        return payment

    def _unpaid_invoices(self, account: Account, canceled: set[str]) -> list[Invoice]:
        """Rule: issued (posted) invoices of the canceled subscriptions that still have a balance."""
        billing = {
            i.number: i for number in canceled for i in self.ledger.invoices.where("subscription", number)
        }
        return sorted(
            (
                i
                for i in billing.values()
                if i.account_number == account.number
                and i.status is DocumentStatus.POSTED
                and i.balance > ZERO
            ),
            key=lambda i: (i.invoice_date, i.number),
        )

    def _final_credit_order(self, memo: CreditMemo, unpaid: list[Invoice]) -> list[Invoice]:
        """The order in which the final credit memo goes to the outstanding invoices: the tenant's
        default application rule, a setting of Invoice Settlement (no rule depends on it).

        The reference's choice: the invoice that billed the credited service first, then the
        others, oldest first (``unpaid`` comes oldest first).
        """

        def bills_credited_service(invoice: Invoice) -> bool:
            return any(
                mine.subscription_number == theirs.subscription_number
                and mine.service_start < theirs.service_end
                and theirs.service_start < mine.service_end
                for mine in memo.items
                for theirs in invoice.items
            )

        return sorted(unpaid, key=lambda invoice: not bills_credited_service(invoice))

    def _apply_final_credit(self, memo: CreditMemo, unpaid: list[Invoice]) -> None:
        """Rule: a final credit memo goes to the outstanding invoices before anything is written
        off, in the order of :meth:`_final_credit_order`, until it is used up."""
        for invoice in self._final_credit_order(memo, unpaid):
            current_memo = self.ledger.credit_memos[memo.number]
            current = self.ledger.invoices[invoice.number]
            amount = min(current_memo.unapplied_amount, current.balance)
            if amount <= ZERO:
                continue
            self.ledger.credit_memos[memo.number] = current_memo.record_application(amount)
            self.ledger.invoices[invoice.number] = current.record_credit(amount)

    def write_off_unpaid(
        self, account: Account, canceled: set[str], final: Invoice | CreditMemo | None, processing: Processing
    ) -> tuple[WriteOff, ...]:
        unpaid = self._unpaid_invoices(account, canceled)
        if isinstance(final, CreditMemo) and final.status is DocumentStatus.POSTED:
            self._apply_final_credit(final, unpaid)
        results: list[WriteOff] = []
        for invoice in unpaid:
            current = self.ledger.invoices[invoice.number]
            if current.balance <= ZERO:
                continue
            shared = any(item.subscription_number not in canceled for item in current.items)
            if shared and not self.ledger.features.invoice_item_settlement:
                results.append(
                    WriteOff(current.number, current.balance, "Failed", failed_reason=MULTIPLE_SUBSCRIPTIONS)
                )
                continue
            memo = self._write_off(current, processing, canceled if shared else None)
            results.append(WriteOff(current.number, memo.amount, "Success", credit_memo_number=memo.number))
        return tuple(results)

    def _write_off(
        self, invoice: Invoice, processing: Processing, only: set[str] | None = None
    ) -> CreditMemo:
        """A posted credit memo for the invoice's balance, applied to it; reason ``Write-off``.

        With ``only`` (Invoice Item Settlement, an invoice shared with other subscriptions), just
        the items of those subscriptions are written off, up to the balance.
        """
        remaining, items = invoice.balance, []
        for item in invoice.items:
            if only is not None and item.subscription_number not in only:
                continue
            share = min(item.amount, remaining)
            if share > ZERO:
                items.append(
                    DocumentItem(
                        self.ledger.new_id("item"),
                        item.subscription_number,
                        item.charge_name,
                        item.service_start,
                        item.service_end,
                        money(share),
                        finance=processing.write_off_finance,
                    )
                )
                remaining -= share
        memo = CreditMemo(
            id=self.ledger.new_id("credit_memo"),
            number=self.ledger.new_number("credit_memo"),
            account_number=invoice.account_number,
            currency=invoice.currency,
            memo_date=processing.document_date or self.clock.now().date(),
            items=tuple(items),
            reason_code=WRITE_OFF_REASON,
            status=DocumentStatus.POSTED,
            referred_invoice_number=invoice.number,
        )
        memo = memo.record_application(memo.amount)
        self.ledger.credit_memos[memo.number] = memo
        self.ledger.invoices[invoice.number] = invoice.record_credit(memo.amount)
        return memo
