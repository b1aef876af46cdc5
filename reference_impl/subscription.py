"""Subscriptions: an account's standing order for one or more plans from a start date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

__all__ = ["Subscription", "SubscriptionStatus"]


class SubscriptionStatus(Enum):
    """Zuora's subscription statuses; note the two-L ``Cancelled``."""

    ACTIVE = "Active"
    CANCELLED = "Cancelled"


@dataclass(frozen=True)
class Subscription:
    """A subscription to some plans.

    ``term_end`` is the end of the current term (None for an evergreen subscription).
    ``end_date`` is set by a cancellation: service stops at the start of that day.
    """

    id: str
    number: str
    account_number: str
    plan_names: tuple[str, ...]
    start_date: date
    term_end: date | None = None
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    end_date: date | None = None
    custom_fields: Mapping[str, object] = field(default_factory=dict)

    def cancel(self, effective: date) -> Subscription:
        return replace(self, status=SubscriptionStatus.CANCELLED, end_date=effective)
