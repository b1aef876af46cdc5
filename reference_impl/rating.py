"""Rating: which charges of a subscription are due, and for how much, up to a target date.

Recurring charges are billed monthly in advance: a service period is due as soon as its first
day is on or before the target date. Periods run from the subscription's start date, month by
month (a start on the 31st falls back to the last day of shorter months). A subscription that
ends inside a period is charged only for the days it is in service. A period already carried by
a document that is not canceled is never billed twice; when a canceled subscription was billed
in advance past its end, the unused part comes back as a credit item (a negative amount).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal

from reference_impl.catalog import Charge, ChargeModel, Plan
from reference_impl.document import DocumentItem
from reference_impl.money import ZERO, money
from reference_impl.subscription import Subscription

__all__ = ["BilledKey", "add_months", "credit_name", "due_items", "prorate"]

#: (subscription number, charge name, first day of the service period)
BilledKey = tuple[str, str, date]


def add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by whole months, keeping its day where the month has it."""
    year, month = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + year, month + 1
    day = anchor.day
    if day > 28:  # every month has 28 days; only a later day needs the calendar
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def prorate(price: Decimal, period_start: date, period_end: date, served_until: date) -> Decimal:
    """The share of ``price`` for the days from ``period_start`` up to (not including) ``served_until``."""
    days = (period_end - period_start).days
    served = max(0, min((served_until - period_start).days, days))
    return money(price * served / days)


def credit_name(charge_name: str) -> str:
    """The item name under which unused, already billed service of a charge is credited."""
    return f"{charge_name} (unused)"


def _recurring(
    subscription: Subscription,
    charge: Charge,
    target_date: date,
    billed: Mapping[BilledKey, Decimal],
    new_item_id: Callable[[], str],
) -> Iterator[DocumentItem]:
    number, end, first = subscription.number, subscription.end_date, subscription.start_date
    start, k = first, 0
    while start <= target_date:  # period k runs from ``first`` moved by k months, for a month
        k += 1
        stop = add_months(first, k)
        key = (number, charge.name, start)
        if key not in billed:
            if end is not None and start >= end:
                return
            amount = charge.price if end is None or end >= stop else prorate(charge.price, start, stop, end)
            yield DocumentItem(new_item_id(), number, charge.name, start, stop, amount)
        elif end is not None and end < stop:  # billed in advance past the end: credit what is unused
            credit_start = max(start, end)
            unused = billed[key] - prorate(charge.price, start, stop, end)
            if (number, credit_name(charge.name), credit_start) not in billed and unused > ZERO:
                yield DocumentItem(
                    new_item_id(), number, credit_name(charge.name), credit_start, stop, -unused
                )
        start = stop


def due_items(
    subscription: Subscription,
    plan: Plan,
    target_date: date,
    billed: Mapping[BilledKey, Decimal],
    new_item_id: Callable[[], str],
) -> list[DocumentItem]:
    """The items to bill for ``subscription`` through ``target_date`` that are not billed yet."""
    items: list[DocumentItem] = []
    for charge in plan.charges:
        if charge.model is ChargeModel.RECURRING_MONTHLY:
            items += _recurring(subscription, charge, target_date, billed, new_item_id)
            continue
        start = subscription.start_date
        ended_before = subscription.end_date is not None and subscription.end_date <= start
        if (
            start <= target_date
            and not ended_before
            and (subscription.number, charge.name, start) not in billed
        ):
            items.append(
                DocumentItem(new_item_id(), subscription.number, charge.name, start, start, charge.price)
            )
    return items
