"""The OpenAPI links of the served document: how one operation's answer feeds the next.

A stateful client (Schemathesis's stateful phase, say) follows these to reach every operation
with keys that exist: a tenant; the catalog, and an order from it that opens an account,
subscribes it and bills it; the account, a bill run for it and what the run made; the invoices
and credit memos found by query; and what can be done to each (cancel, post, delete, pause,
hold, pay). Every link carries the tenant the source request addressed (the tenant header), so a
chain stays in one tenant; a link from creating a tenant addresses the new one.

Where a request needs more than keys to get anywhere (an order needs a plan to subscribe to, a
payment an amount and a currency), the link gives a whole request of the walkthrough
(``x-schemathesis`` ``merge_body: false``): the client may send it as it is, or fuzz its own.
"""

from __future__ import annotations

from typing import Any

from reference_impl.server.tenants import TENANT_HEADER

__all__ = ["LINKS", "links_of"]

_TENANT = f"header.{TENANT_HEADER}"
_SAME_TENANT = f"$request.header.{TENANT_HEADER}"
_WHOLE_BODY = {"merge_body": False}
#: The walkthrough's dates: an order on the first day of a month, billed to its last.
_ORDER_DATE = "2024-01-01"
_TARGET_DATE = "2024-01-31"
_NEW_ACCOUNT = {
    "name": "Walkthrough",
    "currency": "USD",
    "billCycleDay": 1,
    "billToContact": {"firstName": "Ada", "lastName": "Lovelace"},
}


def _to(operation: str, description: str, /, **given: Any) -> dict[str, Any]:  # noqa: ANN401 - JSON
    """A link to ``operation`` (its operationId), in the source's tenant unless ``tenant`` says
    which. ``filter`` is the query's ``filter[]``; ``body`` fields of the request body (merged
    into the client's); ``whole`` a whole request body; any other name a path parameter."""
    named: dict[str, Any] = {_TENANT: given.pop("tenant", _SAME_TENANT)}
    body = given.pop("body", None)
    whole = given.pop("whole", None)
    if "filter" in given:
        named["query.filter[]"] = given.pop("filter")
    named |= {f"path.{name}": value for name, value in given.items()}
    link: dict[str, Any] = {"operationId": operation, "description": description, "parameters": named}
    if body is not None:
        link["requestBody"] = body
    if whole is not None:
        link["requestBody"] = whole
        link["x-schemathesis"] = _WHOLE_BODY
    return link


def _new_account_order(plan_id: str) -> dict[str, Any]:
    """An order that opens an account, subscribes it to ``plan_id`` for a year and bills it."""
    subscribe = {
        "subscribeToRatePlans": [{"productRatePlanId": plan_id}],
        "terms": {
            "initialTerm": {
                "period": 12,
                "periodType": "Month",
                "termType": "TERMED",
                "startDate": _ORDER_DATE,
            }
        },
    }
    return {
        "orderDate": _ORDER_DATE,
        "newAccount": _NEW_ACCOUNT,
        "subscriptions": [
            {
                "orderActions": [
                    {
                        "type": "CreateSubscription",
                        "triggerDates": [{"name": "ContractEffective", "triggerDate": _ORDER_DATE}],
                        "createSubscription": subscribe,
                    }
                ]
            }
        ],
        "processingOptions": {"runBilling": True, "billingOptions": {"targetDate": _TARGET_DATE}},
    }


def _cancel_and_write_off() -> dict[str, Any]:
    """An order that cancels the subscription an order made, mid-term, and writes off what is
    unpaid: it makes credit memos (Zuora's "Cancel subscriptions and write off all unpaid invoices")."""
    day = "2024-01-15"
    return {
        "orderDate": day,
        "existingAccountNumber": "$response.body#/accountNumber",
        "subscriptions": [
            {
                "subscriptionNumber": "$response.body#/subscriptionNumbers/0",
                "orderActions": [
                    {
                        "type": "CancelSubscription",
                        "triggerDates": [{"name": "ContractEffective", "triggerDate": day}],
                        "cancelSubscription": {
                            "cancellationPolicy": "SpecificDate",
                            "cancellationEffectiveDate": day,
                        },
                    }
                ],
            }
        ],
        "processingOptions": {
            "runBilling": True,
            "writeOff": True,
            "collectPayment": False,
            "billingOptions": {"targetDate": day, "documentDate": day},
        },
    }


