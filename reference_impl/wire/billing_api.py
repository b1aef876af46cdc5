"""Zuora v1 operations besides orders: accounts, catalog, subscriptions, bill runs, invoices,
credit memos, payments and the object-query listings. Transport-free, like :mod:`.api`."""

from __future__ import annotations

from typing import Any

from reference_impl.account import Account
from reference_impl.bill_run import BillRun, RepeatType, Schedule
from reference_impl.billing import Billing
from reference_impl.credit_memo import CreditMemo
from reference_impl.rejection import Category, Rejection
from reference_impl.wire import queries, views
from reference_impl.wire.api import Reply, checked, currency_fault, parse, refusal
from reference_impl.wire.requests import (
    MAX_AMOUNT,
    CancelBillRunRequest,
    CreateAccountRequest,
    CreateBillRunRequest,
    CreatePaymentRequest,
    PostBillRunRequest,
)

__all__ = [
    "cancel_bill_run",
    "create_account",
    "create_bill_run",
    "create_payment",
    "delete_bill_run",
    "get_account",
    "get_bill_run",
    "get_catalog",
    "get_credit_memo",
    "get_credit_memo_items",
    "get_invoice",
    "get_subscription",
    "post_bill_run",
    "post_credit_memo",
    "post_invoice",
    "query",
]


def run_account_id(billing: Billing, run: BillRun) -> str | None:
    """The id of the account a bill run is limited to (one look-up, whatever the tenant's size)."""
    if run.account_number is None:
        return None
    account = billing.account(run.account_number)
    return None if isinstance(account, Rejection) else account.id


def _bill_run_reply(billing: Billing, outcome: BillRun | Rejection) -> Reply:
    if isinstance(outcome, Rejection):
        return refusal(outcome)
    return Reply(200, checked("bill-run-response", views.bill_run(outcome, run_account_id(billing, outcome))))


def create_account(billing: Billing, body: object) -> Reply:
    request = parse(CreateAccountRequest, body, "account")
    if isinstance(request, Reply):
        return request
    fault = currency_fault(request.currency, "account")
    if fault is not None:
        return refusal(fault, 400)
    account = billing.create_account(
        name=request.name,
        currency=request.currency,
        bill_cycle_day=request.bill_cycle_day or 0,
        account_number=request.account_number,
    )
    if isinstance(account, Rejection):
        return refusal(account, 400)
    return Reply(
        200,
        checked(
            "create-account-response",
            {
                "success": True,
                "accountId": account.id,
                "accountNumber": account.number,
            },
        ),
    )


def get_account(billing: Billing, key: str) -> Reply:
    account = billing.account(key)
    if isinstance(account, Rejection):
        return refusal(account)
    return Reply(200, checked("account-response", views.account(account)))


def get_catalog(billing: Billing) -> Reply:
    return Reply(200, checked("catalog-response", views.catalog(billing.catalog)))


def get_subscription(billing: Billing, key: str) -> Reply:
    found = billing.subscription(key)
    if isinstance(found, Rejection):
        return refusal(found)
    account = billing.account(found.account_number)
    assert not isinstance(account, Rejection)
    return Reply(200, checked("subscription-response", views.subscription(found, account.id)))


def create_bill_run(billing: Billing, body: object) -> Reply:
    request = parse(CreateBillRunRequest, body, "bill-run")
    if isinstance(request, Reply):
        return request
    account_number = None
    for bill_run_filter in request.bill_run_filters or ():
        if bill_run_filter.filter_type != "Account" or bill_run_filter.account_id is None:
            return refusal(
                Rejection(
                    "bill-run-filter-unsupported",
                    Category.INVALID_VALUE,
                    "The reference implementation filters bill runs by account only.",
                ),
                400,
            )
        account = billing.account(bill_run_filter.account_id)
        if isinstance(account, Rejection):
            return refusal(Rejection("bill-run-account-unknown", Category.NOT_FOUND, account.message), 404)
        account_number = account.number
    schedule = None
    if request.schedule is not None:
        given = request.schedule
        schedule = Schedule(
            RepeatType(given.repeat_type),
            given.repeat_from,
            given.repeat_to,
            given.run_time,
            tuple(given.weekly_on_day or ()),
            bool(given.monthly_on_end_of_month),
        )
    outcome = billing.create_bill_run(
        target_date=request.target_date,
        invoice_date=request.invoice_date,
        account_number=account_number,
        schedule=schedule,
    )
    if isinstance(outcome, Rejection) and outcome.code == "bill-run-schedule-starts-in-the-past":
        return refusal(outcome, 409)  # a conflict with the tenant's clock, not a malformed request
    return _bill_run_reply(billing, outcome)


