"""Known-bad variants that break the rules of "Cancel subscriptions and write off all unpaid invoices"."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Self

from pydantic import model_validator

from reference_impl import Account, Clock, CreditMemo, Invoice, Rejection, invoicing, order_ops, write_off_ops
from reference_impl.document import DocumentItem, DocumentStatus
from reference_impl.order import (
    AsyncJob,
    CancellationPolicy,
    Order,
    OrderAction,
    OrderRequest,
    Processing,
    WriteOff,
)
from reference_impl.rejection import Category
from reference_impl.subscription import Subscription
from reference_impl.tenant import FeatureSettings
from reference_impl.wire.api import WireModels
from reference_impl.wire.orders import CreateOrderAsyncRequest, CreateOrderRequest, ProcessingOptions
from tests.known_bad.base import KnownBad


class _AnyProcessing(ProcessingOptions):
    """Processing options without the checks of their combinations."""

    @model_validator(mode="after")
    def _collect_needs_billing(self) -> _AnyProcessing:
        return self

    @model_validator(mode="after")
    def _combinations(self) -> _AnyProcessing:
        return self


class _AnyOrder(CreateOrderRequest):
    """An order request checked by the model alone: the schema's combination rules are skipped."""

    processing_options: _AnyProcessing | None = None

    @classmethod
    def from_wire(cls, data: object) -> Self:
        return cls.model_validate(data)


class _AsyncWithWriteOff(CreateOrderAsyncRequest):
    """An asynchronous order request that takes the synchronous processing options, write-off included."""

    processing_options: ProcessingOptions | None = None  # type: ignore[assignment]

    @classmethod
    def from_wire(cls, data: object) -> Self:
        return cls.model_validate(data)


class WritesOffWithoutInvoiceSettlement(KnownBad):
    """Writes off unpaid invoices even when Invoice Settlement is disabled."""

    breaks = "WO-NEEDS-INVOICE-SETTLEMENT"

    class Orders(order_ops.Orders):
        def _feature_refusal(self, processing: Processing) -> Rejection | None:
            settled = replace(self.ledger.features, invoice_settlement=True)
            saved, self.ledger.features = self.ledger.features, settled
            try:
                return super()._feature_refusal(processing)
            finally:
                self.ledger.features = saved


class WritesOffWithoutWorkflow(KnownBad):
    """Does not check the Workflow feature before writing off (only a SHOULD example checks it)."""

    breaks = "WO-NEEDS-ORDERS-AND-WORKFLOW"
    should_only = True

    class Orders(order_ops.Orders):
        def _feature_refusal(self, processing: Processing) -> Rejection | None:
            saved = self.ledger.features
            self.ledger.features = replace(saved, workflow=True)
            try:
                return super()._feature_refusal(processing)
            finally:
                self.ledger.features = saved


class WritesOffAsynchronously(KnownBad):
    """Accepts write-off in an asynchronous order, and performs it."""

    breaks = "WO-SYNC-ONLY"
    wire_models = WireModels(async_order=_AsyncWithWriteOff)

    class Orders(order_ops.Orders):
        def _async_refusal(self, request: OrderRequest) -> Rejection | None:
            return None


class IgnoresWriteOffInAsynchronousOrders(KnownBad):
    """Takes an asynchronous order that asks for the write-off, drops the write-off and cancels."""

    breaks = "WO-SYNC-ONLY"
    should_only = True
    wire_models = WireModels(async_order=_AsyncWithWriteOff)

    class Orders(order_ops.Orders):
        def _async_refusal(self, request: OrderRequest) -> Rejection | None:
            return None

    def create_order_async(self, request: OrderRequest) -> AsyncJob | Rejection:
        return super().create_order_async(
            replace(request, processing=replace(request.processing, write_off=False))
        )


class CollectsPaymentWhileWritingOff(KnownBad):
    """Lets an order collect a payment and write off at the same time."""

    breaks = "WO-NO-PAYMENT-COLLECTION"
    should_only = True

    class Orders(order_ops.Orders):
        def _processing_refusal(self, processing: Processing) -> Rejection | None:
            if processing.write_off and processing.collect_payment:
                return None
            return super()._processing_refusal(processing)


class CollectsWithoutBilling(KnownBad):
    """Accepts collectPayment without runBilling (and then simply collects nothing)."""

    breaks = "WO-COLLECT-NEEDS-BILLING"
    wire_models = WireModels(order=_AnyOrder)

    class Orders(order_ops.Orders):
        def _processing_refusal(self, processing: Processing) -> Rejection | None:
            if processing.collect_payment and not processing.run_billing:
                return None
            return super()._processing_refusal(processing)


