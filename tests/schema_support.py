"""Loading the wire-payload JSON Schemas of ``schemas/`` and their example corpus, for any test.

The schemas refer to each other by ``$id``, so they are validated through one
``referencing.Registry`` that holds them all; nothing is fetched from the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError  # type: ignore[import-untyped]
from jsonschema.exceptions import best_match  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

__all__ = [
    "EXAMPLES_DIR",
    "SCHEMAS_DIR",
    "SCHEMA_BASE_URI",
    "CorpusCase",
    "all_errors",
    "best_match",
    "corpus_cases",
    "load_schemas",
    "registry",
    "schema_id",
    "validator",
]

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "schemas"
EXAMPLES_DIR = SCHEMAS_DIR / "examples"
SCHEMA_BASE_URI = "https://billing-conformance.example/schemas/"
_SUFFIX = ".schema.json"


def schema_id(stem: str) -> str:
    """The ``$id`` a schema file is expected to declare."""
    return f"{SCHEMA_BASE_URI}{stem}{_SUFFIX}"


@cache
def _load_all() -> tuple[tuple[str, str], ...]:
    """Every schema as (stem, text), read once."""
    return tuple(
        (path.name.removesuffix(_SUFFIX), path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS_DIR.glob(f"*{_SUFFIX}"))
    )


def load_schemas() -> dict[str, dict[str, Any]]:
    """Every ``schemas/*.schema.json``, parsed, keyed by file stem without ``.schema``.

    A fresh copy each call, so a caller may change what it gets.
    """
    return {stem: json.loads(text) for stem, text in _load_all()}


@cache
def registry() -> Registry[Any]:
    """One registry holding every schema under its ``$id``."""
    resources = [(schema["$id"], DRAFT202012.create_resource(schema)) for schema in load_schemas().values()]
    return Registry().with_resources(resources)


def validator(stem: str, anchor: str | None = None) -> Draft202012Validator:
    """A validator for schema ``stem`` (or for one of its ``$anchor``s), asserting formats."""
    schema: dict[str, Any] = load_schemas()[stem]
    if anchor is not None:
        schema = {"$ref": f"{schema_id(stem)}#{anchor}"}
    return Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


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
