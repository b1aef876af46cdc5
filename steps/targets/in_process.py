"""The in-process target: the reference implementation (or a variant of it) in this process.

This module, and only this one, imports ``reference_impl``; it turns domain values into the
views of :mod:`steps.targets.protocol`.

An exception raised inside the implementation is the in-process form of an HTTP target
answering 5xx: each operation turns it into :class:`TargetFailedError`, naming the operation
and the exception, so that one fault gets one verdict (errored) whatever the transport.
"""

from __future__ import annotations

from datetime import date, datetime, time

from reference_impl import (
    Billing,
    BillRun,
    BillRunStatus,
    CreditMemo,
    FeatureSettings,
    Invoice,
    ManualClock,
    Rejection,
    RepeatType,
    Schedule,
)
from reference_impl.wire import api
from steps.targets import views
from steps.targets.errors import CannotObserveError
from steps.targets.guard import every_operation_guarded
from steps.targets.payloads import PAYMENT_METHOD_TYPE, cancellation_payload, subscription_payload
from steps.targets.protocol import (
    BillRunView,
    CancellationOrder,
    CancelView,
    CreditMemoView,
    InvoiceView,
    MemoItemView,
    Money,
    OrderView,
    Outcome,
    PaymentView,
    Refusal,
    Refused,
    ScheduleSpec,
    SubscriptionView,
    TenantFeatures,
)

__all__ = ["InProcessTarget"]


def _refused(operation: str, rejection: Rejection) -> Refused:
    return Refused(operation, Refusal.from_code(rejection.category.value), rejection.code, rejection.message)


def _bill_run(run: BillRun) -> BillRunView:
    return BillRunView(
        id=run.id,
        number=run.number,
        status=run.status.value,
        target_date=run.target_date,
        scheduled_date=run.scheduled_for.date() if run.schedule is not None else None,
        error_message=run.error_message,
    )


_FINANCE_FIELDS = (
    ("deferred_revenue_accounting_code", "deferredRevenueAccountingCode"),
    ("on_account_accounting_code", "onAccountAccountingCode"),
    ("recognized_revenue_accounting_code", "recognizedRevenueAccountingCode"),
    ("revenue_recognition_rule_name", "revenueRecognitionRuleName"),
)