class FilesWriteOffMemosAsDrafts(KnownBad):
    """Leaves the write-off credit memo a draft (though applied)."""

    breaks = "WO-UNPAID-INVOICES-CLEARED"

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            memo = replace(super()._write_off(invoice, processing, only), status=DocumentStatus.DRAFT)
            self.ledger.credit_memos[memo.number] = memo
            return memo


class WritesOffTheWholeAmount(KnownBad):
    """Writes off the invoice amount rather than what remains of it."""

    breaks = "WO-PARTLY-PAID"

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            return super()._write_off(
                replace(invoice, payment_amount=invoice.payment_amount * 0), processing, only
            )


class WritesOffDrafts(KnownBad):
    """Writes off draft invoices as well as issued ones."""

    breaks = "WO-DRAFTS-NOT-WRITTEN-OFF"

    class WriteOffs(write_off_ops.WriteOffs):
        def _unpaid_invoices(self, account: Account, canceled: set[str]) -> list[Invoice]:
            drafts = [
                i
                for i in self.ledger.invoices.where("account", account.number)
                if i.status is DocumentStatus.DRAFT
                and any(t.subscription_number in canceled for t in i.items)
            ]
            return super()._unpaid_invoices(account, canceled) + drafts


class ReportsInvoiceIdsInsteadOfNumbers(KnownBad):
    """Names the written-off invoices by their ids in the order's report."""

    breaks = "WO-REPORTED"

    class WriteOffs(write_off_ops.WriteOffs):
        def write_off_unpaid(
            self,
            account: Account,
            canceled: set[str],
            final: Invoice | CreditMemo | None,
            processing: Processing,
        ) -> tuple[WriteOff, ...]:
            reported = super().write_off_unpaid(account, canceled, final, processing)
            return tuple(
                replace(w, invoice_number=self.ledger.invoices[w.invoice_number].id) for w in reported
            )


class RefusesWhenNothingIsUnpaid(KnownBad):
    """Refuses a write-off order that finds nothing to write off."""

    breaks = "WO-NOTHING-UNPAID"

    class Orders(order_ops.Orders):
        def _process_order(self, request: OrderRequest) -> Order | Rejection:
            order = super()._process_order(request)
            if isinstance(order, Order) and request.processing.write_off and not order.write_offs:
                return Rejection(
                    "nothing-to-write-off", Category.RULE_RESTRICTION, "There is nothing to write off."
                )
            return order


class WritesOffUnasked(KnownBad):
    """Writes off unpaid invoices even when the order does not ask for it.

    Two statements say "only when the order asks for it", and both fall: WO-ONLY-WHEN-ASKED and
    WO-ANY-POLICY (whatever the cancellation policy).
    """

    breaks = "WO-ONLY-WHEN-ASKED"
    also_breaks = frozenset({"WO-ANY-POLICY"})

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        cancels = any(
            a.kind == "CancelSubscription" for change in request.subscriptions for a in change.actions
        )
        if cancels and not request.processing.collect_payment:
            request = replace(request, processing=replace(request.processing, write_off=True))
        return super().create_order(request, idempotency_key=idempotency_key)


class UndoesTheCancellationWhenAWriteOffFails(KnownBad):
    """Refuses the whole order when one write-off fails."""

    breaks = "WO-FAILURE-REPORTED"
    should_only = True

    class Orders(order_ops.Orders):
        def _process_order(self, request: OrderRequest) -> Order | Rejection:
            order = super()._process_order(request)
            if isinstance(order, Order) and any(w.status == "Failed" for w in order.write_offs):
                return Rejection("write-off-failed", Category.RULE_RESTRICTION, "A write-off failed.")
            return order


class WritesOffSharedInvoicesWhole(KnownBad):
    """Writes off the whole of an invoice that also bills another subscription, without Invoice
    Item Settlement."""

    breaks = "WO-FAILURE-REPORTED"

    def __init__(self, clock: Clock) -> None:
        super().__init__(clock)
        self.configure(self.features)

    def configure(self, features: FeatureSettings) -> None:
        super().configure(replace(features, invoice_item_settlement=True))

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            return super()._write_off(invoice, processing, None)


