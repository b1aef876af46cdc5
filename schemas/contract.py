"""The wire contract: the JSON Schemas of ``schemas/``, and what a payload does wrong against them.

The schemas refer to each other by ``$id``; one :class:`referencing.Registry` holds them all and
nothing is fetched from the network. :func:`violations` reports each fault with the JSON path of
the field at fault and the Zuora error category it belongs to (unknown field, missing field,
invalid value), so that a refusal or a protocol error can name the field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, TypeChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = [
    "ECHO_LIMIT",
    "MESSAGE_LIMIT",
    "SCHEMAS_DIR",
    "SCHEMA_BASE_URI",
    "Violation",
    "clip",
    "jsonschema_violations",
    "load_schemas",
    "registry",
    "schema_id",
    "shorten",
    "surely_valid",
    "validator",
    "violations",
]

SCHEMAS_DIR = Path(__file__).resolve().parent
SCHEMA_BASE_URI = "https://billing-conformance.example/schemas/"
_SUFFIX = ".schema.json"

UNKNOWN_FIELD, MISSING_FIELD, INVALID_VALUE = 21, 22, 20
_CATEGORY_BY_KEYWORD = {
    "additionalProperties": UNKNOWN_FIELD,
    "unevaluatedProperties": UNKNOWN_FIELD,
    "not": UNKNOWN_FIELD,  # the schemas forbid a documented field in a context with "not": {}
    "required": MISSING_FIELD,
    "dependentRequired": MISSING_FIELD,
}

#: Characters of one input value a message may quote; a longer one is cut and ends in "…".
ECHO_LIMIT = 200
#: Characters of a whole message, whatever it quotes.
MESSAGE_LIMIT = 1000
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def shorten(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut to ``limit`` characters and an ellipsis when longer."""
    return text if len(text) <= limit else text[:limit] + "\u2026"


def _cut(quoted: re.Match[str]) -> str:
    text = quoted.group(0)
    return text[0] + shorten(text[1:-1]) + text[0]


def clip(message: str) -> str:
    """``message`` with every quoted value (``'…'`` or ``"…"``, as ``repr`` writes input) cut to
    :data:`ECHO_LIMIT` characters, and the whole to :data:`MESSAGE_LIMIT`: a refusal never sends
    a large input back."""
    return shorten(_QUOTED.sub(_cut, message), MESSAGE_LIMIT)


def schema_id(stem: str) -> str:
    """The ``$id`` of the schema file ``schemas/<stem>.schema.json``."""
    return f"{SCHEMA_BASE_URI}{stem}{_SUFFIX}"


@cache
def _texts() -> tuple[tuple[str, str], ...]:
    return tuple(
        (path.name.removesuffix(_SUFFIX), path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS_DIR.glob(f"*{_SUFFIX}"))
    )


def load_schemas() -> dict[str, dict[str, Any]]:
    """Every schema, parsed afresh, keyed by file stem (``create-order-request``)."""
    return {stem: json.loads(text) for stem, text in _texts()}


@cache
def registry() -> Registry[Any]:
    # Every schema is draft 2020-12, and is registered as such without its "$schema": following a
    # $ref into a schema that names its dialect would swap the kit's validator (numbers as Decimal)
    # for jsonschema's own.
    resources: list[tuple[str, Resource[Any]]] = [
        (schema["$id"], DRAFT202012.create_resource({k: v for k, v in schema.items() if k != "$schema"}))
        for schema in load_schemas().values()
    ]
    # Crawled once: an uncrawled registry is crawled again by every validator made from it.
    return Registry().with_resources(resources).crawl()


def _is_integer(_: TypeChecker, instance: object) -> bool:
    """JSON Schema's integer is a number with no fraction, ``1.0`` included; the kit decodes
    such a number as a Decimal."""
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer"))


def _is_number(_: TypeChecker, instance: object) -> bool:
    if isinstance(instance, Decimal):
        return instance.is_finite()
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "number"))


#: Draft 2020-12 with numbers as the kit decodes them: a Decimal is a number, an integral one an integer.
# jsonschema's extend is untyped; what it makes has Draft202012Validator's interface.
_DecimalValidator: type[Draft202012Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_integer, "number": _is_number}
    ),
)


@cache
def validator(stem: str, anchor: str | None = None) -> Draft202012Validator:
    """A validator for schema ``stem`` (or one of its ``$anchor``s) that also checks formats and
    takes numbers as the kit decodes them (:func:`_is_integer`)."""
    schema: dict[str, Any] = {"$ref": schema_id(stem) + (f"#{anchor}" if anchor else "")}
    return _DecimalValidator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass(frozen=True)
class Violation:
    """One way a payload breaks its schema."""

    path: str
    message: str
    category: int

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _violation(error: ValidationError) -> Violation:
    category = _CATEGORY_BY_KEYWORD.get(str(error.validator), INVALID_VALUE)
    return Violation(shorten(error.json_path), clip(error.message), category)


def violations(stem: str, instance: object, anchor: str | None = None) -> list[Violation]:
    """The faults of ``instance`` against schema ``stem``, the most telling first; empty when valid.

    jsonschema (Python) decides and describes every fault; a compiled validator
    (:mod:`jsonschema_rs`) only lets a payload it finds valid skip that walk (:func:`surely_valid`).
    """
    return [] if surely_valid(stem, instance, anchor) else jsonschema_violations(stem, instance, anchor)


def jsonschema_violations(stem: str, instance: object, anchor: str | None = None) -> list[Violation]:
    """:func:`violations` as jsonschema alone finds them."""
    errors = list(validator(stem, anchor).iter_errors(instance))
    if not errors:
        return []
    best = best_match(errors)
    return [_violation(best), *(_violation(e) for e in errors if e is not best)]


@cache
def _compiled_registry() -> jsonschema_rs.Registry:
    """Every schema, registered once for all the compiled validators (built per validator, the
    registry cost more than the validator itself)."""
    return jsonschema_rs.Registry(
        [
            (schema["$id"], {k: v for k, v in schema.items() if k != "$schema"})
            for schema in load_schemas().values()
        ]
    )


@cache
def _compiled(stem: str, anchor: str | None) -> jsonschema_rs.Validator:
    """The compiled twin of :func:`validator`: the same schemas, formats checked."""
    schema = {"$ref": schema_id(stem) + (f"#{anchor}" if anchor else "")}
    return jsonschema_rs.Draft202012Validator(
        schema, registry=_compiled_registry(), validate_formats=True, formats=_FORMATS
    )


def _date(text: str) -> bool:
    """jsonschema's reading of a date, not RFC 3339's (which has a year 0000)."""
    return bool(Draft202012Validator.FORMAT_CHECKER.conforms(text, "date"))


#: The formats the schemas use, each checked as jsonschema checks it.
_FORMATS = {"date": _date}


def surely_valid(stem: str, instance: object, anchor: str | None = None) -> bool:
    """Whether ``instance`` keeps to schema ``stem`` by the compiled validator; False means "not
    known", and :func:`violations` then asks jsonschema.

    The compiled validator reads a Decimal exactly and is, on these schemas, at least as strict as
    jsonschema (its ``\\d`` is ASCII, its ``$`` the very end of the text);
    ``tests/test_compiled_schemas.py`` holds it to never accept what jsonschema refuses.
    """
    try:
        return bool(_compiled(stem, anchor).is_valid(instance))
    except Exception:  # whatever it cannot read, jsonschema reads
        return False
