"""JSON text in and out with money kept exact: numbers with a fraction are Decimal both ways.

:func:`deeper_than` measures how deep a JSON text nests without parsing it, so that a reader can
refuse a hostile document before Python's recursive decoder (or anything that walks the result)
runs out of stack.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from itertools import accumulate

__all__ = ["deeper_than", "dumps", "has_lone_surrogate", "loads"]

#: A JSON string literal (the unrolled form: no backtracking however long it is).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
#: Every byte but the four brackets, and each byte's step in nesting depth.
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
#: An escaped UTF-16 surrogate (``\ud800``): valid JSON grammar, but alone it is no character.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)


def loads(text: str | bytes) -> object:
    """Decode JSON; numbers with a fraction or exponent become :class:`Decimal`, never float."""
    return json.loads(text, parse_float=Decimal)


def deeper_than(text: str, limit: int) -> bool:
    """Whether the arrays and objects of JSON ``text`` nest more than ``limit`` levels deep.

    Brackets inside string literals do not count. Meant to run before :func:`loads` on text
    from outside; on text that is not JSON the answer means nothing (the decoder then refuses
    it anyway). The count runs in C (``translate``, ``accumulate``), not bracket by bracket."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _STRING.sub("", text).encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit


def has_lone_surrogate(text: str, decoded: object) -> bool:
    """Whether ``decoded`` (what :func:`loads` made of ``text``) holds a string with a UTF-16
    surrogate that pairs with nothing: such a string cannot be written as UTF-8."""
    if not _ESCAPED_SURROGATE.search(text):
        return False
    try:
        json.dumps(decoded, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


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
