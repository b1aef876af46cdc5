"""Targets broken in ways that are not a rule violation, to test how the harness reports them."""

from __future__ import annotations

from datetime import date

from reference_impl import Billing, Category, Rejection, Subscription
from reference_impl.order import Order, OrderRequest


class RefusesEverySubscription(Billing):
    """A tenant that cannot be set up: every subscription is refused, so no scenario can be arranged."""

    def subscribe(
        self,
        *,
        account_number: str,
        plan_name: str,
        start_date: date,
        subscription_number: str | None = None,
        term_months: int | None = 12,
    ) -> Subscription | Rejection:
        return Rejection("subscription-refused", Category.RULE_RESTRICTION, "This tenant sells nothing.")

    def create_order(self, request: OrderRequest) -> Order | Rejection:
        return Rejection("order-refused", Category.RULE_RESTRICTION, "This tenant takes no orders.")
