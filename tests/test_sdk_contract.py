"""The request schemas against the official SDK: what it sends is accepted, what they accept it parses.

``sdk_validate`` checks a payload with the SDK model's own types, enums and required fields (the
SDK itself builds models with ``construct()`` and checks nothing). Valid corpus examples must pass
it; an invalid example must either fail it or carry a ``source`` naming the Zuora document or SDK
docstring that states the rule the schema adds. Requests built with the SDK's models and
serialized the way its ``ApiClient`` sends them must be accepted by the request schemas.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel, ValidationError
from zuora_sdk.api_client import ApiClient
from zuora_sdk.models.async_order_processing_options import AsyncOrderProcessingOptions
from zuora_sdk.models.billing_options import BillingOptions
from zuora_sdk.models.cancel_bill_run_request import CancelBillRunRequest
from zuora_sdk.models.create_account_contact import CreateAccountContact
from zuora_sdk.models.create_account_request import CreateAccountRequest
from zuora_sdk.models.create_bill_run_request import CreateBillRunRequest
from zuora_sdk.models.create_order_action import CreateOrderAction
from zuora_sdk.models.create_order_async_request import CreateOrderAsyncRequest
from zuora_sdk.models.create_order_create_subscription import CreateOrderCreateSubscription
from zuora_sdk.models.create_order_request import CreateOrderRequest
from zuora_sdk.models.create_order_subscription import CreateOrderSubscription
from zuora_sdk.models.create_payment_invoice_application import CreatePaymentInvoiceApplication
from zuora_sdk.models.create_payment_request import CreatePaymentRequest
from zuora_sdk.models.order_action_cancel_subscription import OrderActionCancelSubscription
from zuora_sdk.models.order_action_type import OrderActionType
from zuora_sdk.models.post_async_invoice_request import PostAsyncInvoiceRequest
from zuora_sdk.models.post_bill_run_request import PostBillRunRequest
from zuora_sdk.models.processing_options import ProcessingOptions
from zuora_sdk.models.processing_options_with_delayed_capture_payment import (
    ProcessingOptionsWithDelayedCapturePayment,
)
from zuora_sdk.models.trigger_date import TriggerDate
from zuora_sdk.models.trigger_date_name import TriggerDateName

from schemas.contract import violations
from tests.schema_support import REQUEST_MODELS, CorpusCase, corpus_cases, sdk_model, sdk_validate
from tests.sdk_case_sources import CASE_SOURCES

M = TypeVar("M", bound=BaseModel)
CASES = [case for case in corpus_cases() if case.stem in REQUEST_MODELS]
DAY = date(2026, 3, 16)


def sdk(model: type[M], **fields: Any) -> M:
    """An SDK model built the way an SDK user builds it (its ``__init__`` is untyped)."""
    return model(**fields)


def _sent(model: BaseModel) -> Any:
    """The JSON body the SDK's ``ApiClient`` sends for ``model``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ApiClient().sanitize_for_serialization(model)  # type: ignore[no-untyped-call]


def _without_custom_fields(payload: Any) -> Any:
    """``payload`` without ``*__c`` custom fields, which the SDK keeps as additional properties."""
    if isinstance(payload, dict):
        return {k: _without_custom_fields(v) for k, v in payload.items() if not k.endswith("__c")}
    if isinstance(payload, list):
        return [_without_custom_fields(item) for item in payload]
    return payload


def _sdk_refusal(case: CorpusCase) -> str | None:
    try:
        sdk_validate(sdk_model(REQUEST_MODELS[case.stem]), _without_custom_fields(case.instance))
    except ValidationError as error:
        return str(error)
    return None


# --- the strict SDK check itself --------------------------------------------------------------------


def test_the_strict_sdk_check_refuses_a_wrong_type() -> None:
    """A string where the SDK types a boolean is refused, so the check really checks types."""
    with pytest.raises(ValidationError, match="cancelOnce"):
        sdk_validate(CancelBillRunRequest, {"cancelOnce": "yes"})
    assert CancelBillRunRequest.from_dict({"cancelOnce": "yes"}) is not None  # the SDK's own parse does not


