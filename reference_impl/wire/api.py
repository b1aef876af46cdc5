"""Zuora v1 operations over the reference implementation, transport-free.

Each function takes a decoded JSON body (non-integer numbers as Decimal) and returns a
:class:`Reply`: the HTTP status and the body Zuora would send. Invalid payloads get Zuora's error
envelope with a category from the kind of fault (unknown field 21, missing field 22, otherwise
invalid value 20); a refusal by the domain keeps its own category. Nothing here raises for bad
input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import ValidationError

from reference_impl.billing import Billing
from reference_impl.currency import is_currency
from reference_impl.document import FinanceInformation
from reference_impl.order import (
    CancellationPolicy,
    NewAccount,
    OrderAction,
    OrderRequest,
    Processing,
    SubscriptionChange,
)
from reference_impl.rejection import Category, Rejection
from reference_impl.wire.codec import plain
from reference_impl.wire.orders import (
    CreateOrderAction,
    CreateOrderAsyncRequest,
    CreateOrderRequest,
    ProcessingOptions,
)
from reference_impl.wire.responses import ErrorResponse, job_response, order_response, response_style
from reference_impl.wire.types import Contracted, ContractViolation, Wire
from schemas.contract import clip, shorten, violations

__all__ = [
    "Reply",
    "WireModels",
    "create_order",
    "create_order_async",
    "currency_fault",
    "get_async_job",
    "get_order",
    "invalid",
    "refusal",
]

C = TypeVar("C", bound=Contracted)
#: Zuora's limit on the ``Idempotency-Key`` header: at most 255 characters, as "Create an order"
#: (*header Parameters*) and the SDK (``max_length=255``) say. The guide "Idempotent requests"
#: says "less than 255"; the reference takes the longer, not to refuse what Zuora may take.
MAX_IDEMPOTENCY_KEY = 255
#: The refusal of a key already kept for another order: Zuora's "Idempotent requests" answers a
#: key reused for a request that does not match the first with 422 Unprocessable Content.
KEY_REUSED = "order-idempotency-key-reused"

_CATEGORY_OF_ERROR = {"extra_forbidden": Category.UNKNOWN_FIELD, "missing": Category.MISSING_FIELD}


@dataclass(frozen=True)
class WireModels:
    """The request models an implementation accepts.

    A tenant's billing may carry its own as ``wire_models`` (the kit's known-bad variants do, to
    break a rule that the payload check enforces); otherwise these are used.
    """

    order: type[CreateOrderRequest] = CreateOrderRequest
    async_order: type[CreateOrderAsyncRequest] = CreateOrderAsyncRequest


def _models(billing: Billing) -> WireModels:
    models = getattr(billing, "wire_models", None)
    return models if isinstance(models, WireModels) else WireModels()


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


def checked(stem: str, body: dict[str, Any], anchor: str | None = None) -> dict[str, Any]:
    """``body`` with dates as strings, after making sure it keeps to its schema.

    A body of the reference that breaks its own schema is a bug of the reference, not bad input.
    """
    rendered = plain(body)
    assert isinstance(rendered, dict)
    found = violations(stem, rendered, anchor)
    if found:
        msg = f"the reference produced a {stem} body that breaks its schema: {found[0]}"
        raise AssertionError(msg)
    return rendered


def _dump(model: Wire) -> dict[str, Any]:
    """The body for ``model``, checked against the model's schema."""
    dumped = model.model_dump(by_alias=True, exclude_none=True)
    if isinstance(model, Contracted):
        return checked(model.contract[0], dumped, model.contract[1])
    rendered = plain(dumped)
    assert isinstance(rendered, dict)
    return rendered


def refusal(rejection: Rejection, status: int | None = None) -> Reply:
    """A domain refusal as Zuora reports it: 404 when something is not found, otherwise
    ``status`` (create-order refusals come back as HTTP 200, the rest as 400). Input the message
    quotes is cut short (:func:`~schemas.contract.clip`)."""
    if status is None:
        status = 404 if rejection.category is Category.NOT_FOUND else 400
    clipped = Rejection(rejection.code, rejection.category, clip(rejection.message))
    return Reply(status, _dump(ErrorResponse.of(clipped)))