def get_bill_run(billing: Billing, key: str) -> Reply:
    return _bill_run_reply(billing, billing.bill_run(key))


def cancel_bill_run(billing: Billing, key: str, body: object) -> Reply:
    request = parse(CancelBillRunRequest, body, "bill-run")
    if isinstance(request, Reply):
        return request
    outcome = (
        billing.cancel_bill_run(key)
        if request.cancel_once is None
        else billing.cancel_bill_run(key, cancel_once=request.cancel_once)
    )
    if isinstance(outcome, Rejection):
        return refusal(outcome)
    body_out = views.bill_run(outcome.bill_run, run_account_id(billing, outcome.bill_run))
    following = outcome.next_run
    body_out["nextRun"] = (
        None if following is None else views.bill_run(following, run_account_id(billing, following))
    )
    if body_out["nextRun"] is not None:
        del body_out["nextRun"]["success"]
    return Reply(200, checked("bill-run-response", body_out, "cancel"))


def post_bill_run(billing: Billing, key: str, body: object) -> Reply:
    request = parse(PostBillRunRequest, body, "bill-run")
    if isinstance(request, Reply):
        return request
    return _bill_run_reply(billing, billing.post_bill_run(key, request.invoice_date))


def delete_bill_run(billing: Billing, key: str) -> Reply:
    return _bill_run_reply(billing, billing.delete_bill_run(key))


def _bill_run_number(billing: Billing, bill_run_id: str | None) -> str | None:
    if bill_run_id is None:
        return None
    run = billing.bill_run(bill_run_id)
    return None if isinstance(run, Rejection) else run.number


def _owner(billing: Billing, account_number: str) -> Account:
    account = billing.account(account_number)
    assert not isinstance(account, Rejection), account
    return account


def get_invoice(billing: Billing, key: str) -> Reply:
    found = billing.invoice(key)
    if isinstance(found, Rejection):
        return refusal(found)
    body = views.invoice(
        found, _owner(billing, found.account_number), _bill_run_number(billing, found.bill_run_id)
    )
    return Reply(200, checked("invoice-response", body))


def post_invoice(billing: Billing, key: str) -> Reply:
    """``PUT /v1/invoices/{key}/post``: Zuora answers with an asynchronous operation; the
    reference posts at once, so the operation is already completed."""
    posted = billing.post_invoice(key)
    if isinstance(posted, Rejection):
        return refusal(posted)
    body = {"success": True, "id": posted.id, "jobStatus": "Completed"}
    return Reply(200, checked("async-operation-response", body))


def _referred_invoice_id(billing: Billing, memo: CreditMemo) -> str | None:
    invoice = billing.invoice(memo.referred_invoice_number or "")
    return None if isinstance(invoice, Rejection) else invoice.id


def get_credit_memo(billing: Billing, key: str) -> Reply:
    found = billing.credit_memo(key)
    if isinstance(found, Rejection):
        return refusal(found)
    body = views.credit_memo(
        found,
        _owner(billing, found.account_number),
        _referred_invoice_id(billing, found),
        _bill_run_number(billing, found.bill_run_id),
    )
    return Reply(200, checked("credit-memo-response", body))


def get_credit_memo_items(billing: Billing, key: str) -> Reply:
    found = billing.credit_memo(key)
    if isinstance(found, Rejection):
        return refusal(found)
    return Reply(200, checked("credit-memo-items-response", views.credit_memo_items(found)))


def post_credit_memo(billing: Billing, key: str) -> Reply:
    posted = billing.post_credit_memo(key)
    if isinstance(posted, Rejection):
        return refusal(posted)
    return get_credit_memo(billing, posted.number)


