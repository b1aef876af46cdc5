"""Why each invalid request example that the SDK model itself would accept is invalid: the Zuora
document or SDK docstring that states the rule the schema adds. Read by ``tests/test_sdk_contract.py``."""

from __future__ import annotations

# Rules the schemas add on top of the SDK's types, each with the document or docstring stating it.
_SYNC = "SDK ProcessingOptionsWithDelayedCapturePayment docstring"
_ORDERS_API = (
    "SDK OrdersApi.create_order_asynchronously docstring; docs.zuora.com cancel + write-off tutorial"
)
CASE_SOURCES: dict[str, str] = {
    "create-account-request/invalid/auto-pay-without-payment-method": (
        "SDK CreateAccountRequest.auto_pay description"
    ),
    "create-account-request/invalid/bill-cycle-day-32": "SDK CreateAccountRequest.bill_cycle_day description",
    "create-account-request/invalid/currency-two-letters": (
        "Zuora API reference, POST /v1/accounts: currency is a 3-letter code"
    ),
    "create-account-request/invalid/empty-name": (
        "Zuora API reference, POST /v1/accounts: name is 1 to 255 characters"
    ),
    "create-account-request/invalid/payment-term-net-45": "SDK CreateAccountRequest.payment_term description",
    "create-bill-run-request/invalid/ad-hoc-without-target-date": (
        "SDK CreateBillRunRequest.target_date description"
    ),
    "create-bill-run-request/invalid/as-run-day-on-ad-hoc-run": (
        "SDK CreateBillRunRequest.bill_cycle_day description"
    ),
    "create-bill-run-request/invalid/batch-51": "SDK CreateBillRunRequest.batches description",
    "create-bill-run-request/invalid/batches-and-filters": (
        "SDK CreateBillRunRequest docstring (batches or billRunFilters)"
    ),
    "create-bill-run-request/invalid/bill-cycle-day-32": (
        "SDK CreateBillRunRequest.bill_cycle_day description"
    ),
    "create-bill-run-request/invalid/bill-cycle-day-without-batches": (
        "SDK CreateBillRunRequest.bill_cycle_day description"
    ),
    "create-bill-run-request/invalid/day-of-month-on-weekly-run": (
        "SDK CreateBillRunRequest.invoice_date_day_of_month description"
    ),
    "create-bill-run-request/invalid/schedule-run-time-24": "SDK BillRunSchedule.run_time description (0-23)",
    "create-bill-run-request/invalid/unknown-bill-run-type": "SDK BillRunType enum (Regular, CatchUp)",
    "create-order-async-request/invalid/allow-payment-failure-not-supported": (
        "SDK AsyncOrderProcessingOptions fields"
    ),
    "create-order-async-request/invalid/both-existing-account-and-new-account": (
        "SDK CreateOrderRequest.existing_account_number description"
    ),
    "create-order-async-request/invalid/collect-payment-without-run-billing": _SYNC,
    "create-order-async-request/invalid/refund-not-supported": _ORDERS_API,
    "create-order-async-request/invalid/write-off-not-supported": _ORDERS_API,
    "create-order-async-request/invalid/write-off-behavior-not-supported": _ORDERS_API,
    "create-order-async-request/invalid/unknown-cancellation-policy": (
        "SDK SubscriptionCancellationPolicy enum"
    ),
    "create-order-async-request/invalid/unknown-externally-managed-by": "SDK ExternallyManagedBy enum",
    "create-order-request/invalid/both-existing-account-and-new-account": (
        "SDK CreateOrderRequest.existing_account_number description"
    ),
    "create-order-request/invalid/cancel-action-without-body": "SDK OrderActionType docstring",
    "create-order-request/invalid/cancel-body-on-create-action": "SDK OrderActionType docstring",
    "create-order-request/invalid/collect-payment-and-refund": _SYNC,
    "create-order-request/invalid/collect-payment-without-run-billing": _SYNC,
    "create-order-request/invalid/order-number-with-slash": "SDK CreateOrderRequest.order_number description",
    "create-order-request/invalid/processing-options-on-draft-order": _SYNC,
    "create-order-request/invalid/refund-without-amount": "SDK ProcessingOptions.refund_amount description",
    "create-order-request/invalid/specific-date-without-effective-date": (
        "SDK CancelSubscriptionRequest.cancellation_policy description"
    ),
    "create-order-request/invalid/unknown-application-order-item": (
        "SDK ProcessingOptions.application_order description"
    ),
    "create-order-request/invalid/unknown-cancellation-policy": "SDK SubscriptionCancellationPolicy enum",
    "create-order-request/invalid/unknown-order-action-type": "SDK OrderActionType enum",
    "create-order-request/invalid/unknown-trigger-date-name": "SDK TriggerDateName enum",
    "create-payment-request/invalid/electronic-without-effective-date": (
        "SDK CreatePaymentRequest.effective_date description"
    ),
    "create-payment-request/invalid/invoice-by-number-only": (
        "SDK CreatePaymentInvoiceApplication.invoice_id description"
    ),
    "create-payment-request/invalid/type-cash": (
        "SDK CreatePaymentRequest.type description (External, Electronic)"
    ),
    "create-payment-request/invalid/without-account": "SDK CreatePaymentRequest.account_id description",
    "post-invoice-request/invalid/bulk-item-id": "SDK PostAsyncInvoiceRequest fields",
}
