"""The response schemas are what the SDK models generate (see :mod:`tests.sdk_schemas`), accept
what Zuora may send, and name no field the SDK lacks."""

from __future__ import annotations

import enum
import typing
from collections.abc import Iterator
from typing import Any

import pytest
import zuora_sdk.models as zuora_models
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from tests.schema_support import (
    REQUEST_MODELS,
    SCHEMA_BASE_URI,
    SCHEMAS_DIR,
    load_schemas,
    one_of,
    registry,
    schema_id,
    sdk_fields,
    sdk_model,
)
from tests.sdk_schema_specs import IMPORTED_ENUMS, SPECS
from tests.sdk_schemas import build, render, unannotated

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
            assert unannotated(sdk_fields(sdk_model(owner))[alias].annotation) is str


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
    annotation = unannotated(annotation)
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