def create_payment(billing: Billing, body: object) -> Reply:
    request = parse(CreatePaymentRequest, body, "payment")
    if isinstance(request, Reply):
        return request
    if not request.invoices or len(request.invoices) != 1:
        return refusal(
            Rejection(
                "payment-one-invoice",
                Category.INVALID_VALUE,
                "The reference implementation applies a payment to exactly one invoice.",
            ),
            400,
        )
    paid = request.invoices[0]
    invoice = billing.invoice(paid.invoice_id)
    if isinstance(invoice, Rejection):
        return refusal(Rejection("payment-invoice-unknown", Category.NOT_FOUND, invoice.message), 404)
    fault = _payment_fault(request)
    if fault is not None:
        return refusal(fault, 400)
    payment = billing.collect_payment(
        invoice_number=invoice.number,
        amount=paid.amount,
        effective_date=request.effective_date,
        currency=_currency(request),
        payment_type=request.type,
        payment_method_id=request.payment_method_id,
        payment_method_type=request.payment_method_type,
    )
    if isinstance(payment, Rejection):
        return refusal(payment, 400)
    owner = _owner(billing, invoice.account_number)
    return Reply(200, checked("payment-response", views.payment(payment, owner, invoice.id, payment.amount)))


def _payment_fault(request: CreatePaymentRequest) -> Rejection | None:
    """The refusal of a currency outside ISO 4217 or of an amount the domain cannot round."""
    amounts = (request.amount, *(paid.amount for paid in request.invoices or ()))
    if any(abs(amount) >= MAX_AMOUNT for amount in amounts):
        message = f"A payment amount must be less than {MAX_AMOUNT:,f} either way."
        return Rejection("payment-amount-invalid", Category.INVALID_VALUE, message)
    return currency_fault(_currency(request), "payment")


def _currency(request: CreatePaymentRequest) -> str | None:
    """The payment's ``currency`` (Zuora requires it; the schema checks that it is there)."""
    given = getattr(request, "currency", None) or (request.model_extra or {}).get("currency")
    return given if isinstance(given, str) else None


def _page(page_size: str | None, cursor: str | None) -> tuple[int, int] | Rejection:
    """Where a page starts and how long it is: ``pageSize`` 1..50 (Zuora's bounds, default 50);
    ``cursor`` is the previous page's ``nextPage``, an opaque token (here, an offset)."""
    size = 50 if page_size is None else (int(page_size) if page_size.isdigit() else 0)
    start = 0 if cursor is None else (int(cursor) if cursor.isdigit() else -1)
    if not 1 <= size <= 50:
        return Rejection("query-page-size-invalid", Category.INVALID_VALUE, "pageSize must be 1 to 50.")
    if start < 0:
        return Rejection("query-cursor-invalid", Category.INVALID_VALUE, f"Unknown cursor {cursor!r}.")
    return start, size


def query(
    billing: Billing, kind: str, filters: list[str], page_size: str | None = None, cursor: str | None = None
) -> Reply:
    """``GET /object-query/invoices`` or ``/object-query/credit-memos`` with ``filter[]=field.EQ:value``
    (read as :mod:`.queries` says), one page at a time (``pageSize``, ``cursor``; the answer's
    ``nextPage`` leads on)."""
    wanted = queries.parse_filters(filters)
    if isinstance(wanted, Rejection):
        return refusal(wanted, 400)
    page = _page(page_size, cursor)
    if isinstance(page, Rejection):
        return refusal(page, 400)
    rows: list[dict[str, Any]] = []
    if kind == "invoices":
        stem = "query-invoices-response"
        for found in billing.invoices():
            row = views.invoice(
                found, _owner(billing, found.account_number), _bill_run_number(billing, found.bill_run_id)
            )
            del row["success"]
            rows.append(row)
    elif kind == "credit-memos":
        stem = "query-credit-memos-response"
        for memo in billing.credit_memos():
            owner = _owner(billing, memo.account_number)
            invoice_id = _referred_invoice_id(billing, memo)
            rows.append(
                views.expanded_credit_memo(
                    memo, owner, invoice_id, _bill_run_number(billing, memo.bill_run_id)
                )
            )
    else:
        return refusal(Rejection("query-object-unknown", Category.NOT_FOUND, f"No object {kind!r}."), 404)
    data = [row for row in rows if queries.matches(row, wanted)]
    start, size = page
    body: dict[str, Any] = {"data": data[start : start + size]}
    if start + size < len(data):
        body["nextPage"] = str(start + size)
    return Reply(200, checked(stem, body))
