"""Rating: which charges of a subscription are due, and for how much, up to a target date.

Recurring charges are billed monthly in advance: a service period is due as soon as its first
day is on or before the target date. Periods run from the subscription's start date, month by
month (a start on the 31st falls back to the last day of shorter months). A subscription that
ends inside a period is charged only for the days it is in service. A period already carried by
a document that is not canceled is never billed twice.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Set
from datetime import date
from decimal import Decimal

from reference_impl.catalog import ChargeModel, Plan
from reference_impl.document import DocumentItem
from reference_impl.money import money
from reference_impl.subscription import Subscription

__all__ = ["BilledKey", "add_months", "due_items", "prorate"]

BilledKey = tuple[str, str, date]


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by whole months, keeping its day where the month has it."""
    year, month = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + year, month + 1
    return date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))


def prorate(price: Decimal, period_start: date, period_end: date, served_until: date) -> Decimal:
    """The share of ``price`` for the days from ``period_start`` up to (not including) ``served_until``."""
    days = (period_end - period_start).days
    served = max(0, min((served_until - period_start).days, days))
    return money(price * served / days)


def _periods(subscription: Subscription) -> Iterator[tuple[date, date]]:
    k = 0
    while True:
        yield add_months(subscription.start_date, k), add_months(subscription.start_date, k + 1)
        k += 1


def due_items(
    subscription: Subscription,
    plan: Plan,
    target_date: date,
    billed: Set[BilledKey],
    new_item_id: Callable[[], str],
) -> list[DocumentItem]:
    """The items to bill for ``subscription`` through ``target_date`` that are not billed yet."""
    items: list[DocumentItem] = []
    for charge in plan.charges:
        if charge.model is ChargeModel.ONE_TIME:
            start = subscription.start_date
            if start <= target_date and (subscription.number, charge.name, start) not in billed:
                items.append(
                    DocumentItem(new_item_id(), subscription.number, charge.name, start, start, charge.price)
                )
            continue
        for start, end in _periods(subscription):
            if start > target_date or (subscription.end_date is not None and start >= subscription.end_date):
                break
            if (subscription.number, charge.name, start) in billed:
                continue
            amount = charge.price
            if subscription.end_date is not None and subscription.end_date < end:
                amount = prorate(charge.price, start, end, subscription.end_date)
            items.append(DocumentItem(new_item_id(), subscription.number, charge.name, start, end, amount))
    return items
