"""Loading the wire-payload JSON Schemas of ``schemas/`` and their example corpus, for any test.

Loading and validating is :mod:`billing_conformance.contract`'s job; this module adds the
example corpus of ``schemas/examples/`` and re-exports the contract's helpers for the tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match

from billing_conformance.contract import (
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
    "all_errors",
    "best_match",
    "corpus_cases",
    "load_schemas",
    "registry",
    "schema_id",
    "validator",
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
