"""The HTTP target's bill-run, document and payment operations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from steps.targets import views
from steps.targets.errors import NotApplicableError, ProtocolError
from steps.targets.http_base import (
    CONTROL_PREFIX,
    SETTLING,
    HttpTargetBase,
    bill_run_view,
    invoice_view,
    refused,
)
from steps.targets.protocol import (
    BillRunView,
    CancelView,
    CreditMemoView,
    InvoiceView,
    MemoItemView,
    Outcome,
    PaymentView,
    Refused,
    ScheduleSpec,
)

__all__ = ["BillingOverHttp"]


class BillingOverHttp(HttpTargetBase):
    # -- bill runs ------------------------------------------------------------------------------------

    def create_bill_run(
        self, *, target_date: date | None, account: str | None, schedule: ScheduleSpec | None
    ) -> Outcome[BillRunView]:
        if schedule is not None and not self.profile.capabilities.scheduled_bill_runs:
            raise NotApplicableError("the target does not offer scheduled bill runs")
        body: dict[str, Any] = {}
        if target_date is not None:
            body["targetDate"] = target_date.isoformat()
        if account is None:
            body["batches"] = ["AllBatches"]
        else:
            body["billRunFilters"] = [{"filterType": "Account", "accountId": self._account_id(account)}]
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
        if not refused(status, reply) and schedule is None:
            status, reply = self._settle_bill_run("create bill run", str(reply["id"]))
        return self._outcome("create bill run", status, reply, bill_run_view)

    def bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        status, body = self._get_bill_run(bill_run_id)
        return self._outcome("get bill run", status, body, bill_run_view)

    def cancel_bill_run(self, bill_run_id: str, *, cancel_once: bool | None) -> Outcome[CancelView]:
        body = {} if cancel_once is None else {"cancelOnce": cancel_once}
        status, reply = self.client.call(
            "cancel bill run",
            "PUT",
            f"/v1/bill-runs/{bill_run_id}/cancel",
            body=body,
            request_schema="cancel-bill-run-request",
            response_schema="bill-run-response",
            anchor="cancel",
        )
        if refused(status, reply):
            return views.refused("cancel bill run", reply)
        following = reply.get("nextRun")
        if reply.get("status") in SETTLING:
            _, reply = self._settle_bill_run("cancel bill run", bill_run_id)
        return CancelView(bill_run_view(reply), None if not following else bill_run_view(following))

    def post_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        status, reply = self.client.call(
            "post bill run",
            "PUT",
            f"/v1/bill-runs/{bill_run_id}/post",
            body={},
            request_schema="post-bill-run-request",
            response_schema="bill-run-response",
        )
        if not refused(status, reply) and reply.get("status") in SETTLING:
            status, reply = self._settle_bill_run("post bill run", bill_run_id)
        return self._outcome("post bill run", status, reply, bill_run_view)

    def _control_bill_run(self, action: str, bill_run_id: str) -> Outcome[BillRunView]:
        self._need_control(f"{action} a scheduled bill run")
        status, reply = self.client.call(
            f"{action} bill run",
            "POST",
            f"{CONTROL_PREFIX}/bill-runs/{bill_run_id}/{action}",
            response_schema="bill-run-response",
        )
        return self._outcome(f"{action} bill run", status, reply, bill_run_view)

    def pause_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        return self._control_bill_run("pause", bill_run_id)

    def resume_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]:
        return self._control_bill_run("resume", bill_run_id)

    def delete_bill_run(self, bill_run_id: str) -> Outcome[None]:
        status, reply = self.client.call(
            "delete bill run", "DELETE", f"/v1/bill-runs/{bill_run_id}", response_schema="bill-run-response"
        )
        if refused(status, reply):
            return views.refused("delete bill run", reply)
        self._poll(
            "delete bill run",
            lambda: self._get_bill_run(bill_run_id),
            lambda body: body.get("status") != "RemoveInProgress",
        )
        return None

    def pending_occurrence(self, bill_run_id: str) -> BillRunView | None:
        self._need_control("seeing a schedule's waiting occurrence")
        status, body = self.client.call(
            "get pending occurrence",
            "GET",
            f"{CONTROL_PREFIX}/bill-runs/{bill_run_id}/pending-occurrence",
            response_schema="control-pending-occurrence-response",
        )
        if status >= 400 or not body.get("billRun"):
            return None
        return bill_run_view(body["billRun"])

    def _query(self, kind: str, field: str, value: str) -> list[dict[str, Any]]:
        _, body = self.client.call(
            f"query {kind}",
            "GET",
            f"/object-query/{kind}",
            params={"filter[]": f"{field}.EQ:{value}"},
            response_schema="object-query-response",
        )
        if "data" not in body:
            raise ProtocolError(f"query {kind}", "the listing has no data", "$.data")
        return list(body["data"])

    def bill_run_invoices(self, bill_run_id: str) -> Outcome[list[InvoiceView]]:
        found = self.bill_run(bill_run_id)
        if isinstance(found, Refused):
            return found
        return [invoice_view(row) for row in self._query("invoices", "sourceId", found.number)]

    def bill_run_credit_memos(self, bill_run_id: str) -> Outcome[list[CreditMemoView]]:
        found = self.bill_run(bill_run_id)
        if isinstance(found, Refused):
            return found
        return [self._memo(row) for row in self._query("credit-memos", "sourceId", found.number)]

    # -- documents and payments -------------------------------------------------------------------------

    def account_invoices(self, name: str) -> list[InvoiceView]:
        return [invoice_view(row) for row in self._query("invoices", "accountId", self._account_id(name))]

    def account_credit_memos(self, name: str) -> list[CreditMemoView]:
        return [self._memo(row) for row in self._query("credit-memos", "accountId", self._account_id(name))]

    def invoice(self, number: str) -> Outcome[InvoiceView]:
        status, body = self.client.call(
            "get invoice", "GET", f"/v1/invoices/{number}", response_schema="invoice-response"
        )
        return self._outcome("get invoice", status, body, invoice_view)

    def post_invoice(self, number: str) -> Outcome[InvoiceView]:
        status, body = self.client.call(
            "post invoice", "PUT", f"/v1/invoices/{number}/post", body={}, response_schema="invoice-response"
        )
        if refused(status, body):
            return views.refused("post invoice", body)
        return self.invoice(number)

    def _memo(self, body: dict[str, Any], items: tuple[MemoItemView, ...] = ()) -> CreditMemoView:
        number = str(body.get("number") or body.get("memoNumber"))
        applied = body.get("appliedAmount")
        account = str(body.get("accountNumber", ""))
        return CreditMemoView(
            number,
            account,
            str(body["status"]),
            Decimal(str(body["amount"])),
            None,
            body.get("reasonCode"),
            None if applied is None else Decimal(str(applied)),
            items,
        )

    def credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        status, body = self.client.call(
            "get credit memo", "GET", f"/v1/credit-memos/{number}", response_schema="credit-memo-response"
        )
        if refused(status, body):
            return views.refused("get credit memo", body)
        _, listed = self.client.call(
            "get credit memo items",
            "GET",
            f"/v1/credit-memos/{number}/items",
            response_schema="credit-memo-items-response",
        )
        items = tuple(
            MemoItemView(Decimal(str(i["amount"])), dict(i.get("financeInformation") or {}))
            for i in listed.get("items", [])
        )
        return self._memo(body, items)

    def post_credit_memo(self, number: str) -> Outcome[CreditMemoView]:
        status, body = self.client.call(
            "post credit memo",
            "PUT",
            f"/v1/credit-memos/{number}/post",
            response_schema="credit-memo-response",
        )
        if refused(status, body):
            return views.refused("post credit memo", body)
        return self.credit_memo(number)

    def collect_payment(self, invoice_number: str, amount: Decimal) -> Outcome[PaymentView]:
        status, invoice = self.client.call(
            "get invoice", "GET", f"/v1/invoices/{invoice_number}", response_schema="invoice-response"
        )
        if refused(status, invoice):
            return views.refused("get invoice", invoice)
        body = {
            "accountId": invoice["accountId"],
            "amount": amount,
            "type": "External",
            "invoices": [{"invoiceId": invoice["id"], "amount": amount}],
        }
        status, reply = self.client.call(
            "create payment",
            "POST",
            "/v1/payments",
            body=body,
            request_schema="create-payment-request",
            response_schema="payment-response",
        )
        return self._outcome(
            "create payment",
            status,
            reply,
            lambda b: PaymentView(str(b["number"]), invoice_number, Decimal(str(b["amount"]))),
        )
