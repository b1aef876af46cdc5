"""Order request payloads (``POST /v1/orders`` and ``POST /v1/async/orders``) as pydantic models."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from reference_impl.wire.requests import WireInteger
from reference_impl.wire.types import (
    Contracted,
    OpenWire,
    StrictBool,
    StrictStr,
    Wire,
    WireDate,
    WireNumber,
)

__all__ = ["CreateOrderAsyncRequest", "CreateOrderRequest", "ProcessingOptions"]

OrderActionType = Literal[
    "CreateSubscription",
    "TermsAndConditions",
    "AddProduct",
    "UpdateProduct",
    "RemoveProduct",
    "RenewSubscription",
    "CancelSubscription",
    "OwnerTransfer",
    "Suspend",
    "Resume",
    "ChangePlan",
]
#: The body field that goes with each order action type.
BODY_FIELD: dict[str, str] = {
    "CreateSubscription": "create_subscription",
    "TermsAndConditions": "terms_and_conditions",
    "AddProduct": "add_product",
    "UpdateProduct": "update_product",
    "RemoveProduct": "remove_product",
    "RenewSubscription": "renew_subscription",
    "CancelSubscription": "cancel_subscription",
    "OwnerTransfer": "owner_transfer",
    "Suspend": "suspend",
    "Resume": "resume",
    "ChangePlan": "change_plan",
}
Text100 = Annotated[StrictStr, Field(max_length=100)]


class TriggerDate(Wire):
    name: Literal["ContractEffective", "ServiceActivation", "CustomerAcceptance"]
    trigger_date: WireDate | None = None


class CancelSubscription(Wire):
    cancellation_policy: Literal["EndOfCurrentTerm", "EndOfLastInvoicePeriod", "SpecificDate"]
    cancellation_effective_date: WireDate | None = None

    @model_validator(mode="after")
    def _specific_date_needs_a_date(self) -> CancelSubscription:
        if self.cancellation_policy == "SpecificDate" and self.cancellation_effective_date is None:
            msg = "cancellationEffectiveDate is required when cancellationPolicy is SpecificDate"
            raise ValueError(msg)
        return self


class RatePlan(OpenWire):
    product_rate_plan_id: StrictStr | None = None
    product_rate_plan_number: StrictStr | None = None


class InitialTerm(OpenWire):
    period: WireInteger | None = None
    period_type: Literal["Month", "Year", "Day", "Week"] | None = None
    term_type: Literal["TERMED", "EVERGREEN"] | None = None
    start_date: WireDate | None = None


class Terms(OpenWire):
    initial_term: InitialTerm | None = None
    renewal_terms: list[dict[str, Any]] | None = None
    auto_renew: StrictBool | None = None
    renewal_setting: StrictStr | None = None


class CreateSubscription(OpenWire):
    subscribe_to_rate_plans: list[RatePlan] | None = None
    terms: Terms | None = None
    subscription_number: StrictStr | None = None
    subscription_owner_account_number: StrictStr | None = None
    invoice_separately: StrictBool | None = None
    notes: StrictStr | None = None
    custom_fields: dict[str, Any] | None = None


class CreateOrderAction(Wire):
    type: OrderActionType
    trigger_dates: list[TriggerDate] | None = None
    custom_fields: dict[str, Any] | None = None
    change_reason: Annotated[StrictStr, Field(max_length=255)] | None = None
    create_subscription: CreateSubscription | None = None
    cancel_subscription: CancelSubscription | None = None
    terms_and_conditions: dict[str, Any] | None = None
    add_product: dict[str, Any] | None = None
    update_product: dict[str, Any] | None = None
    remove_product: dict[str, Any] | None = None
    renew_subscription: dict[str, Any] | None = None
    owner_transfer: dict[str, Any] | None = None
    suspend: dict[str, Any] | None = None
    resume: dict[str, Any] | None = None
    change_plan: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _body_matches_type(self) -> CreateOrderAction:
        own = BODY_FIELD[self.type]
        if self.type in ("CreateSubscription", "CancelSubscription") and getattr(self, own) is None:
            msg = f"an order action of type {self.type} needs its {own} field"
            raise ValueError(msg)
        for kind, name in BODY_FIELD.items():
            if kind != self.type and getattr(self, name) is not None and self.type != "RenewSubscription":
                msg = f"the field for {kind} does not belong to an order action of type {self.type}"
                raise ValueError(msg)
        return self


class CreateOrderSubscription(Wire):
    order_actions: list[CreateOrderAction]
    subscription_number: Annotated[StrictStr, Field(max_length=100)] | None = None
    custom_fields: dict[str, Any] | None = None
    clearing_custom_fields: list[Any] | None = None
    quote: dict[str, Any] | None = None
    ramp: dict[str, Any] | None = None
    notes: Annotated[StrictStr, Field(max_length=1000)] | None = None


class FinanceInformation(Wire):
    deferred_revenue_accounting_code: Text100 | None = None
    on_account_accounting_code: Text100 | None = None
    recognized_revenue_accounting_code: Text100 | None = None
    revenue_recognition_rule_name: Text100 | None = None


class WriteOffBehavior(Wire):
    finance_information: FinanceInformation | None = None


class BillingOptions(Wire):
    document_date: WireDate | None = None
    target_date: WireDate | None = None
    generate_draft_invoice: StrictBool | None = None
    credit_memo_reason_code: Annotated[StrictStr, Field(max_length=25)] | None = None
    charge_type_to_exclude: list[Literal["OneTime", "Recurring", "Usage", "Others"]] | None = None


class _CommonProcessing(Wire):
    run_billing: StrictBool | None = None
    collect_payment: StrictBool | None = None
    billing_options: BillingOptions | None = None
    electronic_payment_options: dict[str, Any] | None = None
    apply_credit: StrictBool | None = None
    application_order: list[Literal["CreditMemo", "UnappliedPayment"]] | None = None
    apply_credit_balance: StrictBool | None = None

    @model_validator(mode="after")
    def _collect_needs_billing(self) -> _CommonProcessing:
        if self.collect_payment and not self.run_billing:
            msg = "collectPayment cannot be true when runBilling is not true"
            raise ValueError(msg)
        return self


class ProcessingOptions(_CommonProcessing):
    """Synchronous processing options, write-off and refund included."""

    allow_payment_failure: StrictBool | None = None
    refund: StrictBool | None = None
    refund_amount: WireNumber | None = None
    refund_reason_code: StrictStr | None = None
    write_off: StrictBool | None = None
    write_off_behavior: WriteOffBehavior | None = None
    re_association: StrictBool | None = None

    @model_validator(mode="after")
    def _combinations(self) -> ProcessingOptions:
        if self.collect_payment and self.refund:
            msg = "collectPayment and refund cannot both be true"
            raise ValueError(msg)
        if self.refund and self.refund_amount is None:
            msg = "refundAmount is required when refund is true"
            raise ValueError(msg)
        return self


class AsyncProcessingOptions(_CommonProcessing):
    """Asynchronous processing options: no refund and no write-off fields at all."""


class NewAccount(OpenWire):
    name: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    currency: Annotated[StrictStr, Field(min_length=3, max_length=3)]
    bill_cycle_day: Annotated[WireInteger, Field(ge=0, le=31)]
    bill_to_contact: dict[str, Any]
    account_number: Annotated[StrictStr, Field(max_length=70)] | None = None


class _OrderRequestBase(Wire):
    order_date: WireDate
    existing_account_number: Annotated[StrictStr, Field(max_length=70)] | None = None
    new_account: NewAccount | None = None
    category: Literal["NewSales", "Return"] | None = None
    order_number: Annotated[StrictStr, Field(max_length=100, pattern=r"^[^/]*$")] | None = None
    description: Annotated[StrictStr, Field(max_length=500)] | None = None
    custom_fields: dict[str, Any] | None = None
    subscriptions: list[CreateOrderSubscription] | None = None
    order_line_items: list[dict[str, Any]] | None = None
    reason_code: Annotated[StrictStr, Field(max_length=255)] | None = None

    @model_validator(mode="after")
    def _one_account(self) -> _OrderRequestBase:
        if self.existing_account_number is not None and self.new_account is not None:
            msg = "give existingAccountNumber or newAccount, not both"
            raise ValueError(msg)
        return self


class CreateOrderRequest(_OrderRequestBase, Contracted):
    contract = ("create-order-request", None)
    processing_options: ProcessingOptions | None = None
    scheduling_options: dict[str, Any] | None = None
    status: StrictStr | None = None
    commitments: list[Any] | None = None


class CreateOrderAsyncRequest(_OrderRequestBase, Contracted):
    contract = ("create-order-async-request", None)
    processing_options: AsyncProcessingOptions | None = None
    externally_managed_by: Literal["Amazon", "Apple", "Google", "Roku"] | None = None
