"""Customer accounts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

__all__ = ["Account", "AccountStatus"]


class AccountStatus(Enum):
    ACTIVE = "Active"
    CANCELED = "Canceled"


@dataclass(frozen=True)
class Account:
    """A customer who is billed. ``number`` is the key scenarios and the wire use."""

    id: str
    number: str
    name: str
    currency: str
    bill_cycle_day: int
    status: AccountStatus = AccountStatus.ACTIVE
    #: the payment method a payment that names none is made with (Zuora's defaultPaymentMethodId)
    default_payment_method_id: str | None = None

    @property
    def billable(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    def close(self) -> Account:
        return replace(self, status=AccountStatus.CANCELED)

    def with_default_payment_method(self, method_id: str) -> Account:
        return replace(self, default_payment_method_id=method_id)