def _bill_account(account_id: str) -> dict[str, Any]:
    """A bill run of one account, its invoices left as drafts (so they can be posted or canceled)."""
    return _to(
        "post /v1/bill-runs",
        "Bill the account",
        whole={
            "billRunFilters": [{"filterType": "Account", "accountId": account_id}],
            "targetDate": "2024-02-29",
            "autoPost": False,
        },
    )


def _queries(field: str, value: str, what: str) -> dict[str, dict[str, Any]]:
    return {
        f"Query{what}Invoices": _to(
            "get /object-query/invoices", "Its invoices", filter=f"{field}.EQ:{{{value}}}"
        ),
        f"Query{what}CreditMemos": _to(
            "get /object-query/credit-memos", "Its credit memos", filter=f"{field}.EQ:{{{value}}}"
        ),
    }


def _tenant_links() -> dict[str, dict[str, Any]]:
    tenant = "$response.body#/tenantId"
    return {
        "DeleteTenant": {
            "operationId": "delete /conformance/v2/tenants/{tenant_id}",
            "description": "Delete it",
            "parameters": {"path.tenant_id": tenant},
        },
        "ReadCatalogInTenant": _to("get /v1/catalog/products", "What it sells", tenant=tenant),
        "CreateAccountInTenant": _to(
            "post /v1/accounts",
            "Open an account in it",
            tenant=tenant,
            whole=_NEW_ACCOUNT,
        ),
        "CreateBillRunInTenant": _to("post /v1/bill-runs", "Create a bill run in it", tenant=tenant),
    }


def _catalog_links() -> dict[str, dict[str, Any]]:
    plan_id = "$response.body#/products/0/productRatePlans/0/id"
    return {
        "OrderForNewAccount": _to(
            "post /v1/orders", "Subscribe a new account to a plan", whole=_new_account_order(plan_id)
        ),
        "OrderForNewAccountAsync": _to(
            "post /v1/async/orders", "The same, asynchronously", whole=_new_account_order(plan_id)
        ),
    }


def _account_links() -> dict[str, dict[str, Any]]:
    number = "$response.body#/accountNumber"
    return {
        "GetAccount": _to("get /v1/accounts/{key}", "Read it", key=number),
        "CloseAccount": _to("post /conformance/v1/accounts/{key}/close", "Close it", key=number),
        "CreateOrder": _to("post /v1/orders", "Order for it", body={"existingAccountNumber": number}),
        "CreateOrderAsync": _to(
            "post /v1/async/orders", "Order for it, asynchronously", body={"existingAccountNumber": number}
        ),
        "BillAccount": _bill_account("$response.body#/accountId"),
        **_queries("accountId", "$response.body#/accountId", "Account"),
    }


def _read_account_links() -> dict[str, dict[str, Any]]:
    return {
        "BillAccount": _bill_account("$response.body#/basicInfo/id"),
        "CloseAccount": _to(
            "post /conformance/v1/accounts/{key}/close",
            "Close it",
            key="$response.body#/basicInfo/accountNumber",
        ),
        **_queries("accountId", "$response.body#/basicInfo/id", "Account"),
    }


def _order_links() -> dict[str, dict[str, Any]]:
    invoice = "$response.body#/invoiceNumbers/0"
    return {
        "GetOrder": _to("get /v1/orders/{key}", "Read it", key="$response.body#/orderNumber"),
        "GetSubscription": _to(
            "get /v1/subscriptions/{key}", "Read what it made", key="$response.body#/subscriptionNumbers/0"
        ),
        "GetOrderedAccount": _to(
            "get /v1/accounts/{key}", "Its account", key="$response.body#/accountNumber"
        ),
        "GetOrderInvoice": _to("get /v1/invoices/{key}", "The invoice it made", key=invoice),
        "PostOrderInvoice": _to("put /v1/invoices/{key}/post", "Post that invoice", key=invoice),
        "CancelAndWriteOff": _to(
            "post /v1/orders", "Cancel what it made, writing off", whole=_cancel_and_write_off()
        ),
        "GetOrderCreditMemo": _to(
            "get /v1/credit-memos/{key}", "The credit memo it made", key="$response.body#/creditMemoNumbers/0"
        ),
        **_queries("accountNumber", "$response.body#/accountNumber", "Account"),
    }


