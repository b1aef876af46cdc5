"""The route table: each path, its method, the schema of its body, and the operation behind it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from reference_impl.billing import Billing
from reference_impl.wire import api, billing_api
from reference_impl.wire.api import Reply
from reference_impl.wire.control_api import ReferenceTenant

__all__ = ["ROUTES", "Call", "Route"]


@dataclass(frozen=True)
class Call:
    """One decoded request: the tenant it addresses, path and query parameters, body and headers."""

    tenant: ReferenceTenant
    params: dict[str, str]
    body: object
    query: Mapping[str, list[str]]
    zuora_version: str | None
    idempotency_key: str | None = None

    @property
    def filters(self) -> list[str]:
        return list(self.query.get("filter[]", []))

    def first(self, name: str) -> str | None:
        """The first value of query parameter ``name``, if given."""
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def billing(self) -> Billing:
        return self.tenant.billing

    @property
    def key(self) -> str:
        return self.params["key"]


@dataclass(frozen=True)
class Route:
    """One operation. ``body`` is the schema stem of its request body, when it has one;
    ``answer`` the schema (``stem`` or ``stem#anchor``) of its success answer, sent with
    ``status``; ``refused_as_answered`` when refusals come with that status too (Zuora's create
    order); ``conflict`` why it may answer 409, if it may; ``idempotent`` when it takes an
    ``Idempotency-Key``. The served OpenAPI document is made
    from these (:mod:`.openapi`)."""

    method: str
    path: str
    summary: str
    handle: Callable[[Call], Reply]
    body: str | None = None
    answer: str = "control-ok-response"
    status: int = 200
    refused_as_answered: bool = False
    conflict: str | None = None
    idempotent: bool = False


ROUTES: tuple[Route, ...] = (
    Route(
        "POST",
        "/v1/accounts",
        "Create an account",
        lambda c: billing_api.create_account(c.billing, c.body),
        "create-account-request",
        answer="create-account-response",
    ),
    Route(
        "GET",
        "/v1/accounts/{key}",
        "Get an account",
        lambda c: billing_api.get_account(c.billing, c.key),
        answer="account-response",
    ),
    Route(
        "GET",
        "/v1/catalog/products",
        "List the product catalog",
        lambda c: billing_api.get_catalog(c.billing),
        answer="catalog-response",
    ),
    Route(
        "POST",
        "/v1/orders",
        "Create an order",
        lambda c: api.create_order(
            c.billing, c.body, zuora_version=c.zuora_version, idempotency_key=c.idempotency_key
        ),
        "create-order-request",
        answer="create-order-response",
        refused_as_answered=True,
        idempotent=True,
    ),
    Route(
        "POST",
        "/v1/async/orders",
        "Create an order asynchronously",
        lambda c: api.create_order_async(c.billing, c.body),
        "create-order-async-request",
        answer="async-job-response#submitted",
        status=202,
    ),
    Route(
        "GET",
        "/v1/async-jobs/{key}",
        "Get an asynchronous job",
        lambda c: api.get_async_job(c.billing, c.key, zuora_version=c.zuora_version),
        answer="async-job-response",
    ),
    Route(
        "GET",
        "/v1/orders/{key}",
        "Get an order",
        lambda c: api.get_order(c.billing, c.key),
        answer="get-order-response",
    ),
    Route(
        "GET",
        "/v1/subscriptions/{key}",
        "Get a subscription",
        lambda c: billing_api.get_subscription(c.billing, c.key),
        answer="subscription-response",
    ),
    Route(
        "POST",
        "/v1/bill-runs",
        "Create a bill run",
        lambda c: billing_api.create_bill_run(c.billing, c.body),
        "create-bill-run-request",
        answer="bill-run-response",
        conflict="Refused: a schedule cannot start before the tenant's today",
    ),
    Route(
        "GET",
        "/v1/bill-runs/{key}",
        "Get a bill run",
        lambda c: billing_api.get_bill_run(c.billing, c.key),
        answer="bill-run-response",
    ),
    Route(
        "PUT",
        "/v1/bill-runs/{key}/cancel",
        "Cancel a bill run",
        lambda c: billing_api.cancel_bill_run(c.billing, c.key, c.body),
        "cancel-bill-run-request",
        answer="bill-run-response#cancel",
    ),
    Route(
        "PUT",
        "/v1/bill-runs/{key}/post",
        "Post a bill run",
        lambda c: billing_api.post_bill_run(c.billing, c.key, c.body),
        "post-bill-run-request",
        answer="bill-run-response",
    ),
    Route(
        "DELETE",
        "/v1/bill-runs/{key}",
        "Delete a bill run",
        lambda c: billing_api.delete_bill_run(c.billing, c.key),
        answer="bill-run-response",
    ),
    Route(
        "GET",
        "/v1/invoices/{key}",
        "Get an invoice",
        lambda c: billing_api.get_invoice(c.billing, c.key),
        answer="invoice-response",
    ),
    Route(
        "PUT",
        "/v1/invoices/{key}/post",
        "Post an invoice",
        lambda c: billing_api.post_invoice(c.billing, c.key),
        "post-invoice-request",
        answer="async-operation-response",
    ),
    Route(
        "GET",
        "/v1/credit-memos/{key}",
        "Get a credit memo",
        lambda c: billing_api.get_credit_memo(c.billing, c.key),
        answer="credit-memo-response",
    ),
    Route(
        "GET",
        "/v1/credit-memos/{key}/items",
        "List a credit memo's items",
        lambda c: billing_api.get_credit_memo_items(c.billing, c.key),
        answer="credit-memo-items-response",
    ),
    Route(
        "PUT",
        "/v1/credit-memos/{key}/post",
        "Post a credit memo",
        lambda c: billing_api.post_credit_memo(c.billing, c.key),
        answer="credit-memo-response",
    ),
    Route(
        "POST",
        "/v1/payments",
        "Create a payment",
        lambda c: billing_api.create_payment(c.billing, c.body),
        "create-payment-request",
        answer="payment-response",
    ),
    Route(
        "GET",
        "/object-query/invoices",
        "Query invoices (filter[]=field.EQ:value)",
        lambda c: billing_api.query(c.billing, "invoices", c.filters, c.first("pageSize"), c.first("cursor")),
        answer="query-invoices-response",
    ),
    Route(
        "GET",
        "/object-query/credit-memos",
        "Query credit memos (filter[]=field.EQ:value)",
        lambda c: billing_api.query(
            c.billing, "credit-memos", c.filters, c.first("pageSize"), c.first("cursor")
        ),
        answer="query-credit-memos-response",
    ),
    # The conformance control API, version 1.
    Route(
        "GET",
        "/conformance/v1",
        "Control API version and operations",
        lambda c: c.tenant.info(),
        answer="control-info-response",
    ),
    Route(
        "POST",
        "/conformance/v1/reset",
        "Start over with an empty tenant",
        lambda c: c.tenant.reset(),
        answer="control-ok-response",
    ),  # no body
    Route(
        "GET",
        "/conformance/v1/features",
        "Tenant features",
        lambda c: c.tenant.get_features(),
        answer="control-features-response",
    ),
    Route(
        "PUT",
        "/conformance/v1/features",
        "Switch tenant features",
        lambda c: c.tenant.put_features(c.body),
        "control-features",
        answer="control-features-response",
    ),
    Route(
        "GET",
        "/conformance/v1/clock",
        "The tenant's clock",
        lambda c: c.tenant.get_clock(),
        answer="control-clock-response",
    ),
    Route(
        "PUT",
        "/conformance/v1/clock",
        "Set the tenant's clock",
        lambda c: c.tenant.put_clock(c.body),
        "control-clock-request",
        answer="control-clock-response",
    ),
    Route(
        "POST",
        "/conformance/v1/clock/advance",
        "Move the clock forward; due bill runs run",
        lambda c: c.tenant.advance_clock(c.body),
        "control-clock-advance-request",
        answer="control-clock-response",
        conflict="Refused: the clock cannot go back",
    ),
    Route(
        "POST",
        "/conformance/v1/bill-runs/{key}/pause",
        "Pause a scheduled bill run",
        lambda c: c.tenant.pause(c.key),
        answer="bill-run-response",
    ),
    Route(
        "POST",
        "/conformance/v1/bill-runs/{key}/resume",
        "Resume a paused bill run",
        lambda c: c.tenant.resume(c.key),
        answer="bill-run-response",
    ),
    Route(
        "GET",
        "/conformance/v1/bill-runs/{key}/pending-occurrence",
        "The schedule's waiting occurrence",
        lambda c: c.tenant.pending_occurrence(c.key),
        answer="control-pending-occurrence-response",
    ),
    Route(
        "PUT",
        "/conformance/v1/bill-run-queue",
        "Create new bill runs held Pending, or as usual",
        lambda c: c.tenant.hold_new_bill_runs(c.body),
        "control-bill-run-queue-request",
        answer="control-ok-response",
    ),
    Route(
        "PUT",
        "/conformance/v1/bill-runs/{key}/hold",
        "Hold a bill run part-way through processing, posting or canceling",
        lambda c: c.tenant.hold(c.key, c.body),
        "control-bill-run-hold-request",
        answer="bill-run-response",
    ),
    Route(
        "POST",
        "/conformance/v1/bill-runs/{key}/release",
        "Release a held bill run: what was held is finished",
        lambda c: c.tenant.release(c.key),
        answer="bill-run-response",
    ),
    Route(
        "POST",
        "/conformance/v1/accounts/{key}/close",
        "Close an account",
        lambda c: c.tenant.close_account(c.key),
        answer="control-close-account-response",
    ),
)
