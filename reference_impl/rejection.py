"""Business rejections are values, not exceptions.

Every operation of :class:`reference_impl.Billing` that can be refused returns either its result
or a :class:`Rejection`. A rejection names a stable ``code`` (a slug the kit's tests rely on), a
:class:`Category` that maps onto the two-digit category of Zuora's eight-digit error codes, and a
message written for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

__all__ = ["Category", "Rejection", "is_rejection"]

T = TypeVar("T")


class Category(Enum):
    """Why something was refused, in the categories Zuora uses for the last two digits of a code."""

    PERMISSION_DENIED = 10
    INVALID_VALUE = 20
    UNKNOWN_FIELD = 21
    MISSING_FIELD = 22
    RULE_RESTRICTION = 30
    NOT_FOUND = 40


@dataclass(frozen=True)
class Rejection:
    """A refused request. Nothing was changed by the request that produced it."""

    code: str
    category: Category
    message: str


def is_rejection(value: object) -> bool:
    """Tell whether an operation's result is a refusal."""
    return isinstance(value, Rejection)