def invalid(error: ValidationError, resource: str) -> Reply:
    """A payload that does not fit the model, with every fault named by its field path."""
    first = error.errors()[0]
    category = _CATEGORY_OF_ERROR.get(first["type"], Category.INVALID_VALUE)
    faults = "; ".join(
        f"{shorten('.'.join(str(part) for part in e['loc'])) or 'body'}: {clip(e['msg'])}"
        for e in error.errors()[:5]
    )
    return refusal(Rejection(f"{resource}-invalid", category, faults), 400)


def parse(model: type[C], body: object, resource: str) -> C | Reply:
    """The payload as ``model``, or the refusal that names the first field at fault."""
    try:
        return model.from_wire(body)
    except ContractViolation as error:
        first = error.violations[0]
        faults = "; ".join(str(v) for v in error.violations[:5])
        return refusal(Rejection(f"{resource}-invalid", Category(first.category), faults), 400)
    except ValidationError as error:
        return invalid(error, resource)


def currency_fault(code: str | None, resource: str, where: str = "currency") -> Rejection | None:
    """The refusal when ``code`` is given but is not an active ISO 4217 currency code."""
    if code is None or is_currency(code):
        return None
    message = f"{where}: {shorten(code)!r} is not an active ISO 4217 currency code"
    return Rejection(f"{resource}-invalid", Category.INVALID_VALUE, message)


def _scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | Decimal | bool)


def _order_fault(
    request: CreateOrderRequest | CreateOrderAsyncRequest, *, custom_fields: bool = True
) -> Rejection | None:
    """The refusal when the new account's currency is not ISO 4217's, or (with ``custom_fields``)
    a custom field of the order or of an order action holds an object or an array: Zuora's custom
    fields are text, numbers, dates, picklists or booleans, each one value.

    The asynchronous operation does not check custom fields: its order refusals end a job as
    Failed (202), which only the domain makes, and the schema lets any value through."""
    if request.new_account is not None:
        fault = currency_fault(request.new_account.currency, "order", "newAccount.currency")
        if fault is not None or not custom_fields:
            return fault
    if not custom_fields:
        return None
    places = [("customFields", request.custom_fields)]
    for s, subscription in enumerate(request.subscriptions or ()):
        for a, action in enumerate(subscription.order_actions):
            places.append((f"subscriptions.{s}.orderActions.{a}.customFields", action.custom_fields))
    for where, fields in places:
        for name, value in (fields or {}).items():
            if not _scalar(value):
                message = f"{where}.{shorten(name)}: a custom field holds one text, number, boolean or null"
                return Rejection("order-invalid", Category.INVALID_VALUE, message)
    return None


def _action(action: CreateOrderAction) -> OrderAction:
    triggers: dict[str, date] = {t.name: t.trigger_date for t in action.trigger_dates or () if t.trigger_date}
    create, cancel = action.create_subscription, action.cancel_subscription
    plan_keys: tuple[str, ...] = ()
    term_months: int | None = 12
    if create is not None:
        plan_keys = tuple(
            p.product_rate_plan_id or p.product_rate_plan_number or ""
            for p in create.subscribe_to_rate_plans or ()
        )
        initial = create.terms.initial_term if create.terms is not None else None
        if initial is not None and initial.term_type == "EVERGREEN":
            term_months = None
        elif initial is not None and initial.period is not None:
            term_months = initial.period * (12 if initial.period_type == "Year" else 1)
    return OrderAction(
        kind=action.type,
        trigger_dates=triggers,
        custom_fields=dict(action.custom_fields or {}),
        plan_keys=plan_keys,
        term_months=term_months,
        policy=CancellationPolicy(cancel.cancellation_policy) if cancel is not None else None,
        effective_date=cancel.cancellation_effective_date if cancel is not None else None,
    )


def _processing(options: Any) -> Processing:  # noqa: ANN401 - either kind of processing options
    if options is None:
        return Processing()  # no write-off, so nothing it needs can be missing
    billing = options.billing_options
    finance = None
    if isinstance(options, ProcessingOptions) and options.write_off_behavior is not None:
        info = options.write_off_behavior.finance_information
        if info is not None:
            finance = FinanceInformation(
                info.deferred_revenue_accounting_code,
                info.on_account_accounting_code,
                info.recognized_revenue_accounting_code,
                info.revenue_recognition_rule_name,
            )
    stated = {
        "runBilling": options.run_billing,
        "collectPayment": options.collect_payment,
        "billingOptions.documentDate": billing.document_date if billing else None,
        "billingOptions.targetDate": billing.target_date if billing else None,
    }
    return Processing(
        unstated=frozenset(name for name, value in stated.items() if value is None),
        run_billing=bool(options.run_billing),
        collect_payment=bool(options.collect_payment),
        write_off=bool(getattr(options, "write_off", False)),
        document_date=billing.document_date if billing else None,
        target_date=billing.target_date if billing else None,
        generate_draft_invoice=bool(billing and billing.generate_draft_invoice),
        write_off_finance=finance,
        credit_memo_reason_code=billing.credit_memo_reason_code if billing else None,
    )


