"""Which SDK response model each response schema is generated from, and the enums the SDK
models type as plain strings. Read by :mod:`tests.sdk_schemas`."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.schema_support import (
    schema_id,
)

DRAFT = "https://json-schema.org/draft/2020-12/schema"
ERROR_ENVELOPE = schema_id("error-response")

#: Response fields the SDK types as a plain string although it defines (and mostly imports) the enum
#: class that is their type in Zuora's OpenAPI document.
IMPORTED_ENUMS: dict[str, dict[str, str]] = {
    "CreateOrderResponseWriteOff": {"status": "CreateOrderResponseWriteOffStatus"},
    "CreateOrderResponseRefunds": {"status": "CreateOrderResponseRefundStatus"},
    "CreateOrderResponseSubscriptions": {"status": "CreateOrderResponseSubscriptionStatus"},
    "Order": {"status": "OrderStatus"},
    "OrderAction": {"type": "OrderActionType"},
    "BillRunResponse": {"status": "BillRunStatus"},
    "CancelBillRunResponse": {"status": "BillRunStatus"},
    "BillRun": {"status": "BillRunStatus"},
    "InvoiceResponse": {"status": "BillingDocumentStatus"},
    "CreditMemoResponse": {
        "status": "BillingDocumentStatus",
        "sourceType": "MemoSourceType",
        "revenueImpacting": "MemoRevenueImpacting",
    },
    "PaymentResponse": {"status": "PaymentStatus", "type": "PaymentType"},
    "AccountBasicInfo": {"status": "AccountStatus"},
}


@dataclass(frozen=True)
class Spec:
    """How one response schema is generated: its SDK root model (or anchored models) and what to detail."""

    title: str
    description: str
    root: str | None
    anchors: dict[str, str] = field(default_factory=dict)
    expand: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)


ORDER_RESULT = frozenset(
    {
        "CreateOrderResponseSubscriptions",
        "CreateOrderResponseOrderAction",
        "CreateOrderResponseWriteOff",
        "CreateOrderResponseRefunds",
    }
)

SPECS: dict[str, Spec] = {
    "create-account-response": Spec(
        "Create an account: response body",
        "Body of POST /v1/accounts, as SDK CreateAccountResponse.",
        "CreateAccountResponse",
    ),
    "account-response": Spec(
        "Get an account: response body",
        "Body of GET /v1/accounts/{accountKey}, as SDK AccountDetailResponse.",
        "AccountDetailResponse",
        expand=frozenset({"AccountBasicInfo", "Contact", "AccountBillingAndPayment", "AccountMetrics"}),
    ),
    "catalog-response": Spec(
        "List the product catalog: response body",
        "Body of GET /v1/catalog/products, as SDK GetProductsResponse. Exception to the SDK: a product's "
        "productRatePlans is the URL string of its rate plans with Zuora-Version 230 or later (SDK Product) "
        "and the array of its rate plans without the header or with 229 or earlier; both are accepted.",
        "GetProductsResponse",
        expand=frozenset({"Product", "ProductFeature"}),
    ),
    "create-order-response": Spec(
        "Create an order: response body",
        "Body of POST /v1/orders, as SDK CreateOrderResponse. Which of subscriptionNumbers or "
        "subscriptions comes back depends on the Zuora-Version header; with returnIds the *Id fields "
        "come instead of the *Number fields.",
        "CreateOrderResponse",
        expand=ORDER_RESULT,
    ),
    "async-job-response": Spec(
        "Asynchronous order: submission and job status bodies",
        "Two bodies: the HTTP 202 answer of POST /v1/async/orders (#submitted, SDK CreateOrderAsyncResponse) "
        "and the job status from GET /v1/async-jobs/{jobId} (#job, SDK GetAsyncOrderJobResponse), whose "
        "result is a create-order or a preview-order result told apart by jobType. The root takes a body "
        "with jobId as the submission and any other body as a job status.",
        None,
        anchors={"submitted": "CreateOrderAsyncResponse", "job": "GetAsyncOrderJobResponse"},
        expand=ORDER_RESULT | {"GetAsyncCreateOrderJobResponse", "GetAsyncPreviewOrderJobResponse"},
    ),
    "get-order-response": Spec(
        "Get an order: response body",
        "Body of GET /v1/orders/{orderNumber}, as SDK GetOrderResponse.",
        "GetOrderResponse",
        expand=frozenset(
            {"Order", "OrderSubscriptions", "OrderAction", "OrderActionCancelSubscription", "TriggerDate"}
        ),
    ),
    "subscription-response": Spec(
        "Get a subscription: response body",
        "Body of GET /v1/subscriptions/{subscriptionKey}, as SDK GetSubscriptionResponse.",
        "GetSubscriptionResponse",
        expand=frozenset({"SubscriptionRatePlan"}),
    ),
    "bill-run-response": Spec(
        "Bill run: response body",
        "Body of creating, getting, posting or deleting a bill run (SDK BillRunResponse); canceling answers "
        "SDK CancelBillRunResponse, the #cancel anchor, which adds nextRun. $defs/billRun is a bill run "
        "without the envelope (SDK BillRun).",
        "BillRunResponse",
        anchors={"cancel": "CancelBillRunResponse"},
        expand=frozenset({"BillRun", "BillRunSchedule", "BillRunFilter", "OrganizationLabel"}),
        aliases={"billRun": "BillRun"},
    ),
    "invoice-response": Spec(
        "Get an invoice: response body",
        "Body of GET /v1/invoices/{invoiceKey}, as SDK InvoiceResponse.",
        "InvoiceResponse",
    ),
    "credit-memo-response": Spec(
        "Credit memo: response body",
        "Body of GET /v1/credit-memos/{creditMemoKey} and PUT /v1/credit-memos/{creditMemoKey}/post, as SDK "
        "CreditMemoResponse.",
        "CreditMemoResponse",
    ),
    "credit-memo-items-response": Spec(
        "List a credit memo's items: response body",
        "Body of GET /v1/credit-memos/{creditMemoKey}/items, as SDK CreditMemoItemsResponse "
        "(CreditMemosApi.get_credit_memo_items).",
        "CreditMemoItemsResponse",
        expand=frozenset({"CreditMemoItem", "CreditMemoItemFinanceInformation"}),
    ),
    "payment-response": Spec(
        "Create a payment: response body",
        "Body of POST /v1/payments, as SDK PaymentResponse.",
        "PaymentResponse",
        expand=frozenset({"GetPaymentFinanceInformation"}),
    ),
    "query-invoices-response": Spec(
        "Query invoices: response body",
        "Body of GET /object-query/invoices, as SDK QueryInvoicesResponse: one page of ExpandedInvoice "
        "and the cursor of the next page.",
        "QueryInvoicesResponse",
        expand=frozenset({"ExpandedInvoice"}),
    ),
    "query-credit-memos-response": Spec(
        "Query credit memos: response body",
        "Body of GET /object-query/credit-memos, as SDK QueryCreditMemosResponse: one page of "
        "ExpandedCreditMemo and the cursor of the next page.",
        "QueryCreditMemosResponse",
        expand=frozenset({"ExpandedCreditMemo"}),
    ),
    "async-operation-response": Spec(
        "Post an invoice: response body",
        "Body of PUT /v1/invoices/{invoiceKey}/post, as SDK AsyncOperationResponse "
        "(InvoicesApi.post_invoice).",
        "AsyncOperationResponse",
    ),
    "product-rate-plans-response": Spec(
        "List a product's rate plans: response body",
        "Body of listing a product's rate plans, as SDK GetProductRatePlansByProductResponse "
        "(ProductRatePlansApi.get_rate_plans_by_product; the SDK's path is "
        "/v1/rateplan/{product-key}/productRatePlan, the API reference's /v1/products/{product-key}/"
        "product-rate-plans).",
        "GetProductRatePlansByProductResponse",
        expand=frozenset(
            {"ProductRatePlan", "ProductRatePlanChargeRest", "GetProductRatePlanChargePricingType"}
        ),
    ),
}
