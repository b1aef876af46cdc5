"""Targets broken in ways that are not a rule violation, to test how the harness reports them."""

from __future__ import annotations

from datetime import date

from reference_impl import (
    Account,
    Billing,
    BillRun,
    Category,
    DocumentStatus,
    Rejection,
    Subscription,
    bill_run_ops,
)
from reference_impl.lookups import invoices_of
from reference_impl.order import Order, OrderRequest


class RefusesEverySubscription(Billing):
    """A tenant that cannot be set up: every subscription is refused, so no scenario can be arranged."""

    def subscribe(
        self,
        *,
        account_number: str,
        plan_name: str,
        start_date: date,
        subscription_number: str | None = None,
        term_months: int | None = 12,
    ) -> Subscription | Rejection:
        return Rejection("subscription-refused", Category.RULE_RESTRICTION, "This tenant sells nothing.")

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        return Rejection("order-refused", Category.RULE_RESTRICTION, "This tenant takes no orders.")


class FailsEveryAdHocBillRun(Billing):
    """Every ad hoc bill run ends in error, so "Given a completed bill run" cannot be arranged:
    its assertion fails in a Given, which is an arrangement failure, not a rule violation."""

    class BillRuns(bill_run_ops.BillRuns):
        def _accounts_in_scope(self, run: BillRun) -> tuple[list[Account], str | None]:
            if run.schedule is None:
                return [], "Billing is down for maintenance."
            return super()._accounts_in_scope(run)


class CancelsDespitePostedCreditMemos(Billing):
    """A posted invoice still blocks canceling its bill run, but a posted credit memo does not:
    it breaks only the SHOULD decision of BR-CANCEL-POSTED-INVOICE (a warning, not a breach)."""

    class BillRuns(bill_run_ops.BillRuns):
        def cancel_blocker(self, run: BillRun) -> Rejection | None:
            if any(invoice.status is DocumentStatus.POSTED for invoice in invoices_of(self.ledger, run)):
                return super().cancel_blocker(run)
            return None
