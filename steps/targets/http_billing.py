"""The HTTP target's bill-run, document and payment operations."""

from __future__ import annotations

from datetime import date
from typing import Any

from steps.targets import views
from steps.targets.categories import not_now
from steps.targets.errors import CannotObserveError, NotApplicableError
from steps.targets.http_base import CONTROL_PREFIX, PAGE_SIZE, SETTLING, HttpTargetBase, refused
from steps.targets.paths import path
from steps.targets.payloads import payment_payload
from steps.targets.protocol import (
    BillRunView,
    CancelView,
    CreditMemoView,
    InvoiceView,
    Money,
    Outcome,
    PaymentView,
    Refusal,
    Refused,
    ScheduleSpec,
)
from steps.targets.views import Fields, bill_run_view

#: The statuses of a bill run being worked on: a locking contention is then a refusal.
IN_PASSAGE = frozenset({"Processing", "PostInProgress", "CancelInProgress"})

__all__ = ["BillingOverHttp"]


class BillingOverHttp(HttpTargetBase):
    # -- bill runs ------------------------------------------------------------------------------------

    def create_bill_run(
        self, *, target_date: date | None, account: str | None, schedule: ScheduleSpec | None
    ) -> Outcome[BillRunView]:
        return self._create_bill_run(target_date=target_date, account=account, schedule=schedule, held=False)

    def _create_bill_run(
        self, *, target_date: date | None, account: str | None, schedule: ScheduleSpec | None, held: bool
    ) -> Outcome[BillRunView]:
        """Create a bill run; an ad hoc one is awaited unless the target was told to hold it."""
        if schedule is not None and not self.profile.capabilities.scheduled_bill_runs:
            raise NotApplicableError("the target does not offer scheduled bill runs")
        if schedule is not None and not self.profile.capabilities.control_api:
            raise NotApplicableError(
                "a scheduled bill run needs the tenant's clock to be set (the conformance control "
                "API): on the tenant's own clock its occurrences, dated in the past, would run at once"
            )
        if account is None and not self.profile.capabilities.control_api:
            raise NotApplicableError(
                "a bill run for all customers would bill every account of the shared tenant, not "
                "only the scenario's: it needs a tenant of its own (the conformance control API)"
            )
        body: dict[str, Any] = {}
        if target_date is not None:
            body["targetDate"] = target_date.isoformat()
            if schedule is None:
                # Dated as the run's target date, not the tenant's today (Zuora's default), so
                # that the invoices do not depend on the tenant's clock.
                body["invoiceDate"] = target_date.isoformat()
        if account is None:
            body["batches"] = ["AllBatches"]
        else:
            body["billRunFilters"] = [{"filterType": "Account", "accountId": self.account_id(account)}]
        if schedule is not None:
            body["schedule"] = {
                "repeatType": schedule.repeat_type,
                "repeatFrom": schedule.repeat_from.isoformat(),
                "runTime": schedule.run_time,
            }
            if schedule.repeat_to is not None:
                body["schedule"]["repeatTo"] = schedule.repeat_to.isoformat()
        status, reply = self.client.call(
            "create bill run",
            "POST",
            "/v1/bill-runs",
            body=body,
            request_schema="create-bill-run-request",
            response_schema="bill-run-response",
        )
        # An ad hoc run is awaited, unless the answer already shows it finished (no look-up then).
        finished = reply.get("status") not in SETTLING and reply.get("status") is not None
        if not refused(status, reply) and schedule is None and not finished and not held:
            created = Fields("create bill run", reply).text("id")
            status, reply = self._settle_bill_run("create bill run", created)
        return self._remember(self._outcome("create bill run", status, reply, bill_run_view))

    def bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        status, body = self._get_bill_run(bill_run_id)
        return self._remember(self._outcome("get bill run", status, body, bill_run_view))

    def _remember(self, found: Outcome[BillRunView]) -> Outcome[BillRunView]:
        """Keep a run's number (it never changes) so its documents are found without a look-up."""
        if not isinstance(found, Refused):
            self._run_numbers[found.id] = found.number
        return found

    def _run_number(self, bill_run_id: str) -> Outcome[str]:
        if bill_run_id in self._run_numbers:
            return self._run_numbers[bill_run_id]
        found = self.bill_run(bill_run_id)
        return found if isinstance(found, Refused) else found.number

    def cancel_bill_run(self, bill_run_id: str, *, cancel_once: bool | None) -> Outcome[CancelView]:
        body = {} if cancel_once is None else {"cancelOnce": cancel_once}
        status, reply = self.client.call(
            "cancel bill run",
            "PUT",
            path("/v1/bill-runs", bill_run_id, then="/cancel"),
            body=body,
            request_schema="cancel-bill-run-request",
            response_schema="bill-run-response",
            anchor="cancel",
            contended=True,
        )
        if refused(status, reply):
            return self._busy_or_refused("cancel bill run", bill_run_id, reply)
        following = reply.get("nextRun")
        if reply.get("status") in SETTLING:
            _, reply = self._settle_bill_run("cancel bill run", bill_run_id)
        next_run = None if not following else bill_run_view(Fields("cancel bill run", following, "$.nextRun"))
        return CancelView(bill_run_view(Fields("cancel bill run", reply)), next_run)

    def post_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        status, reply = self.client.call(
            "post bill run",
            "PUT",
            path("/v1/bill-runs", bill_run_id, then="/post"),
            body={},
            request_schema="post-bill-run-request",
            response_schema="bill-run-response",
        )
        if not refused(status, reply) and reply.get("status") in SETTLING:
            status, reply = self._settle_bill_run("post bill run", bill_run_id)
        return self._outcome("post bill run", status, reply, bill_run_view)

    def _control_bill_run(self, action: str, bill_run_id: str) -> Outcome[BillRunView]:
        self._need_control(f"{action} a scheduled bill run")
        status, reply = self._control(
            f"bill-run-{action}",
            f"{action} bill run",
            "POST",
            path(f"{CONTROL_PREFIX}/bill-runs", bill_run_id, then=f"/{action}"),
            response_schema="bill-run-response",
        )
        return self._outcome(f"{action} bill run", status, reply, bill_run_view)

    def pause_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        return self._control_bill_run("pause", bill_run_id)

    def resume_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        return self._control_bill_run("resume", bill_run_id)

    def delete_bill_run(self, bill_run_id: str) -> Outcome[None]:
        status, reply = self.client.call(
            "delete bill run",
            "DELETE",
            path("/v1/bill-runs", bill_run_id),
            response_schema="bill-run-response",
            contended=True,
        )
        if refused(status, reply):
            return self._busy_or_refused("delete bill run", bill_run_id, reply)
        self._run_numbers.pop(bill_run_id, None)
        self._poll(
            "delete bill run",
            lambda: self._get_bill_run(bill_run_id),
            lambda body: body.get("status") != "RemoveInProgress",
        )
        return None

    def _busy_or_refused(self, operation: str, bill_run_id: str, reply: dict[str, Any]) -> Refused:
        """The refusal of a cancel or delete; a locking contention only while the run is seen in
        passage (being processed, posted or canceled), else "not now" (:mod:`.categories`)."""
        refusal = views.refused(operation, reply)
        if refusal.category is Refusal.LOCKED:
            status, body = self._get_bill_run(bill_run_id)
            if refused(status, body) or body.get("status") not in IN_PASSAGE:
                raise not_now(operation, refusal.code, refusal.message)
        return refusal

    def pending_occurrence(self, bill_run_id: str) -> BillRunView | None:
        self._need_control("seeing a schedule's waiting occurrence")
        status, body = self._control(
            "pending-occurrence",
            "get pending occurrence",
            "GET",
            path(f"{CONTROL_PREFIX}/bill-runs", bill_run_id, then="/pending-occurrence"),
            response_schema="control-pending-occurrence-response",
        )
        if refused(status, body):
            # Not "nothing waits": the kit could not see whether anything does.
            message = views.refused("get pending occurrence", body).message
            raise CannotObserveError(
                "the schedule's waiting occurrence", f"the target refused to show it: {message}"
            )
        if not body.get("billRun"):
            return None
        return bill_run_view(Fields("get pending occurrence", body["billRun"], "$.billRun"))

    def _need_holds(self, what: str) -> None:
        self._need_control(what)
        if not self.profile.capabilities.hold_bill_runs:
            raise NotApplicableError(
                f"{what} needs the target to hold bill runs part-way, which its profile says it "
                "cannot do (hold_bill_runs = false)"
            )

    def _hold_new_bill_runs(self, held: bool) -> None:
        """Hold new bill runs Pending, or stop holding them; a refusal means no run can be met
        Pending, and the scenario is not arranged further."""
        status, reply = self._control(
            "bill-run-queue",
            "hold new bill runs",
            "PUT",
            f"{CONTROL_PREFIX}/bill-run-queue",
            body={"held": held},
            request_schema="control-bill-run-queue-request",
            response_schema="control-ok-response",
            repeatable=True,
        )
        self._arranged("hold new bill runs", status, reply)

    def create_pending_bill_run(self, *, target_date: date, account: str | None) -> Outcome[BillRunView]:
        """New bill runs are held while this one is created, and then no longer."""
        self._need_holds("an ad hoc bill run kept pending")
        self._hold_new_bill_runs(True)
        try:
            return self._create_bill_run(target_date=target_date, account=account, schedule=None, held=True)
        finally:
            self._hold_new_bill_runs(False)

    def hold_bill_run(self, bill_run_id: str, status: str) -> Outcome[BillRunView]:
        self._need_holds(f"a bill run held {status}")
        code, reply = self._control(
            "bill-run-hold",
            "hold bill run",
            "PUT",
            path(f"{CONTROL_PREFIX}/bill-runs", bill_run_id, then="/hold"),
            body={"status": status},
            request_schema="control-bill-run-hold-request",
            response_schema="bill-run-response",
        )
        return self._outcome("hold bill run", code, reply, bill_run_view)

    def _query_invoices(self, field: str, value: str) -> list[InvoiceView]:
        rows = self._pages(
            "query invoices",
            "/object-query/invoices",
            "query-invoices-response",
            {"filter[]": f"{field}.EQ:{value}", "pageSize": PAGE_SIZE},
            "data",
        )
        return [views.invoice_view(row, self._currency_of) for row in rows]

    def _query_credit_memos(self, account_id: str) -> list[Fields]:
        """Every object-query record of one account's credit memos, page after page."""
        return list(
            self._pages(
                "query credit memos",
                "/object-query/credit-memos",
                "query-credit-memos-response",
                {"filter[]": f"accountId.EQ:{account_id}", "pageSize": PAGE_SIZE},
                "data",
            )
        )

    def bill_run_invoices(self, bill_run_id: str) -> Outcome[list[InvoiceView]]:
        """Zuora links an invoice to the bill run that made it by ``sourceId``, the run's number,
        and lists ``sourceId`` among the fields "Query invoices" filters on."""
        number = self._run_number(bill_run_id)
        if isinstance(number, Refused):
            return number
        return self._query_invoices("sourceId", number)

    def bill_run_credit_memos(self, bill_run_id: str) -> Outcome[list[CreditMemoView]]:
        """ "Query credit memos" filters on no ``sourceId`` (its filterable fields are id,
        updateddate, balance, einvoicestatus, memodate, memonumber, sourcetype, status,
        totalamount, invoiceid and accountid), but each record carries it: the credit memos of
        every account of the scenario are read, and those whose ``sourceId`` is the run's number
        kept. A bill run only bills accounts of the scenario (one of them, or, in a tenant of
        its own, all of them)."""
        number = self._run_number(bill_run_id)
        if isinstance(number, Refused):
            return number
        return [
            views.credit_memo_view(row, self._currency_of)
            for account in self._accounts.values()
            for row in self._query_credit_memos(account.id)
            if row.optional_text("sourceId") == number
        ]

    # -- documents and payments -------------------------------------------------------------------------

    def account_invoices(self, name: str) -> list[InvoiceView]:
        return self._query_invoices("accountId", self.account_id(name))

    def account_credit_memos(self, name: str) -> list[CreditMemoView]:
        rows = self._query_credit_memos(self.account_id(name))
        return [views.credit_memo_view(row, self._currency_of) for row in rows]

    def invoice(self, number: str) -> Outcome[InvoiceView]:
        status, body = self.client.call(
            "get invoice", "GET", path("/v1/invoices", number), response_schema="invoice-response"
        )
        return self._outcome("get invoice", status, body, lambda f: views.invoice_view(f, self._currency_of))

    def post_invoice(self, number: str) -> Outcome[InvoiceView]:
        """Zuora posts an invoice as an asynchronous operation: the kit waits until it is posted."""
        status, body = self.client.call(
            "post invoice",
            "PUT",
            path("/v1/invoices", number, then="/post"),
            body={},
            request_schema="post-invoice-request",
            response_schema="async-operation-response",
        )
        if refused(status, body):
            return views.refused("post invoice", body)
        status, body = self._poll(
            "post invoice",
            lambda: self.client.call(
                "get invoice", "GET", path("/v1/invoices", number), response_schema="invoice-response"
            ),
            lambda b: b.get("status") not in ("Draft", "Generating", "PendingForTax"),
        )
        return self._outcome("get invoice", status, body, lambda f: views.invoice_view(f, self._currency_of))

    def credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        status, body = self.client.call(
            "get credit memo", "GET", path("/v1/credit-memos", number), response_schema="credit-memo-response"
        )
        if refused(status, body):
            return views.refused("get credit memo", body)
        rows = self._pages(
            "get credit memo items",
            path("/v1/credit-memos", number, then="/items"),
            "credit-memo-items-response",
            {},
            "items",
            led=True,
        )
        items = tuple(views.memo_item_view(row) for row in rows)
        return views.credit_memo_view(Fields("get credit memo", body), self._currency_of, items)

    def post_credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        status, body = self.client.call(
            "post credit memo",
            "PUT",
            path("/v1/credit-memos", number, then="/post"),
            response_schema="credit-memo-response",
        )
        if refused(status, body):
            return views.refused("post credit memo", body)
        return self.credit_memo(number)

    def collect_payment(self, invoice_number: str, amount: Money) -> Outcome[PaymentView]:
        status, invoice = self.client.call(
            "get invoice", "GET", path("/v1/invoices", invoice_number), response_schema="invoice-response"
        )
        if refused(status, invoice):
            return views.refused("get invoice", invoice)
        found = Fields("get invoice", invoice)
        body = payment_payload(found.text("accountId"), found.text("id"), amount.amount, amount.currency)
        status, reply = self.client.call(
            "create payment",
            "POST",
            "/v1/payments",
            body=body,
            request_schema="create-payment-request",
            response_schema="payment-response",
        )

        def view(paid: Fields) -> PaymentView:
            currency = paid.currency(lambda: amount.currency)
            return PaymentView(paid.text("number"), invoice_number, Money(paid.number("amount"), currency))

        return self._outcome("create payment", status, reply, view)
