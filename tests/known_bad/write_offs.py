"""Known-bad variants for the deeper rules of a cancellation with write-off: its scope, its
amounts, its currency, what it leaves behind and how it takes a retry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

from reference_impl import (
    Account,
    CreditMemo,
    Invoice,
    Rejection,
    document_ops,
    invoicing,
    order_ops,
    write_off_ops,
)
from reference_impl.document import DocumentItem
from reference_impl.money import money
from reference_impl.order import CancellationPolicy, Order, OrderRequest, Processing, WriteOff
from tests.known_bad.base import KnownBad

_UNUSED = "(unused)"


class WritesOffTheWholeAccount(KnownBad):
    """Writes off every unpaid invoice of the account, whichever subscription it bills.

    Two statements fall: WO-ONLY-THIS-SUBSCRIPTION (the other subscription's invoice is written
    off) and WO-FAILURE-REPORTED (an invoice shared with the other subscription, which must keep its
    balance without Invoice Item Settlement, is written off whole). WO-WRITTEN-OFF-NOT-PAYABLE
    cannot be judged: its control payment goes to the other subscription's invoice, written off too.
    """

    breaks = "WO-ONLY-THIS-SUBSCRIPTION"
    also_breaks = frozenset({"WO-FAILURE-REPORTED"})
    also_errors = frozenset({"WO-WRITTEN-OFF-NOT-PAYABLE"})

    class WriteOffs(write_off_ops.WriteOffs):
        def write_off_unpaid(
            self,
            account: Account,
            canceled: set[str],
            final: Invoice | CreditMemo | None,
            processing: Processing,
        ) -> tuple[WriteOff, ...]:
            every = {s.number for s in self.ledger.subscriptions.where("account", account.number)}
            return super().write_off_unpaid(account, every, final, processing)


def _reworking_unused_credits(rework: Callable[[DocumentItem], DocumentItem]) -> type[invoicing.Invoicing]:
    """Invoicing that reworks each credit for unused service as ``rework`` says."""

    class Reworking(invoicing.Invoicing):
        def due_items(
            self, account: Account, target_date: date, subscriptions: set[str] | None = None
        ) -> list[DocumentItem]:
            items = super().due_items(account, target_date, subscriptions)
            return [rework(i) if i.charge_name.endswith(_UNUSED) else i for i in items]

    return Reworking


def _one_day_fewer(item: DocumentItem) -> DocumentItem:
    days = (item.service_end - item.service_start).days
    return replace(item, amount=money(item.amount * (days - 1) / days))


class RoundsProrationToWholeUnits(KnownBad):
    """Credits the unused part of a month rounded to whole units of the currency."""

    breaks = "WO-PRORATED-BY-DAY"
    Invoicing = _reworking_unused_credits(lambda item: replace(item, amount=item.amount.quantize(Decimal(1))))


class CreditsOneUnusedDayTooFew(KnownBad):
    """Counts the effective date as a day in service, so one unused day goes uncredited."""

    breaks = "WO-PRORATED-BY-DAY"
    Invoicing = _reworking_unused_credits(_one_day_fewer)


class WritesOffInTheDefaultCurrency(KnownBad):
    """Issues every write-off credit memo in US dollars, whatever the account pays in."""

    breaks = "WO-ACCOUNT-CURRENCY"

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            memo = replace(super()._write_off(invoice, processing, only), currency="USD")
            self.ledger.credit_memos[memo.number] = memo
            return memo


class AcceptsPaymentsOnWrittenOffInvoices(KnownBad):
    """Lets a written-off invoice take payments beyond its balance, as if the write-off were undone."""

    breaks = "WO-WRITTEN-OFF-NOT-PAYABLE"

    class Documents(document_ops.Documents):
        def _payment_refusal(self, invoice: Invoice, amount: Decimal) -> Rejection | None:
            written_off = any(
                m.referred_invoice_number == invoice.number
                for m in self.ledger.credit_memos.where("account", invoice.account_number)
            )
            return None if written_off else super()._payment_refusal(invoice, amount)


class FillsInUnstatedWriteOffOptions(KnownBad):
    """Takes a write-off order that leaves out the options the document marks as required."""

    breaks = "WO-OPTIONS-STATED"
    should_only = True

    class Orders(order_ops.Orders):
        def _unstated_refusal(self, processing: Processing) -> Rejection | None:
            return None


class _RewritesOrders(KnownBad):
    """A variant that changes the order it has just processed, as stored and as answered."""

    def _rewrite(self, order: Order) -> Order:
        raise NotImplementedError

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        order = super().create_order(request, idempotency_key=idempotency_key)
        if isinstance(order, Rejection):
            return order
        order = self._rewrite(order)
        self.ledger.orders[order.number] = order
        return order


class DropsCancellationCustomFields(_RewritesOrders):
    """Keeps the order's custom fields but forgets those of its order actions."""

    breaks = "WO-CUSTOM-FIELDS-KEPT"

    def _rewrite(self, order: Order) -> Order:
        return replace(order, action_custom_fields=())


