"""JSON text in and out with money kept exact: numbers with a fraction are Decimal both ways."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

__all__ = ["dumps", "loads"]


def loads(text: str | bytes) -> object:
    """Decode JSON; numbers with a fraction or exponent become :class:`Decimal`, never float."""
    return json.loads(text, parse_float=Decimal)


def dumps(value: object) -> str:
    """Encode JSON; a :class:`Decimal` is written as the exact number it holds, a date as ISO text."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            msg = f"cannot encode {value} as a JSON number"
            raise ValueError(msg)
        return format(value, "f")
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value)