def _command(request: CreateOrderRequest | CreateOrderAsyncRequest) -> OrderRequest:
    new = request.new_account
    return OrderRequest(
        order_date=request.order_date,
        subscriptions=tuple(
            SubscriptionChange(tuple(_action(a) for a in s.order_actions), s.subscription_number)
            for s in request.subscriptions or ()
        ),
        existing_account_number=request.existing_account_number,
        new_account=None if new is None else NewAccount(new.name, new.currency, new.bill_cycle_day),
        processing=_processing(request.processing_options),
        order_number=request.order_number,
        category=request.category or "NewSales",
        description=request.description,
        custom_fields=dict(request.custom_fields or {}),
    )


def create_order(
    billing: Billing, body: object, *, zuora_version: str | None = None, idempotency_key: str | None = None
) -> Reply:
    """``POST /v1/orders``; with an ``Idempotency-Key``, a retry gets the first answer back (the
    order, or the refusal), and another order sent with the key is refused with 422."""
    request = parse(_models(billing).order, body, "order")
    if isinstance(request, Reply):
        return request
    if idempotency_key is not None and not 0 < len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        message = "An Idempotency-Key has 1 to 255 characters."
        return refusal(Rejection("order-idempotency-key", Category.INVALID_VALUE, message), 400)
    fault = _order_fault(request)
    if fault is not None:
        return refusal(fault, 200)
    order = billing.create_order(_command(request), idempotency_key=idempotency_key)
    if isinstance(order, Rejection) and order.code == KEY_REUSED:
        return refusal(order, 422)
    if isinstance(order, Rejection):
        return refusal(order, 404 if order.category is Category.NOT_FOUND else 200)
    style = response_style(zuora_version)
    return Reply(
        200, _dump(order_response(order, style=style, settlement=billing.features.invoice_settlement))
    )


def create_order_async(billing: Billing, body: object) -> Reply:
    """``POST /v1/async/orders``: 202 with a job id, or a refusal that changed nothing."""
    request = parse(_models(billing).async_order, body, "order")
    if isinstance(request, Reply):
        return request
    fault = _order_fault(request, custom_fields=False)
    if fault is not None:
        return refusal(fault, 400)
    job = billing.create_order_async(_command(request))
    if isinstance(job, Rejection):
        return refusal(job, 400)
    return Reply(202, {"jobId": job.id, "success": True})


def get_async_job(billing: Billing, job_id: str, *, zuora_version: str | None = None) -> Reply:
    """``GET /v1/async-jobs/{jobId}``."""
    job = billing.async_job(job_id)
    if isinstance(job, Rejection):
        return refusal(job, 404)
    style = response_style(zuora_version)
    return Reply(200, _dump(job_response(job, style=style, settlement=billing.features.invoice_settlement)))


def get_order(billing: Billing, order_number: str) -> Reply:
    """``GET /v1/orders/{orderNumber}``: the order as it was processed."""
    order = billing.order(order_number)
    if isinstance(order, Rejection):
        return refusal(order, 404)
    actions = iter(order.action_custom_fields)
    subscriptions: dict[str, list[dict[str, Any]]] = {}
    for kind, number in order.actions:
        subscriptions.setdefault(number, []).append({"type": kind, "customFields": dict(next(actions, {}))})
    body = {
        "success": True,
        "order": {
            "orderNumber": order.number,
            "orderDate": order.order_date.isoformat(),
            "status": order.status,
            "category": order.category,
            "existingAccountNumber": order.account_number,
            "customFields": dict(order.custom_fields),
            "subscriptions": [{"subscriptionNumber": n, "orderActions": a} for n, a in subscriptions.items()],
        },
    }
    if order.description is not None:
        body["order"]["description"] = order.description  # type: ignore[index]
    return Reply(200, checked("get-order-response", body))