class IgnoresInvoiceItemSettlement(KnownBad):
    """Fails the write-off of a shared invoice even when the tenant settles item by item."""

    breaks = "WO-FAILURE-REPORTED"
    should_only = True

    def configure(self, features: FeatureSettings) -> None:
        super().configure(replace(features, invoice_item_settlement=False))


class DropsWriteOffFinanceInformation(KnownBad):
    """Ignores the finance information given for the write-off."""

    breaks = "WO-FINANCE-INFORMATION"

    class WriteOffs(write_off_ops.WriteOffs):
        def _write_off(
            self, invoice: Invoice, processing: Processing, only: set[str] | None = None
        ) -> CreditMemo:
            return super()._write_off(invoice, replace(processing, write_off_finance=None), only)


class BooksTheFinalCreditMemoToTheWriteOff(KnownBad):
    """Puts the finance information given for the write-off on the final credit memo's items too."""

    breaks = "WO-FINANCE-INFORMATION"

    class WriteOffs(write_off_ops.WriteOffs):
        def write_off_unpaid(
            self,
            account: Account,
            canceled: set[str],
            final: Invoice | CreditMemo | None,
            processing: Processing,
        ) -> tuple[WriteOff, ...]:
            if isinstance(final, CreditMemo) and processing.write_off_finance is not None:
                items = tuple(replace(item, finance=processing.write_off_finance) for item in final.items)
                final = replace(self.ledger.credit_memos[final.number], items=items)
                self.ledger.credit_memos[final.number] = final
            return super().write_off_unpaid(account, canceled, final, processing)


class WritesOffBeforeApplyingTheFinalCredit(KnownBad):
    """Writes off the full balances and leaves the final credit memo unapplied."""

    breaks = "WO-FINAL-CREDIT-MEMO-FIRST"

    class WriteOffs(write_off_ops.WriteOffs):
        def _apply_final_credit(self, memo: CreditMemo, unpaid: list[Invoice]) -> None:
            return None


class LeavesTheFinalInvoiceUnpaid(KnownBad):
    """Writes off older invoices but not the final invoice the order generated."""

    breaks = "WO-FINAL-INVOICE-WRITTEN-OFF"

    class WriteOffs(write_off_ops.WriteOffs):
        def _unpaid_invoices(self, account: Account, canceled: set[str]) -> list[Invoice]:
            return [i for i in super()._unpaid_invoices(account, canceled) if i.bill_run_id is not None]


class ForgetsUnusedServiceInBillRuns(KnownBad):
    """Bill runs never credit the unused part of a canceled subscription.

    Two statements fall: WO-NO-FINAL-INVOICE (the later bill run does not credit the account) and
    WO-PRORATED-BY-DAY (the unused part of the billed month is not credited at all).
    """

    breaks = "WO-NO-FINAL-INVOICE"
    also_breaks = frozenset({"WO-PRORATED-BY-DAY"})

    class Invoicing(invoicing.Invoicing):
        def due_items(
            self, account: Account, target_date: date, subscriptions: set[str] | None = None
        ) -> list[DocumentItem]:
            items = super().due_items(account, target_date, subscriptions)
            return (
                items
                if subscriptions is not None
                else [i for i in items if not i.charge_name.endswith("(unused)")]
            )


class IgnoresTheCancellationPolicy(KnownBad):
    """Cancels as of today whatever the policy, unless a specific date is given."""

    breaks = "WO-SUBSCRIPTION-CANCELLED"

    class Orders(order_ops.Orders):
        def _effective_date(self, subscription: Subscription, action: OrderAction) -> date | Rejection:
            if action.policy is CancellationPolicy.SPECIFIC_DATE:
                return super()._effective_date(subscription, action)
            return self.write_offs.clock.now().date()  # the real service never needs today


class ForgetsOrders(KnownBad):
    """Cannot find an order once it has been processed.

    Only WO-RESULTS-RETRIEVABLE states that it can be found. WO-CUSTOM-FIELDS-KEPT (what the order
    keeps) and WO-RESULT-NAMES-DOCUMENTS (that the result names the order) are observed by looking
    the order up, so they are errored.
    """

    breaks = "WO-RESULTS-RETRIEVABLE"
    also_errors = frozenset({"WO-CUSTOM-FIELDS-KEPT", "WO-RESULT-NAMES-DOCUMENTS"})

    def order(self, key: str) -> Order | Rejection:
        return Rejection("order-not-found", Category.NOT_FOUND, f"No order {key!r} exists.")
