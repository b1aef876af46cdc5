"""Generate ``schemas/zuora-response-fields.json``: the fields of Zuora's answer to each operation.

Run ``.venv/bin/python -m tests.zuora_fields`` to rewrite the file after an SDK upgrade;
``tests/test_strict_server.py`` fails when the committed file drifts from what the installed
``zuora-sdk`` models say. The server reads the file (never the SDK) in ``--zuora-strict`` mode.

The file has three parts:

* ``operations``: each public operation as routed (``"GET /v1/invoices/{key}"``) and the name of
  the SDK model of its successful answer;
* ``envelope``: the model of a refusal (``success: false``), Zuora's ``CommonResponse``;
* ``models``: each model reachable from those, as a field tree: wire name (the pydantic alias) ->
  the model the field's value is made of (an object, or a list of them), or ``null`` when the
  value is kept whole (a scalar, a list of scalars, a free-form map such as ``customFields``).

A ``oneOf``/``anyOf`` wrapper is the union of its alternatives' fields. Exceptions to the SDK are
written in :data:`OVERRIDES`, with the reason.
"""

from __future__ import annotations

import json
import sys
import types
import typing
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tests.schema_support import SCHEMAS_DIR, one_of, sdk_fields, sdk_model

__all__ = ["FIELDS_FILE", "OPERATIONS", "OVERRIDES", "generate", "render"]

FIELDS_FILE: Path = SCHEMAS_DIR / "zuora-response-fields.json"

#: Each public operation, as the reference server routes it, and the SDK model of its answer
#: (the ``'200'``/``'201'``/``'202'`` entry of the SDK method's ``_response_types_map``).
OPERATIONS: dict[str, str] = {
    "POST /v1/accounts": "CreateAccountResponse",  # AccountsApi.create_account
    "GET /v1/accounts/{key}": "AccountDetailResponse",  # AccountsApi.get_account
    "GET /v1/catalog/products": "GetProductsResponse",  # ProductsApi.get_products
    # ProductRatePlansApi.get_rate_plans_by_product (the SDK's path is
    # /v1/rateplan/{product-key}/productRatePlan, the API reference's this one).
    "GET /v1/products/{key}/product-rate-plans": "GetProductRatePlansByProductResponse",
    "POST /v1/orders": "CreateOrderResponse",  # OrdersApi.create_order
    "POST /v1/async/orders": "CreateOrderAsyncResponse",  # OrdersApi.create_order_asynchronously (202)
    "GET /v1/async-jobs/{key}": "GetAsyncOrderJobResponse",  # OrdersApi.get_job_status_and_response
    "GET /v1/orders/{key}": "GetOrderResponse",  # OrdersApi.get_order
    "GET /v1/subscriptions/{key}": "GetSubscriptionResponse",  # SubscriptionsApi.get_subscription_by_key
    "POST /v1/bill-runs": "BillRunResponse",  # BillRunApi.create_bill_run
    "GET /v1/bill-runs/{key}": "BillRunResponse",  # BillRunApi.get_bill_run
    "DELETE /v1/bill-runs/{key}": "BillRunResponse",  # BillRunApi.delete_bill_run
    "PUT /v1/bill-runs/{key}/post": "BillRunResponse",  # BillRunApi.post_bill_run
    "PUT /v1/bill-runs/{key}/cancel": "CancelBillRunResponse",  # BillRunApi.cancel_bill_run
    "GET /v1/invoices/{key}": "InvoiceResponse",  # InvoicesApi.get_invoice
    "PUT /v1/invoices/{key}/post": "AsyncOperationResponse",  # InvoicesApi.post_invoice
    "GET /v1/credit-memos/{key}": "CreditMemoResponse",  # CreditMemosApi.get_credit_memo
    "PUT /v1/credit-memos/{key}/post": "CreditMemoResponse",  # CreditMemosApi.post_credit_memo
    "GET /v1/credit-memos/{key}/items": "CreditMemoItemsResponse",  # CreditMemosApi.get_credit_memo_items
    "POST /v1/payments": "PaymentResponse",  # PaymentsApi.create_payment
    "GET /object-query/invoices": "QueryInvoicesResponse",  # ObjectQueriesApi.query_invoices
    "GET /object-query/credit-memos": "QueryCreditMemosResponse",  # ObjectQueriesApi.query_credit_memos
}