def test_the_strict_sdk_check_refuses_a_missing_required_field_and_a_bad_enum() -> None:
    """orderDate is required by CreateOrderRequest, and its category takes OrderCategory values only."""
    with pytest.raises(ValidationError, match="orderDate"):
        sdk_validate(CreateOrderRequest, {"existingAccountNumber": "A1"})
    with pytest.raises(ValidationError, match="category"):
        sdk_validate(CreateOrderRequest, {"orderDate": "2026-03-16", "category": "Upgrade"})


# --- (a) the corpus -----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [c for c in CASES if c.valid], ids=lambda c: c.id)
def test_valid_request_examples_parse_with_the_sdk_model(case: CorpusCase) -> None:
    """Every valid request example is a body the SDK's request model accepts with its types checked."""
    assert _sdk_refusal(case) is None


@pytest.mark.parametrize("case", [c for c in CASES if not c.valid], ids=lambda c: c.id)
def test_invalid_request_examples_are_refused_by_the_sdk_or_cite_a_document(case: CorpusCase) -> None:
    """An invalid example the SDK model would accept names the document that rules it out."""
    source = (CASE_SOURCES.get(case.id) or "").strip()
    assert _sdk_refusal(case) is not None or source, f"{case.id}: the SDK accepts it and no source is cited"


def test_every_cited_source_belongs_to_an_invalid_example() -> None:
    """The table of sources names only invalid examples that exist."""
    invalid = {case.id for case in CASES if not case.valid}
    assert set(CASE_SOURCES) <= invalid


# --- (b) requests built with the SDK's models -----------------------------------------------------------


def _cancel_action() -> CreateOrderAction:
    return sdk(
        CreateOrderAction,
        type=OrderActionType.CANCELSUBSCRIPTION,
        trigger_dates=[
            sdk(TriggerDate, name=name, trigger_date=DAY)
            for name in (
                TriggerDateName.CUSTOMERACCEPTANCE,
                TriggerDateName.SERVICEACTIVATION,
                TriggerDateName.CONTRACTEFFECTIVE,
            )
        ],
        cancel_subscription=sdk(
            OrderActionCancelSubscription, cancellation_policy="SpecificDate", cancellation_effective_date=DAY
        ),
    )


def _cancel_order(processing: Any) -> dict[str, Any]:
    return {
        "order_date": DAY,
        "existing_account_number": "A00000850",
        "category": "NewSales",
        "custom_fields": {},
        "subscriptions": [
            sdk(CreateOrderSubscription, subscription_number="A-S00002089", order_actions=[_cancel_action()])
        ],
        "processing_options": processing,
    }


def _billing() -> BillingOptions:
    return sdk(BillingOptions, document_date=DAY, target_date=DAY)


def _parsed(model: type[M], body: dict[str, Any]) -> M:
    built = model.from_dict(body)  # type: ignore[attr-defined]
    assert isinstance(built, model)
    return built