def _bill_run_links() -> dict[str, dict[str, Any]]:
    """Everything that can be done to one bill run, by its ID, and what it made."""
    key = "$response.body#/id"
    return {
        "GetBillRun": _to("get /v1/bill-runs/{key}", "Read it", key=key),
        "CancelBillRun": _to("put /v1/bill-runs/{key}/cancel", "Cancel it", key=key),
        "PostBillRun": _to("put /v1/bill-runs/{key}/post", "Post its invoices", key=key),
        "DeleteBillRun": _to("delete /v1/bill-runs/{key}", "Delete it", key=key),
        "PauseBillRun": _to("post /conformance/v1/bill-runs/{key}/pause", "Pause its schedule", key=key),
        "ResumeBillRun": _to("post /conformance/v1/bill-runs/{key}/resume", "Resume its schedule", key=key),
        "PendingOccurrence": _to(
            "get /conformance/v1/bill-runs/{key}/pending-occurrence", "Its waiting occurrence", key=key
        ),
        "HoldBillRun": _to("put /conformance/v1/bill-runs/{key}/hold", "Hold it part-way", key=key),
        "ReleaseBillRun": _to("post /conformance/v1/bill-runs/{key}/release", "Release it", key=key),
        **_queries("billRunId", key, "BillRun"),
    }


def _pay(invoice: str) -> dict[str, Any]:
    """A payment of the whole balance of ``invoice`` (a pointer into the answer), by check."""
    return _to(
        "post /v1/payments",
        "Pay it in full",
        whole={
            "accountId": f"{invoice}/accountId",
            "amount": f"{invoice}/balance",
            "currency": f"{invoice}/currency",
            "type": "External",
            "paymentMethodType": "Check",
            "effectiveDate": f"{invoice}/invoiceDate",
            "invoices": [{"invoiceId": f"{invoice}/id", "amount": f"{invoice}/balance"}],
        },
    )


def _invoice_links() -> dict[str, dict[str, Any]]:
    row = "$response.body#/data/0"
    return {
        "GetInvoice": _to("get /v1/invoices/{key}", "Read it", key=f"{row}/id"),
        "PostInvoice": _to("put /v1/invoices/{key}/post", "Post it", key=f"{row}/id"),
        "PayInvoice": _pay(row),
    }


def _credit_memo_links() -> dict[str, dict[str, Any]]:
    memo = "$response.body#/data/0/id"
    return {
        "GetCreditMemo": _to("get /v1/credit-memos/{key}", "Read it", key=memo),
        "GetCreditMemoItems": _to("get /v1/credit-memos/{key}/items", "Read its items", key=memo),
        "PostCreditMemo": _to("put /v1/credit-memos/{key}/post", "Post it", key=memo),
    }


#: (operationId of the source, its success status) -> the links its answer offers.
LINKS: dict[tuple[str, int], dict[str, dict[str, Any]]] = {
    ("post /conformance/v2/tenants", 201): _tenant_links(),
    ("get /v1/catalog/products", 200): _catalog_links(),
    ("post /v1/accounts", 200): _account_links(),
    ("get /v1/accounts/{key}", 200): _read_account_links(),
    ("post /v1/orders", 200): _order_links(),
    ("post /v1/async/orders", 202): {
        "GetJob": _to("get /v1/async-jobs/{key}", "Follow it", key="$response.body#/jobId")
    },
    ("post /v1/bill-runs", 200): _bill_run_links(),
    ("get /object-query/invoices", 200): _invoice_links(),
    ("get /v1/invoices/{key}", 200): {"PayInvoice": _pay("$response.body#")},
    ("get /object-query/credit-memos", 200): _credit_memo_links(),
}


def links_of(operation: str, status: int) -> dict[str, dict[str, Any]]:
    """The links of ``operation``'s answer with ``status`` (none when it offers none)."""
    return LINKS.get((operation, status), {})
