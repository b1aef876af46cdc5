"""The response schemas are generated from the official SDK's response models, and stay so.

Run ``.venv/bin/python -m tests.test_sdk_response_schemas`` to rewrite them after an SDK upgrade;
the tests below fail when a committed schema drifts from what the SDK models say.

How an SDK model becomes a schema: every wire field (the pydantic alias) is a property with the
JSON type of its Python type; a field that is ``Optional`` in the SDK also accepts ``null``; enums
come from the SDK's enum classes and ``*_validate_enum`` validators; only fields the SDK requires
are required; unknown properties are allowed (Zuora adds fields, and custom fields end in ``__c``).
Lengths, patterns and bounds are the SDK's.
Nested models are detailed only where the kit reads them (``expand`` below), and are otherwise any
object. A body with ``success: false`` must be the error envelope of ``error-response``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import json
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import zuora_sdk.models as zuora_models
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from tests.schema_support import (
    SCHEMA_BASE_URI,
    SCHEMAS_DIR,
    SdkField,
    load_schemas,
    one_of,
    registry,
    schema_id,
    sdk_fields,
    sdk_model,
    validator_enum,
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


# --- the generator ---------------------------------------------------------------------------------


def _humane(alias: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", alias.split("__", maxsplit=1)[0]).lower()
    return words[:1].upper() + words[1:]


def _json_type(python: Any) -> str | None:
    if python is bool:
        return "boolean"
    if python is int:
        return "integer"
    if python in (float, decimal.Decimal):
        return "number"
    if python in (str, datetime.date, datetime.datetime):
        return "string"
    return None


def _unannotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _metadata(annotation: Any) -> Iterator[Any]:
    while typing.get_origin(annotation) is typing.Annotated:
        for item in getattr(annotation, "__metadata__", ()):
            yield item
            yield from getattr(item, "metadata", ())
        annotation = typing.get_args(annotation)[0]


_LIMITS = {
    ("max_length", "string"): "maxLength",
    ("min_length", "string"): "minLength",
    ("max_length", "array"): "maxItems",
    ("min_length", "array"): "minItems",
    ("ge", None): "minimum",
    ("le", None): "maximum",
    ("gt", None): "exclusiveMinimum",
    ("lt", None): "exclusiveMaximum",
    ("pattern", "string"): "pattern",
}


def _limits(annotation: Any, kind: str | None) -> dict[str, Any]:
    """The SDK's length, pattern and bound constraints of an ``Annotated`` type, as JSON Schema keywords."""
    found: dict[str, Any] = {}
    for item in _metadata(annotation):
        for (attribute, applies_to), keyword in _LIMITS.items():
            value = getattr(item, attribute, None)
            if value is not None and applies_to in (None, kind) and not isinstance(value, bool):
                found[keyword] = value
    return found