def _sdk_requests() -> dict[str, tuple[str, BaseModel]]:
    subscribe = sdk(
        CreateOrderAction,
        type=OrderActionType.CREATESUBSCRIPTION,
        trigger_dates=[sdk(TriggerDate, name=TriggerDateName.CONTRACTEFFECTIVE, trigger_date=DAY)],
        create_subscription=_parsed(
            CreateOrderCreateSubscription,
            {
                "subscribeToRatePlans": [{"productRatePlanId": "8a8aa0b1000000000000000000000001"}],
                "terms": {
                    "initialTerm": {
                        "period": 12,
                        "periodType": "Month",
                        "termType": "TERMED",
                        "startDate": "2026-03-16",
                    },
                    "renewalTerms": [{"period": 12, "periodType": "Month"}],
                    "autoRenew": True,
                },
            },
        ),
    )
    return {
        "cancel with write-off (tutorial)": (
            "create-order-request",
            sdk(
                CreateOrderRequest,
                **_cancel_order(
                    sdk(
                        ProcessingOptionsWithDelayedCapturePayment,
                        run_billing=False,
                        collect_payment=False,
                        write_off=True,
                        billing_options=_billing(),
                    )
                ),
            ),
        ),
        "cancel asynchronously (no write-off)": (
            "create-order-async-request",
            sdk(
                CreateOrderAsyncRequest,
                **_cancel_order(
                    sdk(
                        AsyncOrderProcessingOptions,
                        run_billing=False,
                        collect_payment=False,
                        billing_options=_billing(),
                    )
                ),
            ),
        ),
        "create subscription": (
            "create-order-request",
            sdk(
                CreateOrderRequest,
                order_date=DAY,
                existing_account_number="A00000850",
                subscriptions=[sdk(CreateOrderSubscription, order_actions=[subscribe])],
                processing_options=sdk(
                    ProcessingOptionsWithDelayedCapturePayment, run_billing=True, collect_payment=False
                ),
            ),
        ),
        "create subscription asynchronously": (
            "create-order-async-request",
            sdk(
                CreateOrderAsyncRequest,
                order_date=DAY,
                existing_account_number="A00000850",
                subscriptions=[sdk(CreateOrderSubscription, order_actions=[subscribe])],
                processing_options=sdk(AsyncOrderProcessingOptions, run_billing=True, collect_payment=False),
            ),
        ),
        "create account": (
            "create-account-request",
            sdk(
                CreateAccountRequest,
                name="Acme",
                currency="USD",
                bill_cycle_day=1,
                bill_to_contact=sdk(CreateAccountContact, first_name="Ada", last_name="Lovelace"),
            ),
        ),
        "create ad-hoc bill run": (
            "create-bill-run-request",
            sdk(CreateBillRunRequest, target_date=DAY, invoice_date=DAY, batches=["AllBatches"]),
        ),
        "create scheduled bill run": (
            "create-bill-run-request",
            _parsed(
                CreateBillRunRequest,
                {
                    "batches": ["AllBatches"],
                    "schedule": {"repeatType": "Monthly", "repeatFrom": "2026-05-01", "runTime": 0},
                },
            ),
        ),
        "cancel bill run": ("cancel-bill-run-request", sdk(CancelBillRunRequest, cancel_once=True)),
        "cancel bill run, empty": ("cancel-bill-run-request", sdk(CancelBillRunRequest)),
        "post bill run": ("post-bill-run-request", sdk(PostBillRunRequest, invoice_date=DAY)),
        "post bill run, empty": ("post-bill-run-request", sdk(PostBillRunRequest)),
        "post invoice": ("post-invoice-request", sdk(PostAsyncInvoiceRequest, invoice_date=DAY)),
        "post invoice, empty": ("post-invoice-request", sdk(PostAsyncInvoiceRequest)),
        "payment": (
            "create-payment-request",
            sdk(
                CreatePaymentRequest,
                account_id="8a8a0001000000000000000000000001",
                amount=30.0,
                currency="USD",
                type="External",
                effective_date=DAY,
                invoices=[
                    sdk(
                        CreatePaymentInvoiceApplication,
                        invoice_id="8a8a0004000000000000000000000001",
                        amount=30.0,
                    )
                ],
            ),
        ),
    }


SDK_REQUESTS = _sdk_requests()


@pytest.mark.parametrize("name", sorted(SDK_REQUESTS))
def test_a_request_built_with_the_sdk_is_accepted(name: str) -> None:
    """The body the SDK sends for a request built with its own models keeps to our request schema."""
    stem, model = SDK_REQUESTS[name]
    body = _sent(model)
    assert [str(v) for v in violations(stem, body)] == []
    sdk_validate(sdk_model(REQUEST_MODELS[stem]), body)


def test_the_sdk_sync_processing_options_always_send_allow_payment_failure() -> None:
    """The reported async refusal: the SDK's sync options serialize allowPaymentFailure false by default."""
    assert _sent(sdk(ProcessingOptions, run_billing=False)) == {
        "runBilling": False,
        "allowPaymentFailure": False,
    }
    assert "allowPaymentFailure" not in _sent(sdk(AsyncOrderProcessingOptions, run_billing=False))


def test_an_async_order_reusing_sync_options_carries_a_field_the_async_model_lacks() -> None:
    """A sync body re-parsed as CreateOrderAsyncRequest keeps allowPaymentFailure as an extra: refused."""
    options = sdk(ProcessingOptionsWithDelayedCapturePayment, run_billing=False, collect_payment=False)
    sync = sdk(CreateOrderRequest, **_cancel_order(options))
    reused = CreateOrderAsyncRequest.from_dict(_sent(sync))
    assert reused is not None
    body = _sent(reused)
    assert body["processingOptions"]["allowPaymentFailure"] is False
    found = violations("create-order-async-request", body)
    assert found
    assert "allowPaymentFailure" in str(found[0])
    with pytest.raises(ValidationError, match="allowPaymentFailure"):
        sdk_validate(CreateOrderAsyncRequest, body)
