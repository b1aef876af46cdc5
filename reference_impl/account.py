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

    @property
    def billable(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    def close(self) -> Account:
        return replace(self, status=AccountStatus.CANCELED)