class LeavesTheFinalDocumentOutOfTheResult(_RewritesOrders):
    """Generates the final invoice or credit memo but does not name it in the order's answer."""

    breaks = "WO-RESULT-NAMES-DOCUMENTS"

    def _rewrite(self, order: Order) -> Order:
        return replace(order, invoice_numbers=(), credit_memo_numbers=())


class LeavesWriteOffCreditMemosUnnamed(_RewritesOrders):
    """Reports each write-off without the number of its credit memo (the credit memos exist).

    Only WO-REPORTED states that number. The write-off credit memo of each invoice can then not be
    told (Zuora's credit memo has no field the kit reads that names the invoice it wrote off), so
    WO-UNPAID-INVOICES-CLEARED cannot be observed and is errored; every other rule finds what it
    needs another way (the customer's write-off credit memos by their reason code) or needs no
    credit memo at all.
    """

    breaks = "WO-REPORTED"
    also_errors = frozenset({"WO-UNPAID-INVOICES-CLEARED"})

    def _rewrite(self, order: Order) -> Order:
        return replace(order, write_offs=tuple(replace(w, credit_memo_number=None) for w in order.write_offs))


class WritesOffTheInvoiceAmount(KnownBad):
    """Writes off what the invoice amounted to, whatever was already paid or credited on it.

    Two statements say that only what remains is written off, and both fall: WO-PARTLY-PAID (a
    payment came first) and WO-FINAL-CREDIT-MEMO-FIRST (the final credit memo came first).
    """

    breaks = "WO-PARTLY-PAID"
    also_breaks = frozenset({"WO-FINAL-CREDIT-MEMO-FIRST"})

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            whole = replace(invoice, payment_amount=Decimal(0), credit_memo_amount=Decimal(0))
            memo = super()._write_off(whole, processing, only)
            self.ledger.invoices[invoice.number] = invoice.record_credit(memo.amount)
            return memo


class WritesOffOnlyOnSpecificDates(KnownBad):
    """Drops the write-off when the cancellation follows a policy instead of a given date.

    Explore also sees WO-FINAL-INVOICE-WRITTEN-OFF fall: a final invoice made by a cancellation
    under a policy is left owing, a history no example of the features sets up.
    """

    breaks = "WO-ANY-POLICY"
    explore_also_breaks = frozenset({"WO-FINAL-INVOICE-WRITTEN-OFF"})

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        policies = {
            a.policy for change in request.subscriptions for a in change.actions if a.policy is not None
        }
        if policies - {CancellationPolicy.SPECIFIC_DATE}:
            request = replace(request, processing=replace(request.processing, write_off=False))
        return super().create_order(request, idempotency_key=idempotency_key)


class IgnoresIdempotencyKeys(KnownBad):
    """Processes a retried order again, as a new order."""

    breaks = "WO-IDEMPOTENT-RETRY"

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        return super().create_order(request)


class LetsTheOrderNameTheWriteOffReasonCode(KnownBad):
    """Gives the write-off credit memos the reason code the order names for its credit memos
    (``billingOptions.creditMemoReasonCode``) instead of "Write-off"."""

    breaks = "WO-UNPAID-INVOICES-CLEARED"

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            memo = super()._write_off(invoice, processing, only)
            if processing.credit_memo_reason_code is None:
                return memo
            renamed = replace(memo, reason_code=processing.credit_memo_reason_code)
            self.ledger.credit_memos[renamed.number] = renamed
            return renamed
