"""Subscriptions: an account's standing order for a plan from a start date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

__all__ = ["Subscription", "SubscriptionStatus"]


class SubscriptionStatus(Enum):
    """Zuora's subscription statuses; note the two-L ``Cancelled``."""

    ACTIVE = "Active"
    CANCELLED = "Cancelled"


@dataclass(frozen=True)
class Subscription:
    """A subscription to one plan. ``end_date`` is exclusive: service stops at its start."""

    id: str
    number: str
    account_number: str
    plan_name: str
    start_date: date
    status: SubscriptionStatus = SubscriptionStatus.ACTIVE
    end_date: date | None = None
