"""Typed step parameters: dates, amounts, statuses and switches written the way features write them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from pytest_bdd import parsers

from steps.targets import Money

__all__ = ["BILL_RUN_STATUS", "CUSTOM_FIELDS", "DOCUMENT_STATUS", "money", "step"]


V = TypeVar("V")


class _Type(Generic[V]):
    """A ``parse`` type converter: the regular expression it matches and how to convert a match."""

    def __init__(self, pattern: str, convert: Callable[[str], V]) -> None:
        self.pattern = pattern
        self._convert = convert

    def __call__(self, text: str) -> V:
        return self._convert(text)


def money(text: str) -> Money:
    """``"30.00 USD"`` as an amount in its currency."""
    amount, _, currency = text.strip().partition(" ")
    return Money(Decimal(amount), currency.strip())


#: The custom fields a scenario names, by their business names, and the field each one is.
CUSTOM_FIELDS = {"reason for canceling": "CancelReason__c"}


TYPES: dict[str, Callable[[str], object]] = {
    "Date": _Type(r"\d{4}-\d{2}-\d{2}", date.fromisoformat),
    "Money": _Type(r"-?\d+\.\d{2} [A-Z]{3}", money),
    "Currency": _Type(r"[A-Z]{3}", str),
    "DocumentStatus": _Type(r"a draft|draft|posted|canceled", str),
    "FieldOwner": _Type(r"order|cancellation", str),
    "CustomField": _Type("|".join(CUSTOM_FIELDS), CUSTOM_FIELDS.__getitem__),
    "InvoiceCount": _Type(r"no invoice|one invoice", str),
    "MemoCount": _Type(r"no credit memo|one credit memo", str),
    "Switch": _Type(r"enabled|disabled", lambda text: text == "enabled"),
    "Feature": _Type(r"Orders|Workflow", str.lower),
    "YesNo": _Type(r"yes|no", lambda text: text == "yes"),
    "When": _Type(
        r"as of \d{4}-\d{2}-\d{2}|at the end of the current term|at the end of the last invoiced period",
        lambda text: text,
    ),
}


BILL_RUN_STATUS = {
    "pending": "Pending",
    "completed": "Completed",
    "canceled": "Canceled",
    "posted": "Posted",
    "paused": "Paused",
    "in error": "Error",
    "being processed": "Processing",
    "being posted": "PostInProgress",
    "being canceled": "CancelInProgress",
}
DOCUMENT_STATUS = {"a draft": "Draft", "draft": "Draft", "posted": "Posted", "canceled": "Canceled"}


def step(pattern: str) -> parsers.parse:
    """A ``parse``-style step pattern that knows the kit's parameter types."""
    return parsers.parse(pattern, extra_types=TYPES)
