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

__all__ = ["RESOURCE_CODES", "Category", "Rejection", "is_rejection"]

T = TypeVar("T")


class Category(Enum):
    """Why something was refused, in the categories Zuora uses for the last two digits of a code."""

    PERMISSION_DENIED = 10
    INVALID_VALUE = 20
    UNKNOWN_FIELD = 21
    MISSING_FIELD = 22
    INVALID_QUERY_PARAMETER = 27
    RULE_RESTRICTION = 30
    NOT_FOUND = 40


#: Six-digit resource codes, by the object a rejection's ``code`` starts with. Zuora's own codes
#: are not published per resource (apart from orders, e.g. 53100320); these are the kit's.
RESOURCE_CODES: dict[str, int] = {
    "account": 500010,
    "subscription": 500020,
    "bill-run": 500030,
    "invoice": 500040,
    "credit-memo": 500050,
    "payment": 500060,
    "plan": 500070,
    "order": 531003,
}
UNKNOWN_RESOURCE = 500000


@dataclass(frozen=True)
class Rejection:
    """A refused request. Nothing was changed by the request that produced it."""

    code: str
    category: Category
    message: str

    @property
    def zuora_code(self) -> int:
        """The eight-digit code of Zuora's envelope: resource code, then the two-digit category."""
        resource = next(
            (number for prefix, number in RESOURCE_CODES.items() if self.code.startswith(prefix)),
            UNKNOWN_RESOURCE,
        )
        return resource * 100 + self.category.value

    def envelope(self) -> dict[str, object]:
        """The refusal as Zuora reports one: ``success: false`` and one reason."""
        return {"success": False, "reasons": [{"code": self.zuora_code, "message": self.message}]}


def is_rejection(value: object) -> bool:
    """Tell whether an operation's result is a refusal."""
    return isinstance(value, Rejection)
