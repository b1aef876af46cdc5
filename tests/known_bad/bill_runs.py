"""Known-bad variants that break the rules of "Cancel bill runs"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from reference_impl import (
    BILL_RUN_TRANSITIONS,
    BillRun,
    BillRunAction,
    BillRunStatus,
    FeatureSettings,
    bill_run_ops,
    document_ops,
    invoicing,
)
from reference_impl.bill_run import Transitions
from reference_impl.bill_run_ops import CancelOutcome
from reference_impl.document import DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.lookups import credit_memos_of, invoices_of
from reference_impl.rating import BilledKey
from reference_impl.rejection import Category, Rejection
from tests.known_bad.base import KnownBad

S, A = BillRunStatus, BillRunAction


def _with(*moves: tuple[BillRunStatus, BillRunAction, BillRunStatus]) -> Transitions:
    return {**BILL_RUN_TRANSITIONS, **{(status, action): to for status, action, to in moves}}


def _without(*moves: tuple[BillRunStatus, BillRunAction]) -> Transitions:
    return {move: to for move, to in BILL_RUN_TRANSITIONS.items() if move not in moves}


class RefusesCancelingEmptyBillRuns(KnownBad):
    """Refuses to cancel a completed run that produced no documents ("nothing to cancel")."""

    breaks = "BR-CANCEL-COMPLETED"

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            if run.status is S.COMPLETED and not (
                invoices_of(self.ledger, run) or credit_memos_of(self.ledger, run)
            ):
                return Rejection(
                    "nothing-to-cancel", Category.RULE_RESTRICTION, "The bill run has no documents."
                )
            return super().cancel_blocker(run)


class ReportsEmptyRunsCanceled(KnownBad):
    """Answers that a completed run with no documents is canceled, but leaves it completed: only
    looking the run up again shows it."""

    breaks = "BR-CANCEL-COMPLETED"

    def cancel_bill_run(self, key: str, *, cancel_once: bool = True) -> CancelOutcome | Rejection:
        run = self.bill_run(key)
        empty = isinstance(run, BillRun) and not (
            invoices_of(self.ledger, run) or credit_memos_of(self.ledger, run)
        )
        if isinstance(run, BillRun) and empty and run.status is S.COMPLETED:
            return CancelOutcome(replace(run, status=S.CANCELED), None)
        return super().cancel_bill_run(key, cancel_once=cancel_once)


class CancelsDespitePostedInvoices(KnownBad):
    """Cancels a completed run even when some of its invoices were already posted."""

    breaks = "BR-CANCEL-POSTED-INVOICE"

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            return None


class CancelsPostedRuns(KnownBad):
    """Lets a posted bill run be canceled."""

    breaks = "BR-CANCEL-POSTED-RUN"
    transitions = _with((S.POSTED, A.START_CANCELING, S.CANCEL_IN_PROGRESS))

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            return None if run.status is S.POSTED else super().cancel_blocker(run)


class RefusesCancelingPendingOneOffRuns(KnownBad):
    """Refuses to cancel a pending scheduled run that does not repeat (only recurring ones work)."""

    breaks = "BR-CANCEL-PENDING"

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            if (
                run.status is S.PENDING
                and run.schedule is not None
                and run.schedule.repeat_type.value == "None"
            ):
                return Rejection(
                    "not-recurring", Category.RULE_RESTRICTION, "Only recurring runs can be canceled."
                )
            return super().cancel_blocker(run)


class RefusesCancelingPendingAdHocRuns(KnownBad):
    """Refuses to cancel a pending ad hoc run: only a scheduled run is taken to be pending."""

    breaks = "BR-CANCEL-PENDING"

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            if run.status is S.PENDING and run.schedule is None:
                return Rejection(
                    "not-scheduled", Category.RULE_RESTRICTION, "Only scheduled runs are pending."
                )
            return super().cancel_blocker(run)


class RefusesCancelingPendingRuns(KnownBad):
    """Refuses to cancel any pending run.

    Every rule whose statement says what canceling a waiting schedule does falls with it, since
    none of it happens: BR-CANCEL-ONCE (canceling only the current occurrence), BR-CANCEL-ALL
    (canceling all recurrences) and BR-CANCEL-PAUSED (pausing is what stops a cancellation, so a
    resumed schedule can be canceled again). BR-VIEW-CANCELED cannot be arranged: its scheduled run
    is never canceled.
    """

    breaks = "BR-CANCEL-PENDING"
    also_breaks = frozenset({"BR-CANCEL-ONCE", "BR-CANCEL-ALL", "BR-CANCEL-PAUSED"})
    also_errors = frozenset({"BR-VIEW-CANCELED"})
    transitions = _without((S.PENDING, A.START_CANCELING))


class CancelsPausedRuns(KnownBad):
    """Lets a paused scheduled run be canceled."""

    breaks = "BR-CANCEL-PAUSED"
    transitions = _with((S.PAUSED, A.START_CANCELING, S.CANCEL_IN_PROGRESS))


class CancelsFailedRuns(KnownBad):
    """Lets a run that ended in error be canceled."""

    breaks = "BR-CANCEL-ONLY-PENDING-OR-COMPLETED"
    transitions = _with((S.ERROR, A.START_CANCELING, S.CANCEL_IN_PROGRESS))


class LeavesInvoicesUncanceled(KnownBad):
    """Cancels the run but leaves its invoices as drafts.

    Only BR-CANCEL-INVOICES states what becomes of the invoices. BR-CANCELED-CHARGES-BILLED-AGAIN
    is about what follows from canceled invoices, so it cannot be arranged here.
    """

    breaks = "BR-CANCEL-INVOICES"
    also_errors = frozenset({"BR-CANCELED-CHARGES-BILLED-AGAIN"})

    class BillRuns(bill_run_ops.BillRuns):
        def _cancel_invoices(self, run: BillRun) -> None:
            return None


class AcceptsPaymentsOnCanceledInvoices(KnownBad):
    """Collects payments on canceled invoices as if they were posted."""

    breaks = "BR-CANCEL-INVOICES"

    class Documents(document_ops.Documents):
        def _payment_refusal(self, invoice: Invoice, amount: Decimal) -> Rejection | None:
            if invoice.status is DocumentStatus.CANCELED:
                return None
            return super()._payment_refusal(invoice, amount)


class LeavesCreditMemosUncanceled(KnownBad):
    """Cancels the run and its invoices but forgets its credit memos."""

    breaks = "BR-CANCEL-CREDIT-MEMOS"

    class BillRuns(bill_run_ops.BillRuns):
        def _cancel_credit_memos(self, run: BillRun) -> None:
            return None


class IgnoresInvoiceSettlementSetting(KnownBad):
    """Behaves as if Invoice Settlement were always on, so bill runs always make credit memos.

    Two statements depend on the setting, and both fall: BR-CANCEL-CREDIT-MEMOS (its decision on a
    tenant without Invoice Settlement: no credit memos) and WO-NEEDS-INVOICE-SETTLEMENT (the
    write-off never sees the feature disabled).
    """

    breaks = "BR-CANCEL-CREDIT-MEMOS"
    also_breaks = frozenset({"WO-NEEDS-INVOICE-SETTLEMENT"})

    def configure(self, features: FeatureSettings) -> None:
        super().configure(replace(features, invoice_settlement=True))


class HidesCanceledBillRuns(KnownBad):
    """Answers "not found" for a canceled bill run.

    Only BR-VIEW-CANCELED states that a canceled run can be viewed. The rules whose examples look a
    canceled run up again (a cancellation is proven by the run being canceled when looked up
    afterwards, not by the answer alone) cannot be observed, and are errored.
    """

    breaks = "BR-VIEW-CANCELED"
    also_errors = frozenset(
        {
            "BR-CANCEL-ALL",
            "BR-CANCEL-COMPLETED",
            "BR-CANCEL-ONCE",
            "BR-CANCEL-ONLY-PENDING-OR-COMPLETED",
            "BR-CANCEL-PAUSED",
            "BR-CANCEL-PENDING",
            "BR-CANCELED-NOT-POSTED",
            "BR-RESUME",
        }
    )

    def bill_run(self, key: str) -> BillRun | Rejection:
        found = super().bill_run(key)
        if isinstance(found, BillRun) and found.status is S.CANCELED:
            return Rejection("bill-run-not-found", Category.NOT_FOUND, f"No bill run {key!r} exists.")
        return found


class DeletesAnyBillRun(KnownBad):
    """Deletes bill runs whatever their status.

    Two statements say which runs cannot be deleted, and both fall: BR-DELETE (completed, posted,
    pending and paused runs) and BR-IN-PASSING-STATUS (runs being processed, posted or canceled).
    """

    breaks = "BR-DELETE"
    also_breaks = frozenset({"BR-IN-PASSING-STATUS"})
    transitions = _with(*((status, A.START_REMOVING, S.REMOVE_IN_PROGRESS) for status in S))


class RefusesDeletingFailedRuns(KnownBad):
    """Deletes only canceled runs, not those that ended in error (the documented decision)."""

    breaks = "BR-DELETE"
    transitions = _without((S.ERROR, A.START_REMOVING))


class EndsScheduleWhenCancelingOnce(KnownBad):
    """Canceling only the current occurrence ends the whole schedule."""

    breaks = "BR-CANCEL-ONCE"

    class BillRuns(bill_run_ops.BillRuns):
        def _next_after_cancel(self, run: BillRun, *, cancel_once: bool) -> BillRun | None:
            return None


class DefaultsToCancelingAllRecurrences(KnownBad):
    """When the cancellation does not say which, cancels all recurrences (Zuora's default is once)."""

    breaks = "BR-CANCEL-ONCE"

    def cancel_bill_run(self, key: str, *, cancel_once: bool = False) -> CancelOutcome | Rejection:
        return super().cancel_bill_run(key, cancel_once=cancel_once)


class KeepsScheduleWhenCancelingAll(KnownBad):
    """Canceling all recurrences still schedules the next occurrence."""

    breaks = "BR-CANCEL-ALL"

    class BillRuns(bill_run_ops.BillRuns):
        def _next_after_cancel(self, run: BillRun, *, cancel_once: bool) -> BillRun | None:
            return super()._next_after_cancel(run, cancel_once=True)


def _cancel_drafts(ledger: Ledger, chosen: Callable[[Invoice], bool]) -> None:
    """Cancel every draft invoice of the tenant that ``chosen`` picks, whichever run made it."""
    for invoice in ledger.invoices.values():
        if invoice.status is DocumentStatus.DRAFT and chosen(invoice):
            ledger.invoices[invoice.number] = replace(invoice, status=DocumentStatus.CANCELED)


class CancelsEveryDraftOfItsCustomers(KnownBad):
    """Canceling a bill run cancels every draft invoice of the customers it billed."""

    breaks = "BR-CANCEL-ONLY-ITS-DOCUMENTS"

    class BillRuns(bill_run_ops.BillRuns):
        def _cancel_invoices(self, run: BillRun) -> None:
            billed = {invoice.account_number for invoice in invoices_of(self.ledger, run)}
            _cancel_drafts(self.ledger, lambda invoice: invoice.account_number in billed)


class PostsCanceledBillRuns(KnownBad):
    """Lets a canceled bill run be posted."""

    breaks = "BR-CANCELED-NOT-POSTED"
    transitions = _with((S.CANCELED, A.START_POSTING, S.POST_IN_PROGRESS))


class NeverRebillsCanceledCharges(KnownBad):
    """Counts the charges of canceled invoices as billed, so no later bill run bills them again."""

    breaks = "BR-CANCELED-CHARGES-BILLED-AGAIN"
    should_only = True

    class Invoicing(invoicing.Invoicing):
        def billed(self, account_number: str) -> dict[BilledKey, Decimal]:
            billed = super().billed(account_number)
            for invoice in self.ledger.invoices.where("account", account_number):
                if invoice.status is DocumentStatus.CANCELED:
                    for item in invoice.items:
                        key = (item.subscription_number, item.charge_name, item.service_start)
                        billed[key] = billed.get(key, Decimal(0)) + item.amount
            return billed


class CancelsEveryDraftOfTheTenant(KnownBad):
    """Canceling a bill run cancels every draft invoice of the tenant, whichever run made it."""

    breaks = "BR-CANCEL-ONLY-ITS-DOCUMENTS"

    class BillRuns(bill_run_ops.BillRuns):
        def _cancel_invoices(self, run: BillRun) -> None:
            _cancel_drafts(self.ledger, lambda _: True)


_PASSING = (S.PROCESSING, S.POST_IN_PROGRESS, S.CANCEL_IN_PROGRESS)


class CancelsRunsInPassage(KnownBad):
    """Cancels a bill run while it is being processed, posted or canceled."""

    breaks = "BR-IN-PASSING-STATUS"
    transitions = _with(*((status, A.START_CANCELING, S.CANCEL_IN_PROGRESS) for status in _PASSING))


class DeletesRunsInPassage(KnownBad):
    """Deletes a bill run while it is being processed, posted or canceled."""

    breaks = "BR-IN-PASSING-STATUS"
    transitions = _with(*((status, A.START_REMOVING, S.REMOVE_IN_PROGRESS) for status in _PASSING))
