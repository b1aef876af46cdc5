"""Loading the wire-payload JSON Schemas of ``schemas/`` and their example corpus, for any test.

Loading and validating is :mod:`schemas.contract`'s job; this module adds the
example corpus of ``schemas/examples/`` and re-exports the contract's helpers for the tests.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zuora_sdk.models as zuora_models
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from schemas.contract import (
    SCHEMA_BASE_URI,
    SCHEMAS_DIR,
    load_schemas,
    registry,
    schema_id,
    validator,
)

__all__ = [
    "EXAMPLES_DIR",
    "SCHEMAS_DIR",
    "SCHEMA_BASE_URI",
    "CorpusCase",
    "SdkField",
    "all_errors",
    "best_match",
    "corpus_cases",
    "load_schemas",
    "one_of",
    "registry",
    "schema_id",
    "sdk_fields",
    "sdk_model",
    "sdk_validate",
    "validator",
    "validator_enum",
]

EXAMPLES_DIR = SCHEMAS_DIR / "examples"


def all_errors(errors: list[ValidationError]) -> Iterator[ValidationError]:
    """The errors and, depth first, the errors of the alternatives behind each (``anyOf``, ``oneOf``)."""
    for error in errors:
        yield error
        yield from all_errors(list(error.context or ()))


@dataclass(frozen=True)
class CorpusCase:
    """One example payload: valid ones are bare instances, invalid ones say why and which field."""

    stem: str
    valid: bool
    name: str
    instance: Any
    field: str | None = None
    why: str | None = None

    @property
    def id(self) -> str:
        """Readable test id, e.g. ``create-order-request/invalid/unknown-cancellation-policy``."""
        return f"{self.stem}/{'valid' if self.valid else 'invalid'}/{self.name}"


def _invalid_case(stem: str, path: Path) -> CorpusCase:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not (isinstance(data, dict) and {"why", "field", "instance"} <= data.keys()):
        raise ValueError(f"{path}: an invalid example needs 'why', 'field' and 'instance'")
    return CorpusCase(stem, False, path.stem, data["instance"], str(data["field"]), str(data["why"]))


def corpus_cases(stem: str | None = None) -> list[CorpusCase]:
    """Every example under ``schemas/examples/<stem>/{valid,invalid}/*.json``, in a stable order."""
    cases: list[CorpusCase] = []
    folders = [EXAMPLES_DIR / stem] if stem else sorted(p for p in EXAMPLES_DIR.iterdir() if p.is_dir())
    for folder in folders:
        for path in sorted((folder / "valid").glob("*.json")):
            cases.append(
                CorpusCase(folder.name, True, path.stem, json.loads(path.read_text(encoding="utf-8")))
            )
        cases.extend(_invalid_case(folder.name, path) for path in sorted((folder / "invalid").glob("*.json")))
    return cases


# --- the official SDK's models, read as the authority on wire shapes --------------------------------

#: Each request schema and the SDK model of the body its operation takes.
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


def sdk_model(name: str) -> type[BaseModel]:
    """The ``zuora_sdk.models`` class called ``name``."""
    model = getattr(zuora_models, name)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        raise TypeError(f"{name} is not an SDK model")
    return model


@dataclass(frozen=True)
class SdkField:
    """One wire field of an SDK model: alias, Python type (``None`` stripped), required, nullable."""

    owner: type[BaseModel]
    name: str
    alias: str
    annotation: Any
    required: bool
    nullable: bool


_BOOKKEEPING = {"additional_properties", "actual_instance", "one_of_schemas", "any_of_schemas"}
_BOOKKEEPING_PREFIXES = ("oneof_schema_", "anyof_schema_", "discriminator_")


def _strip_none(annotation: Any) -> tuple[Any, bool]:
    """``(the annotation without NoneType, whether it allowed None)``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], nullable
        return typing.Union[tuple(args)], nullable  # noqa: UP007 - built at run time
    return annotation, False


def sdk_fields(model: type[BaseModel]) -> dict[str, SdkField]:
    """The wire fields of ``model`` by alias (bookkeeping fields such as additional_properties left out)."""
    found: dict[str, SdkField] = {}
    for name, info in model.model_fields.items():
        if name in _BOOKKEEPING or name.startswith(_BOOKKEEPING_PREFIXES):
            continue
        annotation, nullable = _strip_none(info.annotation)
        alias = info.alias or name
        found[alias] = SdkField(model, name, alias, annotation, info.is_required(), nullable)
    return found


def one_of(model: type[BaseModel]) -> list[type[BaseModel]]:
    """The alternatives of an SDK ``oneOf``/``anyOf`` wrapper model; empty for a plain model."""
    if "actual_instance" not in model.model_fields:
        return []
    alternatives: list[type[BaseModel]] = []
    for name, info in model.model_fields.items():
        if name.startswith(("oneof_schema_", "anyof_schema_")):
            inner, _ = _strip_none(info.annotation)
            alternatives.append(inner)
    return alternatives


_ENUM_SET = re.compile(r"not in set\(\[([^\]]*)\]\)")


def validator_enum(model: type[BaseModel], name: str) -> list[str] | None:
    """The values an SDK ``*_validate_enum`` validator allows for field ``name``, if it has one."""
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if name in decorator.info.fields and decorator.cls_var_name.endswith("_validate_enum"):
            source = inspect.getsource(decorator.func)
            match = _ENUM_SET.search(source)
            if match:
                return [str(v) for v in ast.literal_eval(f"[{match.group(1)}]")]
    return None


def _strict_annotation(annotation: Any, building: frozenset[type[BaseModel]]) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return typing.Annotated[(_strict_annotation(args[0], building), *annotation.__metadata__)]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_strict_annotation(arg, building) for arg in args)]  # noqa: UP007
    if origin is list:
        return list[_strict_annotation(args[0], building)]  # type: ignore[misc]
    if origin is dict:
        key, value = args
        return dict[key, _strict_annotation(value, building)]  # type: ignore[misc,valid-type]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in building:
            return dict[str, Any]  # a recursive model: its inner levels are not re-checked
        return _strict(annotation, building)
    return annotation


def _strict(model: type[BaseModel], building: frozenset[type[BaseModel]]) -> Any:
    alternatives = one_of(model)
    inner = building | {model}
    if alternatives:
        return typing.Union[tuple(_strict(alternative, inner) for alternative in alternatives)]  # noqa: UP007
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in _BOOKKEEPING or name.startswith(_BOOKKEEPING_PREFIXES):
            continue
        default = ... if info.is_required() else info.default
        fields[name] = (_strict_annotation(info.annotation, inner), Field(default=default, alias=info.alias))
    checks = {
        decorator.cls_var_name: field_validator(*decorator.info.fields, mode="after")(
            getattr(decorator.func, "__func__", decorator.func)
        )
        for decorator in model.__pydantic_decorators__.field_validators.values()
    }
    return create_model(
        f"Strict{model.__name__}",
        __config__=ConfigDict(extra="forbid", protected_namespaces=()),
        __validators__=checks,
        **fields,
    )


_STRICT: dict[type[BaseModel], Any] = {}


def sdk_validate(model: type[BaseModel], payload: object) -> BaseModel:
    """``payload`` validated against ``model`` with its types, enums and required fields enforced.

    The SDK's own ``from_dict``/``model_validate`` build models with ``construct()``, which checks
    nothing; this builds a twin of the model (and of every model inside it) without that shortcut,
    refusing unknown fields too, and validates with it. Raises ``pydantic.ValidationError``.
    """
    if model not in _STRICT:
        _STRICT[model] = _strict(model, frozenset())
    validated: BaseModel = _STRICT[model].model_validate(payload)
    return validated
