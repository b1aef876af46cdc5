"""A small product catalog: monthly plans billed in advance, and one-time charges, priced in US
dollars and in euros."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from reference_impl.money import money

__all__ = ["DEFAULT_CATALOG", "Catalog", "Charge", "ChargeModel", "Plan"]


class ChargeModel(Enum):
    RECURRING_MONTHLY = "Recurring"
    ONE_TIME = "OneTime"


@dataclass(frozen=True)
class Charge:
    """One priced charge of a plan. Recurring charges are billed a month in advance."""

    name: str
    model: ChargeModel
    price: Decimal


@dataclass(frozen=True)
class Plan:
    """A rate plan of a product: what a subscription subscribes to."""

    id: str
    name: str
    product: str
    charges: tuple[Charge, ...]


@dataclass(frozen=True)
class Catalog:
    """The plans on sale. Every plan is priced alike in each of ``currencies``: an account pays
    the plan's price in its own currency."""

    plans: Mapping[str, Plan]
    currencies: tuple[str, ...] = ("USD", "EUR")

    def plan(self, name: str) -> Plan | None:
        return self.plans.get(name)

    def plan_by_key(self, key: str) -> Plan | None:
        """A plan by its id (``productRatePlanId``) or its name."""
        return self.plans.get(key) or next((p for p in self.plans.values() if p.id == key), None)


def _plan(plan_id: str, name: str, product: str, model: ChargeModel, price: str) -> Plan:
    return Plan(id=plan_id, name=name, product=product, charges=(Charge(name, model, money(price)),))


DEFAULT_CATALOG = Catalog(
    plans={
        plan.name: plan
        for plan in (
            _plan(
                "8a8aa0b1000000000000000000000001",
                "Basic Monthly",
                "Hosting",
                ChargeModel.RECURRING_MONTHLY,
                "30.00",
            ),
            _plan(
                "8a8aa0b1000000000000000000000002",
                "Pro Monthly",
                "Hosting",
                ChargeModel.RECURRING_MONTHLY,
                "100.00",
            ),
            _plan("8a8aa0b1000000000000000000000003", "Setup Fee", "Services", ChargeModel.ONE_TIME, "50.00"),
            _plan(
                "8a8aa0b1000000000000000000000004",
                "Goodwill Credit",
                "Services",
                ChargeModel.ONE_TIME,
                "-20.00",
            ),
        )
    }
)
