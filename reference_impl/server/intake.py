"""What the reference server is willing to decode from a request body, and the refusal otherwise.

JSON itself sets no bounds, and a decoded body flows on into validators, the domain and, echoed,
into answers. So the server decodes with limits, each stated below, and refuses a body that
exceeds one before anything else sees it:

* a number has at most :data:`MAX_NUMBER_DIGITS` digits as written (integer and fraction part
  together) and an exponent of at most :data:`MAX_EXPONENT` either way: every number a double can
  hold passes (``5e-324`` to ``1.7976931348623157e308``), and Python's cut-off of 4,300 digits for
  an integer or the 50 MB of writing out ``1e50000000`` are never reached (amounts have a bound
  of their own in the wire layer);
* ``NaN``, ``Infinity`` and ``-Infinity`` are not JSON and are refused;
* objects and arrays nest at most :data:`MAX_DEPTH` levels;
* a string (a value or a key) has at most :data:`MAX_STRING_LENGTH` characters.

:func:`decode` returns the body or a :class:`Refused` value, never raises for bad input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_NUMBER_DIGITS",
    "MAX_STRING_LENGTH",
    "Refused",
    "decode",
]

#: Digits a number may have as written; a 128-bit integer has 39, a double 17.
MAX_NUMBER_DIGITS = 50
#: How far the exponent of ``1e…`` may move the decimal point, up or down.
MAX_EXPONENT = 400
#: Levels of objects and arrays inside each other, the body itself being level 1.
MAX_DEPTH = 32
#: Characters in one string; Zuora's longest text fields hold 64 KiB.
MAX_STRING_LENGTH = 65_536

_NUMBER = re.compile(r"-?(?P<whole>\d+)(?:\.(?P<fraction>\d+))?(?:[eE](?P<exponent>[+-]?\d+))?")


@dataclass(frozen=True)
class Refused:
    """Why a body was not decoded, in words safe to send back (no input is quoted)."""

    message: str


class _Exceeds(ValueError):
    """Raised inside the decoder's hooks, which cannot return a refusal; caught by :func:`decode`."""


def _check_digits(text: str) -> None:
    found = _NUMBER.fullmatch(text)
    if found is None:  # pragma: no cover - the JSON scanner hands over numbers only
        raise _Exceeds(f"a number is malformed ({len(text)} characters)")
    digits = len(found["whole"]) + len(found["fraction"] or "")
    if digits > MAX_NUMBER_DIGITS:
        msg = f"a number has more than {MAX_NUMBER_DIGITS} digits"
        raise _Exceeds(msg)
    exponent = found["exponent"]
    if exponent is not None and (
        len(exponent.lstrip("+-")) > len(str(MAX_EXPONENT)) or abs(int(exponent)) > MAX_EXPONENT
    ):
        msg = f"a number has an exponent beyond {MAX_EXPONENT} either way"
        raise _Exceeds(msg)


def _integer(text: str) -> int:
    _check_digits(text)
    return int(text)


def _decimal(text: str) -> Decimal:
    _check_digits(text)
    return Decimal(text)


def _constant(name: str) -> object:
    msg = f"{name} is not a JSON number"
    raise _Exceeds(msg)


def _oversized(body: object) -> str | None:
    """What in the decoded ``body`` goes past the nesting or string limit, if anything."""
    pending: list[tuple[object, int]] = [(body, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, str):
            if len(node) > MAX_STRING_LENGTH:
                return f"a string is longer than {MAX_STRING_LENGTH} characters"
            continue
        if not isinstance(node, dict | list):
            continue
        if depth > MAX_DEPTH:
            return f"objects and arrays nest past {MAX_DEPTH} levels"
        if isinstance(node, dict):
            pending.extend((key, depth) for key in node)
            pending.extend((value, depth + 1) for value in node.values())
        else:
            pending.extend((value, depth + 1) for value in node)
    return None


def decode(raw: bytes) -> object:
    """The JSON ``raw`` holds (non-integer numbers as Decimal), or :class:`Refused`."""
    try:
        body = json.loads(raw, parse_int=_integer, parse_float=_decimal, parse_constant=_constant)
    except _Exceeds as error:
        return Refused(f"The request body is refused: {error}.")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return Refused(f"The request body is not valid JSON: {error}")
    except RecursionError:
        return Refused(f"The request body is refused: objects and arrays nest past {MAX_DEPTH} levels.")
    problem = _oversized(body)
    if problem is not None:
        return Refused(f"The request body is refused: {problem}.")
    return body