@every_operation_guarded
class InProcessTarget:
    """Drives a fresh :class:`~reference_impl.Billing` (or subclass) for every scenario."""

    def __init__(self, implementation: type[Billing] = Billing, name: str = "reference (in-process)") -> None:
        self.name = name
        self._implementation = implementation
        self._clock = ManualClock(datetime(2000, 1, 1))
        self._billing = implementation(self._clock)
        self._accounts: dict[str, str] = {}
        self._subscriptions: dict[tuple[str, str], str] = {}

    # domain values as views ---------------------------------------------------------------------

    def _account_id(self, number: str) -> str:
        """The id of the account numbered ``number``."""
        account = self._billing.account(number)
        assert not isinstance(account, Rejection), account
        return account.id

    def _invoice(self, invoice: Invoice) -> InvoiceView:
        account_id, currency = self._account_id(invoice.account_number), invoice.currency
        return InvoiceView(
            invoice.number,
            account_id,
            invoice.status.value,
            Money(invoice.amount, currency),
            Money(invoice.balance, currency),
            invoice.invoice_date,
        )

    def _credit_memo(self, memo: CreditMemo) -> CreditMemoView:
        account_id, currency = self._account_id(memo.account_number), memo.currency
        items = tuple(
            MemoItemView(
                item.amount,
                {
                    wire: getattr(item.finance, name)
                    for name, wire in _FINANCE_FIELDS
                    if item.finance is not None and getattr(item.finance, name) is not None
                },
            )
            for item in memo.items
        )
        return CreditMemoView(
            memo.number,
            account_id,
            memo.status.value,
            Money(memo.amount, currency),
            memo.reason_code,
            Money(memo.applied_amount, currency),
            items,
        )

    def _order_view(self, operation: str, body: dict[str, object], customer: str) -> OrderView:
        return views.order_view(views.Fields(operation, body), self.account_currency(customer))

    # tenant and time ----------------------------------------------------------------------------

    def reset(self) -> None:
        self._clock = ManualClock(datetime(2000, 1, 1))
        self._billing = self._implementation(self._clock)
        self._accounts = {}
        self._subscriptions = {}

    def set_today(self, day: date) -> None:
        self._clock.set(datetime.combine(day, time()))

    def features(self) -> TenantFeatures:
        current = self._billing.features
        return TenantFeatures(
            current.invoice_settlement, current.orders, current.workflow, current.invoice_item_settlement
        )

    def set_features(self, features: TenantFeatures) -> None:
        self._billing.configure(
            FeatureSettings(
                features.invoice_settlement,
                features.orders,
                features.workflow,
                features.invoice_item_settlement,
            )
        )

    def advance_to(self, day: date) -> None:
        self._billing.advance_clock(datetime.combine(day, time(23, 59)))

    # accounts and subscriptions ---------------------------------------------------------------

    def create_account(self, name: str, currency: str = "USD") -> Outcome[str]:
        account = self._billing.create_account(name=name, currency=currency)
        if isinstance(account, Rejection):
            return _refused("create account", account)
        self._accounts[name] = account.number
        return account.number

    def account_number(self, name: str) -> str:
        return self._accounts[name]

    def account_id(self, name: str) -> str:
        return self._account_id(self.account_number(name))

    def account_currency(self, name: str) -> str:
        account = self._billing.account(self.account_number(name))
        assert not isinstance(account, Rejection), account
        return account.currency

    def close_account(self, name: str) -> Outcome[None]:
        closed = self._billing.close_account(self.account_number(name))
        return _refused("close account", closed) if isinstance(closed, Rejection) else None

    def subscribe(self, name: str, plan: str, start: date) -> Outcome[str]:
        """Through a CreateSubscription order when the Orders feature is on, as a tenant would."""
        account = self.account_number(name)
        found = self._billing.catalog.plan(plan)
        if not self._billing.features.orders or found is None:
            made = self._billing.subscribe(account_number=account, plan_name=plan, start_date=start)
            if isinstance(made, Rejection):
                return _refused("subscribe", made)
            number = made.number
        else:
            reply = api.create_order(self._billing, subscription_payload(account, found.id, start))
            if not reply.body.get("success"):
                return views.refused("subscribe", reply.body)
            number = self._order_view("subscribe", reply.body, name).subscription_numbers[0]
        self._subscriptions[(name, plan)] = number
        return number

    def subscription_number(self, name: str, plan: str) -> str:
        return self._subscriptions[(name, plan)]

    def subscription(self, name: str, plan: str) -> Outcome[SubscriptionView]:
        found = self._billing.subscription(self.subscription_number(name, plan))
        if isinstance(found, Rejection):
            return _refused("get subscription", found)
        return SubscriptionView(found.number, found.status.value, found.end_date)

    # orders ------------------------------------------------------------------------------------

    def cancel_subscription(self, order: CancellationOrder) -> Outcome[OrderView]:
        payload = cancellation_payload(
            order,
            self.account_number(order.customer),
            self.subscription_number(order.customer, order.plan),
            self._clock.now().date(),
        )
        if not order.asynchronous:
            reply = api.create_order(self._billing, payload, idempotency_key=order.idempotency_key)
            return (
                self._order_view("create order", reply.body, order.customer)
                if reply.body.get("success")
                else views.refused("create order", reply.body)
            )
        submitted = api.create_order_async(self._billing, payload)
        if not submitted.body.get("success"):
            return views.refused("create order asynchronously", submitted.body)
        job = api.get_async_job(self._billing, str(submitted.body["jobId"])).body
        if job.get("status") != "Completed":
            return Refused("create order asynchronously", Refusal.OTHER, "job-failed", str(job.get("errors")))
        return self._order_view("get async job", job["result"], order.customer)

    def order(self, number: str) -> Outcome[OrderView]:
        found = self._billing.order(number)
        if isinstance(found, Rejection):
            return _refused("get order", found)
        return OrderView(
            found.number,
            found.status,
            tuple(n for n, _ in found.subscriptions),
            found.invoice_numbers,
            found.credit_memo_numbers,
            custom_fields=dict(found.custom_fields),
            action_custom_fields={
                name: value
                for (kind, _), fields in zip(found.actions, found.action_custom_fields, strict=False)
                if kind == "CancelSubscription"
                for name, value in fields.items()
            },
        )

    # bill runs ---------------------------------------------------------------------------------

    def create_bill_run(
        self, *, target_date: date | None, account: str | None, schedule: ScheduleSpec | None
    ) -> Outcome[BillRunView]:
        run = self._billing.create_bill_run(
            target_date=target_date,
            account_number=self.account_number(account) if account is not None else None,
            schedule=None
            if schedule is None
            else Schedule(
                RepeatType(schedule.repeat_type), schedule.repeat_from, schedule.repeat_to, schedule.run_time
            ),
        )
        if isinstance(run, Rejection):
            return _refused("create bill run", run)
        self._billing.process_due_bill_runs()
        return self.bill_run(run.id)

    def bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        run = self._billing.bill_run(bill_run_id)
        return _refused("get bill run", run) if isinstance(run, Rejection) else _bill_run(run)

    def cancel_bill_run(self, bill_run_id: str, *, cancel_once: bool | None) -> Outcome[CancelView]:
        outcome = (
            self._billing.cancel_bill_run(bill_run_id)
            if cancel_once is None
            else self._billing.cancel_bill_run(bill_run_id, cancel_once=cancel_once)
        )
        if isinstance(outcome, Rejection):
            return _refused("cancel bill run", outcome)
        following = None if outcome.next_run is None else _bill_run(outcome.next_run)
        return CancelView(_bill_run(outcome.bill_run), following)

    def post_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        run = self._billing.post_bill_run(bill_run_id)
        return _refused("post bill run", run) if isinstance(run, Rejection) else _bill_run(run)

    def pause_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        run = self._billing.pause_bill_run(bill_run_id)
        return _refused("pause bill run", run) if isinstance(run, Rejection) else _bill_run(run)

    def resume_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        run = self._billing.resume_bill_run(bill_run_id)
        return _refused("resume bill run", run) if isinstance(run, Rejection) else _bill_run(run)

    def delete_bill_run(self, bill_run_id: str) -> Outcome[None]:
        run = self._billing.delete_bill_run(bill_run_id)
        return _refused("delete bill run", run) if isinstance(run, Rejection) else None

    def pending_occurrence(self, bill_run_id: str) -> BillRunView | None:
        run = self._billing.bill_run(bill_run_id)
        if isinstance(run, Rejection):
            # As over HTTP, where the look-up answers 404: nothing can be said of what waits.
            raise CannotObserveError("the schedule's waiting occurrence", run.message)
        if run.series is None:
            return None
        waiting = self._billing.pending_occurrence(run.series)
        return None if waiting is None else _bill_run(waiting)

    def create_pending_bill_run(self, *, target_date: date, account: str | None) -> Outcome[BillRunView]:
        self._billing.hold_new_bill_runs(True)
        try:
            return self.create_bill_run(target_date=target_date, account=account, schedule=None)
        finally:
            self._billing.hold_new_bill_runs(False)

    def hold_bill_run(self, bill_run_id: str, status: str) -> Outcome[BillRunView]:
        run = self._billing.hold_bill_run(bill_run_id, BillRunStatus(status))
        return _refused("hold bill run", run) if isinstance(run, Rejection) else _bill_run(run)

    def bill_run_invoices(self, bill_run_id: str) -> Outcome[list[InvoiceView]]:
        found = self._billing.bill_run_invoices(bill_run_id)
        return (
            _refused("list invoices", found)
            if isinstance(found, Rejection)
            else [self._invoice(i) for i in found]
        )

    def bill_run_credit_memos(self, bill_run_id: str) -> Outcome[list[CreditMemoView]]:
        found = self._billing.bill_run_credit_memos(bill_run_id)
        if isinstance(found, Rejection):
            return _refused("list credit memos", found)
        return [self._credit_memo(m) for m in found]

    # documents and payments ----------------------------------------------------------------------

    def account_invoices(self, name: str) -> list[InvoiceView]:
        found = self._billing.account_invoices(self.account_number(name))
        return [] if isinstance(found, Rejection) else [self._invoice(i) for i in found]

    def account_credit_memos(self, name: str) -> list[CreditMemoView]:
        account = self.account_number(name)
        return [self._credit_memo(m) for m in self._billing.credit_memos_of_account(account)]

    def invoice(self, number: str) -> Outcome[InvoiceView]:
        found = self._billing.invoice(number)
        return _refused("get invoice", found) if isinstance(found, Rejection) else self._invoice(found)

    def post_invoice(self, number: str) -> Outcome[InvoiceView]:
        posted = self._billing.post_invoice(number)
        return _refused("post invoice", posted) if isinstance(posted, Rejection) else self._invoice(posted)

    def credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        found = self._billing.credit_memo(number)
        return (
            _refused("get credit memo", found) if isinstance(found, Rejection) else self._credit_memo(found)
        )

    def post_credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        posted = self._billing.post_credit_memo(number)
        return (
            _refused("post credit memo", posted)
            if isinstance(posted, Rejection)
            else self._credit_memo(posted)
        )

    def collect_payment(self, invoice_number: str, amount: Money) -> Outcome[PaymentView]:
        paid = self._billing.collect_payment(
            invoice_number=invoice_number,
            amount=amount.amount,
            currency=amount.currency,
            payment_type="External",
            payment_method_type=PAYMENT_METHOD_TYPE,
        )
        if isinstance(paid, Rejection):
            return _refused("collect payment", paid)
        return PaymentView(paid.number, paid.invoice_number, Money(paid.amount, amount.currency))
