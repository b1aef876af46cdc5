"""The reference implementation's entry point: one tenant's billing, in memory.

:class:`Billing` is a facade. It owns the tenant's :class:`~reference_impl.ledger.Ledger`, its
clock and its catalog, builds one small service per concern over them and hands each only what
it uses:

============================  ========================================  ===========================
service                       does                                      uses
============================  ========================================  ===========================
:class:`.Accounts`            accounts, subscriptions, payment methods  ledger, catalog
:class:`.Documents`           invoices, credit memos, payments          ledger, clock
:class:`.Invoicing`           what is due, and the document billing it  ledger, catalog
:class:`.BillRuns`            the bill-run lifecycle                    ledger, clock, Invoicing
:class:`.BillRunHolds`        holding bill runs part-way                ledger, BillRuns
:class:`.WriteOffs`           payments and write-offs of an order       ledger, clock
:class:`.Orders`              orders                                    ledger, catalog, Accounts,
                                                                        Invoicing, WriteOffs
============================  ========================================  ===========================

The service classes are class attributes, so a variant of the implementation (the known-bad
ones in ``tests/known_bad/``) replaces one service by a subclass that breaks one rule, and the
facade wires it in like the original.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from reference_impl import (
    account_ops,
    bill_run_holds,
    bill_run_ops,
    document_ops,
    invoicing,
    order_ops,
    write_off_ops,
)
from reference_impl.account import Account
from reference_impl.bill_run import BILL_RUN_TRANSITIONS, BillRun, BillRunStatus, Schedule, Transitions
from reference_impl.bill_run_ops import CancelOutcome
from reference_impl.catalog import DEFAULT_CATALOG, Catalog
from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.lookups import not_found
from reference_impl.order import AsyncJob, Order, OrderRequest
from reference_impl.payment import Payment, PaymentMethod
from reference_impl.rejection import Rejection
from reference_impl.subscription import Subscription
from reference_impl.tenant import FeatureSettings

__all__ = ["Billing"]


class Billing:
    """A tenant's billing: accounts, subscriptions, bill runs, invoices, credit memos, payments.

    Every operation returns its result or a :class:`~reference_impl.rejection.Rejection`; a
    rejected operation leaves the tenant exactly as it was. Time comes from the injected clock;
    :meth:`advance_clock` moves a :class:`~reference_impl.clock.ManualClock` and lets due
    scheduled bill runs happen. Bill runs can be held part-way (:mod:`.bill_run_holds`), for
    the conformance control API.
    """

    Accounts: ClassVar[type[account_ops.Accounts]] = account_ops.Accounts
    Documents: ClassVar[type[document_ops.Documents]] = document_ops.Documents
    Invoicing: ClassVar[type[invoicing.Invoicing]] = invoicing.Invoicing
    BillRuns: ClassVar[type[bill_run_ops.BillRuns]] = bill_run_ops.BillRuns
    BillRunHolds: ClassVar[type[bill_run_holds.BillRunHolds]] = bill_run_holds.BillRunHolds
    WriteOffs: ClassVar[type[write_off_ops.WriteOffs]] = write_off_ops.WriteOffs
    Orders: ClassVar[type[order_ops.Orders]] = order_ops.Orders
    #: The bill-run lifecycle the tenant follows.
    transitions: ClassVar[Transitions] = BILL_RUN_TRANSITIONS

    def __init__(
        self, clock: Clock, catalog: Catalog = DEFAULT_CATALOG, ledger: Ledger | None = None
    ) -> None:
        self.clock = clock
        self.catalog = catalog
        self.ledger = ledger if ledger is not None else Ledger()
        self._accounts = self.Accounts(self.ledger, catalog)
        self._documents = self.Documents(self.ledger, clock)
        billing = self.Invoicing(self.ledger, catalog)
        self._bill_runs = self.BillRuns(self.ledger, clock, billing, self.transitions)
        self._holds = self.BillRunHolds(self.ledger, self._bill_runs)
        write_offs = self.WriteOffs(self.ledger, clock)
        self._orders = self.Orders(self.ledger, catalog, self._accounts, billing, write_offs)

    # -- tenant and time --------------------------------------------------------------------------

    @property
    def features(self) -> FeatureSettings:
        return self.ledger.features

    def configure(self, features: FeatureSettings) -> None:
        self.ledger.features = features

    def now(self) -> datetime:
        return self.clock.now()

    def advance_clock(self, to: datetime) -> list[BillRun]:
        """Move the clock forward to ``to`` and process the bill runs that became due.

        At most :data:`~reference_impl.bill_run_ops.MAX_OCCURRENCES_PER_CALL` are processed; after
        a jump that makes more due, :meth:`process_due_bill_runs` goes on with the rest.
        """
        set_time = getattr(self.clock, "set", None)
        if set_time is None:
            msg = "advance_clock needs a clock that can be set (ManualClock)"
            raise TypeError(msg)
        if to < self.clock.now():
            msg = f"the clock cannot go back from {self.clock.now()} to {to}"
            raise ValueError(msg)
        set_time(to)
        return self.process_due_bill_runs()

    # -- accounts and subscriptions -----------------------------------------------------------------

    def create_account(
        self, *, name: str, currency: str = "USD", bill_cycle_day: int = 1, account_number: str | None = None
    ) -> Account | Rejection:
        return self._accounts.create_account(
            name=name, currency=currency, bill_cycle_day=bill_cycle_day, account_number=account_number
        )

    def accounts(self) -> dict[str, Account]:
        """Every account, by number (a copy)."""
        return self.ledger.accounts.as_dict()

    def account(self, key: str) -> Account | Rejection:
        return self._accounts.account(key)

    def close_account(self, key: str) -> Account | Rejection:
        return self._accounts.close_account(key)

    def subscribe(
        self,
        *,
        account_number: str,
        plan_name: str,
        start_date: date,
        subscription_number: str | None = None,
        term_months: int | None = 12,
    ) -> Subscription | Rejection:
        return self._accounts.subscribe(
            account_number=account_number,
            plan_name=plan_name,
            start_date=start_date,
            subscription_number=subscription_number,
            term_months=term_months,
        )

    def subscription(self, key: str) -> Subscription | Rejection:
        return self._accounts.subscription(key)

    # -- invoices, credit memos, payments ------------------------------------------------------------

    def invoices(self) -> list[Invoice]:
        return self._documents.invoices()

    def credit_memos(self) -> list[CreditMemo]:
        return self._documents.credit_memos()

    def invoice(self, key: str) -> Invoice | Rejection:
        return self._documents.invoice(key)

    def account_invoices(self, account_number: str) -> list[Invoice] | Rejection:
        return self._documents.account_invoices(account_number)

    def post_invoice(self, key: str) -> Invoice | Rejection:
        return self._documents.post_invoice(key)

    def credit_memo(self, key: str) -> CreditMemo | Rejection:
        return self._documents.credit_memo(key)

    def credit_memos_of_account(self, account_number: str) -> list[CreditMemo]:
        return self._documents.credit_memos_of_account(account_number)

    def post_credit_memo(self, key: str) -> CreditMemo | Rejection:
        return self._documents.post_credit_memo(key)

    def collect_payment(
        self,
        *,
        invoice_number: str,
        amount: Decimal,
        effective_date: date | None = None,
        currency: str | None = None,
        payment_type: str = "External",
        payment_method_id: str | None = None,
        payment_method_type: str | None = None,
    ) -> Payment | Rejection:
        return self._documents.collect_payment(
            invoice_number=invoice_number,
            amount=amount,
            effective_date=effective_date,
            currency=currency,
            payment_type=payment_type,
            payment_method_id=payment_method_id,
            payment_method_type=payment_method_type,
        )

    def create_payment_method(
        self, *, account_key: str, method_type: str, make_default: bool = False
    ) -> PaymentMethod | Rejection:
        return self._accounts.create_payment_method(
            account_key=account_key, method_type=method_type, make_default=make_default
        )

    def payment_method(self, method_id: str) -> PaymentMethod | Rejection:
        return self.ledger.payment_methods.get(method_id) or not_found("payment method", method_id)

    # -- bill runs ----------------------------------------------------------------------------------

    def create_bill_run(
        self,
        *,
        target_date: date | None = None,
        invoice_date: date | None = None,
        account_number: str | None = None,
        schedule: Schedule | None = None,
    ) -> BillRun | Rejection:
        return self._bill_runs.create_bill_run(
            target_date=target_date,
            invoice_date=invoice_date,
            account_number=account_number,
            schedule=schedule,
        )

    def process_due_bill_runs(self) -> list[BillRun]:
        return self._bill_runs.process_due_bill_runs()

    def bill_run(self, key: str) -> BillRun | Rejection:
        return self._bill_runs.bill_run(key)

    def bill_run_invoices(self, key: str) -> list[Invoice] | Rejection:
        return self._bill_runs.bill_run_invoices(key)

    def bill_run_credit_memos(self, key: str) -> list[CreditMemo] | Rejection:
        return self._bill_runs.bill_run_credit_memos(key)

    def pending_occurrence(self, series: str) -> BillRun | None:
        return self._bill_runs.pending_occurrence(series)

    def post_bill_run(self, key: str, invoice_date: date | None = None) -> BillRun | Rejection:
        return self._bill_runs.post_bill_run(key, invoice_date)

    def cancel_bill_run(self, key: str, *, cancel_once: bool = True) -> CancelOutcome | Rejection:
        return self._bill_runs.cancel_bill_run(key, cancel_once=cancel_once)

    def pause_bill_run(self, key: str) -> BillRun | Rejection:
        return self._bill_runs.pause_bill_run(key)

    def resume_bill_run(self, key: str) -> BillRun | Rejection:
        return self._bill_runs.resume_bill_run(key)

    def delete_bill_run(self, key: str) -> BillRun | Rejection:
        return self._bill_runs.delete_bill_run(key)

    def hold_new_bill_runs(self, held: bool) -> None:
        self._holds.hold_new_bill_runs(held)

    def hold_bill_run(self, key: str, status: BillRunStatus) -> BillRun | Rejection:
        return self._holds.hold_bill_run(key, status)

    def release_bill_run(self, key: str) -> BillRun | Rejection:
        return self._holds.release_bill_run(key)

    # -- orders ---------------------------------------------------------------------------------------

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        return self._orders.create_order(request, idempotency_key=idempotency_key)

    def create_order_async(self, request: OrderRequest) -> AsyncJob | Rejection:
        return self._orders.create_order_async(request)

    def order(self, key: str) -> Order | Rejection:
        return self._orders.order(key)

    def async_job(self, job_id: str) -> AsyncJob | Rejection:
        return self._orders.async_job(job_id)