def _nullable(shape: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in shape or "anyOf" in shape:
        return {"anyOf": [shape, {"type": "null"}]}
    out = dict(shape)
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        out["type"] = [*kind, "null"]
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.defs: dict[str, dict[str, Any]] = {}

    def model(self, model: type[BaseModel]) -> dict[str, Any]:
        """The schema of a model's body (its properties), without title or envelope."""
        fields = sdk_fields(model)
        shape: dict[str, Any] = {"type": "object", "properties": {}}
        for alias, sdk in fields.items():
            shape["properties"][alias] = self.property(sdk)
        required = [alias for alias, sdk in fields.items() if sdk.required]
        if required:
            shape["required"] = required
        if "success" in fields and "reasons" in fields:
            shape["allOf"] = [
                {
                    "description": "A failed call is an error envelope.",
                    "if": {"properties": {"success": {"const": False}}, "required": ["success"]},
                    "then": {"$ref": ERROR_ENVELOPE},
                }
            ]
        return shape

    def property(self, sdk: SdkField) -> dict[str, Any]:
        owner = sdk.owner.__name__
        shape = self.type_of(sdk.annotation)
        imported = IMPORTED_ENUMS.get(owner, {}).get(sdk.alias)
        allowed = validator_enum(sdk.owner, sdk.name)
        if imported:
            shape = {"type": "string", "enum": [e.value for e in getattr(zuora_models, imported)]}
        elif allowed is not None and shape.get("type") == "string":
            shape = {"type": "string", "enum": allowed}
        elif allowed is not None and shape.get("type") == "array":
            shape = {"type": "array", "items": {"type": "string", "enum": allowed}}
        if owner == "FailedReason" and sdk.alias == "code":
            shape = {"type": ["string", "number"]}
        if owner == "Product" and sdk.alias == "productRatePlans":
            legacy = {
                "description": "A rate plan in the pre-230 catalog shape, which the SDK no longer models.",
                "type": "object",
            }
            shape = {"anyOf": [{"type": "string"}, {"type": "array", "items": legacy}]}
        if sdk.nullable:
            shape = _nullable(shape)
        return {"description": self.describe(sdk, imported), **shape}

    def describe(self, sdk: SdkField, imported: str | None) -> str:
        owner = sdk.owner.__name__
        note = f"; values of {imported}" if imported else ""
        if owner == "FailedReason" and sdk.alias == "code":
            note = "; a string in the SDK, a number in Zuora's published example: both are accepted"
        if owner == "Product" and sdk.alias == "productRatePlans":
            note = "; a URL (Zuora-Version 230 or later) or, before that version, the rate plans themselves"
        return f"{_humane(sdk.alias)} (SDK {owner}.{sdk.name}{note})."

    def type_of(self, annotation: Any) -> dict[str, Any]:
        shape = self._type_of(_unannotated(annotation))
        kind = shape.get("type")
        return {**shape, **_limits(annotation, kind if isinstance(kind, str) else None)}

    def _type_of(self, annotation: Any) -> dict[str, Any]:
        origin = typing.get_origin(annotation)
        if origin in (list, set):
            (item,) = typing.get_args(annotation)
            return {"type": "array", "items": self.type_of(item)}
        if origin is dict:
            return {"type": "object"}
        if origin is typing.Union:
            kinds = {_json_type(_unannotated(arg)) for arg in typing.get_args(annotation)}
            if kinds <= {"number", "integer"}:
                return {"type": "number"}
            return {"anyOf": [self.type_of(arg) for arg in typing.get_args(annotation)]}
        if annotation is typing.Any:
            return {}
        if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
            return {"type": "string", "enum": [member.value for member in annotation]}
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.reference(annotation)
        kind = _json_type(annotation)
        if kind is None:
            raise TypeError(f"no JSON type for {annotation!r}")
        if annotation is datetime.date:
            return {"type": "string", "format": "date"}
        return {"type": kind}

    def reference(self, model: type[BaseModel]) -> dict[str, Any]:
        alternatives = one_of(model)
        if alternatives:
            return {"anyOf": [self.reference(alternative) for alternative in alternatives]}
        name = model.__name__
        if name != "FailedReason" and name not in self.spec.expand:
            return {"type": "object"}
        if name not in self.defs:
            self.defs[name] = {}
            self.defs[name] = {"description": f"SDK model {name}.", **self.model(model)}
        return {"$ref": f"#/$defs/{name}"}


def build(stem: str) -> dict[str, Any]:
    """The schema of ``stem`` as the SDK models say it."""
    spec = SPECS[stem]
    builder = _Builder(spec)
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": schema_id(stem),
        "title": spec.title,
        "description": spec.description
        + " Generated from the SDK models by tests/test_sdk_response_schemas.py: optional fields accept null,"
        " only what the SDK requires is required, other properties are allowed.",
    }
    if spec.root:
        schema.update(builder.model(sdk_model(spec.root)))
    else:
        first, second = spec.anchors
        schema["if"] = {"required": ["jobId"]}
        schema["then"] = {"$ref": f"#{first}"}
        schema["else"] = {"$ref": f"#{second}"}
    for anchor, name in spec.anchors.items():
        builder.defs[name] = {
            "$anchor": anchor,
            "description": f"SDK model {name}.",
            **builder.model(sdk_model(name)),
        }
    for alias, name in spec.aliases.items():
        builder.defs[alias] = {"description": f"Same as SDK model {name}.", "$ref": f"#/$defs/{name}"}
    schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Rewrite every generated response schema."""
    for stem in SPECS:
        (SCHEMAS_DIR / f"{stem}.schema.json").write_text(render(build(stem)), encoding="utf-8")


if __name__ == "__main__":
    main()
    sys.exit(0)


# --- the tests -------------------------------------------------------------------------------------

SCHEMAS = load_schemas()


def _models(stem: str) -> dict[str, type[BaseModel]]:
    """Every SDK model a response schema details: its JSON pointer (``#`` or ``#/$defs/X``) to the model."""
    spec = SPECS[stem]
    found: dict[str, type[BaseModel]] = {}
    if spec.root:
        found["#"] = sdk_model(spec.root)
    for name in SCHEMAS[stem].get("$defs", {}):
        if hasattr(zuora_models, name):
            found[f"#/$defs/{name}"] = sdk_model(name)
    return found


def _sample(shape: dict[str, Any]) -> Any:
    """A value of a required field: the first enum value, or a value of the field's JSON type."""
    if "$ref" in shape or "anyOf" in shape:
        return {}
    if "enum" in shape:
        return next(value for value in shape["enum"] if value is not None)
    kind = shape.get("type")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    if shape.get("format") == "date":
        return "2026-03-01"
    return {"string": "x", "integer": 1, "number": 1.5, "boolean": True, "array": [], "object": {}}.get(
        str(kind), "x"
    )


def _body(stem: str, pointer: str, model: type[BaseModel], optional: Any) -> dict[str, Any]:
    node = SCHEMAS[stem] if pointer == "#" else SCHEMAS[stem]["$defs"][pointer.rsplit("/", 1)[1]]
    body: dict[str, Any] = {}
    for alias, sdk in sdk_fields(model).items():
        if sdk.required:
            body[alias] = _sample(node["properties"][alias])
        elif optional is not _ABSENT:
            body[alias] = optional
    return body


_ABSENT = object()
CASES = [(stem, pointer) for stem in sorted(SPECS) for pointer in _models(stem)]


def _check(stem: str, pointer: str, body: dict[str, Any]) -> list[str]:
    schema = {"$ref": schema_id(stem) + pointer}
    checker = Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return [f"{e.json_path}: {e.message}" for e in checker.iter_errors(body)]


@pytest.mark.parametrize("stem", sorted(SPECS))
def test_the_committed_schema_is_what_the_sdk_models_generate(stem: str) -> None:
    """The response schema on disk equals the generator's output (run the module to refresh it)."""
    assert (SCHEMAS_DIR / f"{stem}.schema.json").read_text(encoding="utf-8") == render(build(stem))


@pytest.mark.parametrize(("stem", "pointer"), CASES, ids=[f"{s}{p}" for s, p in CASES])
def test_a_body_with_every_optional_field_null_is_accepted(stem: str, pointer: str) -> None:
    """Zuora may send null for any field the SDK types Optional; each detailed model accepts it."""
    model = _models(stem)[pointer]
    assert _check(stem, pointer, _body(stem, pointer, model, None)) == []


@pytest.mark.parametrize(("stem", "pointer"), CASES, ids=[f"{s}{p}" for s, p in CASES])
def test_a_body_without_optional_fields_is_accepted(stem: str, pointer: str) -> None:
    """Only what the SDK requires is required: a body with just those fields is accepted."""
    model = _models(stem)[pointer]
    assert _check(stem, pointer, _body(stem, pointer, model, _ABSENT)) == []


def test_a_null_success_body_is_not_an_error_and_a_false_one_is() -> None:
    """success null is not a failure; success false must be an error envelope with reasons."""
    assert _check("invoice-response", "#", {"success": None, "id": None}) == []
    assert _check("invoice-response", "#", {"success": False})


def test_the_imported_enums_exist_and_belong_to_string_fields() -> None:
    """Each enum the generator puts on a plain-string SDK field is an SDK enum class; the field exists."""
    for owner, fields in IMPORTED_ENUMS.items():
        for alias, enum_name in fields.items():
            assert issubclass(getattr(zuora_models, enum_name), enum.Enum)
            assert _unannotated(sdk_fields(sdk_model(owner))[alias].annotation) is str


def _properties(node: Any, stem: str) -> Iterator[tuple[str, Any, str]]:
    """The (name, subschema, its schema) a node declares, through $ref and allOf (not conditions)."""
    node, stem = _resolve(node, stem)
    if not isinstance(node, dict):
        return
    for name, sub in node.get("properties", {}).items():
        yield name, sub, stem
    for part in node.get("allOf", []):
        yield from _properties(part, stem)


def _resolve(node: Any, stem: str) -> tuple[Any, str]:
    """``node`` with its $refs followed, and the stem of the schema it ends up in."""
    while isinstance(node, dict) and "$ref" in node:
        base, _, fragment = node["$ref"].partition("#")
        if base:
            stem = base.removeprefix(SCHEMA_BASE_URI).removesuffix(".schema.json")
        target: Any = SCHEMAS[stem]
        if fragment.startswith("/"):
            for part in fragment.strip("/").split("/"):
                target = target[part]
        elif fragment:
            target = next(d for d in target["$defs"].values() if d.get("$anchor") == fragment)
        node = target
    return node, stem


def _inner_models(annotation: Any) -> list[type[BaseModel]]:
    annotation = _unannotated(annotation)
    if typing.get_origin(annotation) in (list, typing.Union):
        return [m for arg in typing.get_args(annotation) for m in _inner_models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return one_of(annotation) or [annotation]
    return []


def invented(node: Any, model: type[BaseModel], stem: str, where: str = "$") -> list[str]:
    """Properties the schema node declares that SDK ``model`` does not have, recursively.

    Where the SDK field is a oneOf of models, each alternative the schema details must match one of them.
    """
    fields = sdk_fields(model)
    problems: list[str] = []
    for name, sub, sub_stem in _properties(node, stem):
        if name not in fields:
            problems.append(f"{where}.{name} is not a field of SDK {model.__name__}")
            continue
        inners = _inner_models(fields[name].annotation)
        for branch, branch_stem in _branches(sub, sub_stem) if inners else ():
            found = [invented(branch, inner, branch_stem, f"{where}.{name}") for inner in inners]
            if all(found):
                problems += found[0]
    return problems


def _branches(node: Any, stem: str) -> Iterator[tuple[Any, str]]:
    """The object schemas a property may hold: itself, its items, its anyOf alternatives."""
    node, stem = _resolve(node, stem)
    if not isinstance(node, dict):
        return
    if "items" in node:
        yield from _branches(node["items"], stem)
    for part in node.get("anyOf", []):
        yield from _branches(part, stem)
    if "properties" in node or "allOf" in node:
        yield node, stem


RESPONSE_ROOTS = [(stem, pointer) for stem, pointer in CASES]


@pytest.mark.parametrize(("stem", "pointer"), RESPONSE_ROOTS, ids=[f"{s}{p}" for s, p in RESPONSE_ROOTS])
def test_response_schemas_invent_no_field(stem: str, pointer: str) -> None:
    """Every property a response schema names, at every level it details, is a field of the SDK model."""
    node = SCHEMAS[stem] if pointer == "#" else SCHEMAS[stem]["$defs"][pointer.rsplit("/", 1)[1]]
    assert invented(node, _models(stem)[pointer], stem) == []


REQUEST_MODELS = {
    "create-order-request": "CreateOrderRequest",
    "create-order-async-request": "CreateOrderAsyncRequest",
    "create-account-request": "CreateAccountRequest",
    "create-bill-run-request": "CreateBillRunRequest",
    "cancel-bill-run-request": "CancelBillRunRequest",
    "post-bill-run-request": "PostBillRunRequest",
    "post-invoice-request": "PostAsyncInvoiceRequest",
    "create-payment-request": "CreatePaymentRequest",
}


@pytest.mark.parametrize("stem", sorted(REQUEST_MODELS))
def test_request_schemas_invent_no_field(stem: str) -> None:
    """Every property a request schema accepts, recursively, is a field of the SDK request model."""
    assert invented(SCHEMAS[stem], sdk_model(REQUEST_MODELS[stem]), stem) == []


def test_the_invented_field_check_finds_an_invented_field() -> None:
    """Negative control: a schema naming a field the SDK lacks is caught, with its path."""
    node: dict[str, Any] = {
        "properties": {"orderDate": {}, "processingOptions": {"properties": {"accountingCode": {}}}}
    }
    assert invented(node, sdk_model("CreateOrderRequest"), "create-order-request") == [
        "$.processingOptions.accountingCode is not a field of SDK ProcessingOptionsWithDelayedCapturePayment"
    ]


def test_a_generated_schema_rejects_a_wrong_type_and_an_unknown_enum_value() -> None:
    """Negative control for the null tests: types and enums are still checked."""
    assert _check("bill-run-response", "#", {"status": "Draft"})
    assert _check("invoice-response", "#", {"amount": "30.00"})
    assert _check("credit-memo-response", "#", {"appliedAmount": True})
