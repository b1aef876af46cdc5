"""Typed step parameters: dates, amounts, statuses and switches written the way features write them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from parse import with_pattern
from pytest_bdd import parsers

__all__ = ["BILL_RUN_STATUS", "DOCUMENT_STATUS", "step"]


@with_pattern(r"\d{4}-\d{2}-\d{2}")
def _date(text: str) -> date:
    return date.fromisoformat(text)


@with_pattern(r"-?\d+\.\d{2} [A-Z]{3}")
def _money(text: str) -> Decimal:
    return Decimal(text.split()[0])


@with_pattern(r"enabled|disabled")
def _switch(text: str) -> bool:
    return text == "enabled"


BILL_RUN_STATUS = {
    "pending": "Pending",
    "completed": "Completed",
    "canceled": "Canceled",
    "posted": "Posted",
    "paused": "Paused",
    "in error": "Error",
}
DOCUMENT_STATUS = {"a draft": "Draft", "draft": "Draft", "posted": "Posted", "canceled": "Canceled"}

TYPES: dict[str, Callable[[str], Any]] = {"Date": _date, "Money": _money, "Switch": _switch}


def step(pattern: str) -> parsers.parse:
    """A ``parse``-style step pattern that knows the kit's parameter types."""
    return parsers.parse(pattern, extra_types=TYPES)