#: The answer to any operation with ``success: false``.
ENVELOPE = "CommonResponse"

#: Fields whose value the SDK types otherwise, by model and wire name, with the reason.
OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("Product", "productRatePlans"): (
        "ProductRatePlan",
        "a URL string with Zuora-Version 230 or later (the SDK's type), the array of the product's "
        "rate plans without the header or with 229 or earlier: an array keeps the fields of a rate "
        "plan in GetProductRatePlansByProductResponse",
    ),
}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The SDK models an annotation's value is made of: itself, or its items (``List[X]``), or none
    for scalars and free-form maps (``Dict[str, ...]``, ``object``)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if origin in (list, tuple, set, frozenset):
        return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _fields(model: type[BaseModel]) -> dict[str, list[type[BaseModel]]]:
    """``model``'s wire fields and the models each is made of; a wrapper's alternatives merged."""
    alternatives = one_of(model)
    if alternatives:
        merged: dict[str, list[type[BaseModel]]] = {}
        for alternative in alternatives:
            for alias, models in _fields(alternative).items():
                merged.setdefault(alias, [])
                merged[alias] += [m for m in models if m not in merged[alias]]
        return merged
    found: dict[str, list[type[BaseModel]]] = {}
    for alias, field in sdk_fields(model).items():
        override = OVERRIDES.get((model.__name__, alias))
        found[alias] = [sdk_model(override[0])] if override else _models_in(field.annotation)
    return found


def _name(models: list[type[BaseModel]], models_out: dict[str, dict[str, str | None]]) -> str | None:
    """The name a field's value is reduced by: its one model (or a merge of several), else None."""
    if not models:
        return None
    if len(models) == 1:
        _tree(models[0], models_out)
        return models[0].__name__
    name = "|".join(sorted(m.__name__ for m in models))
    if name not in models_out:
        merged: dict[str, str | None] = {}
        for model in models:
            for alias, sub in _tree(model, models_out).items():
                merged[alias] = sub if merged.get(alias, sub) == sub else None
        models_out[name] = merged
    return name


def _tree(model: type[BaseModel], models_out: dict[str, dict[str, str | None]]) -> dict[str, str | None]:
    """``model``'s field tree, adding every model it reaches to ``models_out``."""
    name = model.__name__
    if name in models_out:
        return models_out[name]
    tree: dict[str, str | None] = {}
    models_out[name] = tree  # before descending: models may refer to themselves
    for alias, models in sorted(_fields(model).items()):
        tree[alias] = _name(models, models_out)
    return tree


def generate() -> dict[str, Any]:
    """The field knowledge, as the installed SDK's models give it."""
    models: dict[str, dict[str, str | None]] = {}
    for root in sorted({*OPERATIONS.values(), ENVELOPE}):
        _tree(sdk_model(root), models)
    return {
        "description": "The fields of Zuora's answer to each public operation, by the SDK model of the "
        "answer. Generated by tests/zuora_fields.py from the official zuora-sdk models; do not edit. "
        "models: wire name -> the model its value (an object or a list of objects) is made of, or null "
        "when the value is kept whole. Keys ending in __c are custom fields and always belong.",
        "sdk": f"zuora-sdk {version('zuora-sdk')}",
        "overrides": {f"{m}.{f}": f"{to}: {why}" for (m, f), (to, why) in sorted(OVERRIDES.items())},
        "envelope": ENVELOPE,
        "operations": dict(sorted(OPERATIONS.items())),
        "models": dict(sorted(models.items())),
    }


def render(knowledge: dict[str, Any]) -> str:
    """The file's text: stable, one field per line."""
    return json.dumps(knowledge, indent=1, sort_keys=False) + "\n"


if __name__ == "__main__":
    FIELDS_FILE.write_text(render(generate()), encoding="utf-8")
    sys.stdout.write(f"wrote {FIELDS_FILE}\n")
