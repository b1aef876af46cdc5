"""Rating: which charges of a subscription are due, and for how much, up to a target date.

Recurring charges are billed monthly in advance: a service period is due as soon as its first
day is on or before the target date. Periods run from the subscription's start date, month by
month (a start on the 31st falls back to the last day of shorter months). A subscription that
ends inside a period is charged only for the days it is in service. A period already carried by
a document that is not canceled is never billed twice; when a canceled subscription was billed
in advance past its end, the unused part comes back as a credit item (a negative amount).

The calendar ends on 9999-12-31 (and starts on 0001-01-01): :func:`months_after` says None for a
date past either end, and a service period that would end past it is not billed (the requests
that could lead there are refused first: a term or a first period past the calendar, a target
date in the calendar's last month).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Mapping
from datetime import MAXYEAR, MINYEAR, date
from decimal import Decimal

from reference_impl.catalog import Charge, ChargeModel, Plan
from reference_impl.document import DocumentItem
from reference_impl.money import ZERO, money
from reference_impl.rejection import Category, Rejection
from reference_impl.subscription import Subscription

__all__ = [
    "BilledKey",
    "add_months",
    "beyond_calendar",
    "billed_beyond_calendar",
    "credit_name",
    "due_items",
    "months_after",
    "prorate",
]

#: (subscription number, charge name, first day of the service period)
BilledKey = tuple[str, str, date]


def months_after(anchor: date, months: int) -> date | None:
    """``anchor`` moved by whole months, keeping its day where the month has it; None when that
    falls outside the calendar (before 0001-01-01 or after 9999-12-31)."""
    year, month = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + year, month + 1
    if not MINYEAR <= year <= MAXYEAR:
        return None
    day = anchor.day
    if day > 28:  # every month has 28 days; only a later day needs the calendar
        day = min(day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_months(anchor: date, months: int) -> date:
    """:func:`months_after` where the caller knows the date is in the calendar (a request that
    could lead outside was refused by :func:`beyond_calendar` or :func:`billed_beyond_calendar`)."""
    moved = months_after(anchor, months)
    if moved is None:
        msg = "the date falls outside the calendar"
        raise ValueError(msg)
    return moved


def beyond_calendar(start: date, term_months: int | None) -> Rejection | None:
    """The refusal of a subscription from ``start`` whose term of ``term_months`` (None:
    evergreen) or first monthly service period would end outside the calendar; None if both fit."""
    if months_after(start, 1) is not None and (
        term_months is None or months_after(start, term_months) is not None
    ):
        return None
    return Rejection(
        "subscription-beyond-calendar",
        Category.INVALID_VALUE,
        f"A subscription starting {start} (its ContractEffective trigger date, else the order "
        "date) with that term (terms.initialTerm.period) cannot be kept: its term or its first "
        "service period would end outside the calendar, which runs from 0001-01-01 to 9999-12-31.",
    )


def billed_beyond_calendar(target_date: date, field: str) -> Rejection | None:
    """The refusal of billing through ``target_date`` (given as ``field``) when a service period
    due by then could end past the calendar (the target date is in its last month); else None."""
    if months_after(target_date, 1) is not None:
        return None
    return Rejection(
        "target-date-beyond-calendar",
        Category.INVALID_VALUE,
        f"{field} {target_date} is too late: a service period due by then would end after "
        "9999-12-31, the last day of the calendar.",
    )


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
        stop = months_after(first, k)
        if stop is None:  # the period would end past the calendar
            return
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
