"""What a step observed, said in the feature's words rather than as Python's ``repr``.

A failing step says what it expected and what it found. What it found is often one of the
driver's views (a bill run, an invoice, an order...); :func:`describe` turns it into words a
reader of the feature knows: ``bill run BR-00000001 (status Canceled, target date 2026-04-01)``,
money with its currency, dates as dates, and no opaque ids where a number names the thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from steps.targets import Money

__all__ = ["describe"]

#: Names of views whose class name does not read well.
_NOUNS = {"CancelView": "the cancellation's result", "Refused": "a refusal"}
#: Fields that name a thing by an opaque id, left out when the thing has a number.
_OPAQUE = ("id", "account_id")


def _noun(value: object) -> str:
    name = type(value).__name__
    if name in _NOUNS:
        return _NOUNS[name]
    words = re.findall(r"[A-Z][a-z]*", name.removesuffix("View"))
    return " ".join(word.lower() for word in words) or name


def describe(value: object) -> str:
    """``value`` in words (see the module docstring)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.name.lower().replace("_", " ")
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return ", ".join(f"{key} {describe(item)}" for key, item in value.items()) or "none"
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + "; ".join(describe(item) for item in value) + "]" if value else "none"
    if is_dataclass(value) and not isinstance(value, type):
        return _described_view(value)
    return str(value)


def _described_view(value: object) -> str:
    shown = {f.name: getattr(value, f.name) for f in fields(value)}  # type: ignore[arg-type]
    number = shown.pop("number", None)
    if number is not None:
        for name in _OPAQUE:
            shown.pop(name, None)
    parts = [_part(name.replace("_", " "), item) for name, item in shown.items() if _shown(item)]
    head = _noun(value) + (f" {number}" if number is not None else "")
    return f"{head} ({', '.join(parts)})" if parts else head


def _shown(item: object) -> bool:
    return item is not None and item not in ((), {})


def _part(label: str, item: object) -> str:
    """``label item``, or the item alone when it names itself (a bill run's ``bill_run``)."""
    words = describe(item)
    return words if words.startswith(label) else f"{label} {words}"
