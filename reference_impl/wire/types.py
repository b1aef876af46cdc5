"""Field types shared by the wire models: strict dates, numbers, flags and the model bases."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictInt, StrictStr
from pydantic.alias_generators import to_camel

from schemas.contract import Violation, violations

__all__ = [
    "ContractViolation",
    "Contracted",
    "OpenWire",
    "StrictBool",
    "StrictInt",
    "StrictStr",
    "Wire",
    "WireDate",
    "WireNumber",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        msg = "a date must be a string of the form yyyy-mm-dd"
        raise ValueError(msg)
    return date.fromisoformat(value)


def _number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        msg = "an amount must be a JSON number"
        raise ValueError(msg)
    return Decimal(value)


WireDate = Annotated[date, BeforeValidator(_date)]
WireNumber = Annotated[Decimal, BeforeValidator(_number)]


class Wire(BaseModel):
    """A payload object that refuses unknown fields (Zuora's "unknown field" category)."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True, frozen=True)


class OpenWire(Wire):
    """A payload object whose undocumented or unmodelled fields are passed over."""

    model_config = ConfigDict(extra="allow")


class ContractViolation(ValueError):
    """A payload that breaks its JSON Schema; ``violations`` name the fields at fault."""

    def __init__(self, found: list[Violation]) -> None:
        super().__init__("; ".join(str(v) for v in found[:5]))
        self.violations = found


class Contracted(BaseModel):
    """A top-level payload whose acceptance is decided by its JSON Schema in ``schemas/``.

    The schema is the one source of truth for what is accepted; the model adds types. A test
    (``tests/test_wire_models.py``) checks that the model never refuses what the schema accepts.
    """

    contract: ClassVar[tuple[str, str | None]]

    @classmethod
    def from_wire(cls, data: object) -> Self:
        stem, anchor = cls.contract
        found = violations(stem, data, anchor)
        if found:
            raise ContractViolation(found)
        return cls.model_validate(data)
