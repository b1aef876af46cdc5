"""The response schemas are generated from the official SDK's response models, and stay so.

Run ``.venv/bin/python -m tests.sdk_schemas`` to rewrite them after an SDK upgrade;
the tests below fail when a committed schema drifts from what the SDK models say.

How an SDK model becomes a schema: every wire field (the pydantic alias) is a property with the
JSON type of its Python type; a field that is ``Optional`` in the SDK also accepts ``null``; enums
come from the SDK's enum classes and ``*_validate_enum`` validators; only fields the SDK requires
are required; unknown properties are allowed (Zuora adds fields, and custom fields end in ``__c``).
Lengths, patterns and bounds are the SDK's. Where Zuora's own published samples send a field as
another JSON type than the SDK says (``AS_SAMPLED``: an error code, a bill run's bill cycle day
sent as a number), the schema accepts both.
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
from typing import Any

import zuora_sdk.models as zuora_models
from pydantic import BaseModel

from tests.schema_support import (
    SCHEMAS_DIR,
    SdkField,
    one_of,
    schema_id,
    sdk_fields,
    sdk_model,
    validator_enum,
)
from tests.sdk_schema_specs import DRAFT, ERROR_ENVELOPE, IMPORTED_ENUMS, SPECS, Spec

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


def unannotated(annotation: Any) -> Any:
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


_BILL_CYCLE_DAY = (
    ["string", "integer"],
    "a string in the SDK, a number in every bill-run sample of Zuora's API reference",
)
#: Fields Zuora's published samples send as another JSON type than the SDK's: by (SDK model, wire
#: name), the JSON types the schema accepts and the note saying why.
AS_SAMPLED: dict[tuple[str, str], tuple[list[str], str]] = {
    ("FailedReason", "code"): (
        ["string", "number"],
        "a string in the SDK, a number in Zuora's published example",
    ),
    ("BillRunResponse", "billCycleDay"): _BILL_CYCLE_DAY,
    ("CancelBillRunResponse", "billCycleDay"): _BILL_CYCLE_DAY,
    ("BillRun", "billCycleDay"): _BILL_CYCLE_DAY,
}


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
        if (owner, sdk.alias) in AS_SAMPLED:
            shape = {"type": AS_SAMPLED[owner, sdk.alias][0]}
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
        if (owner, sdk.alias) in AS_SAMPLED:
            note = f"; {AS_SAMPLED[owner, sdk.alias][1]}: both are accepted"
        if owner == "Product" and sdk.alias == "productRatePlans":
            note = "; a URL (Zuora-Version 230 or later) or, before that version, the rate plans themselves"
        return f"{_humane(sdk.alias)} (SDK {owner}.{sdk.name}{note})."

    def type_of(self, annotation: Any) -> dict[str, Any]:
        shape = self._type_of(unannotated(annotation))
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
            kinds = {_json_type(unannotated(arg)) for arg in typing.get_args(annotation)}
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
        + " Generated from the SDK models by tests/sdk_schemas.py: optional fields accept null,"
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
