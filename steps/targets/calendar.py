"""A scenario's calendar moved onto a tenant whose clock the kit cannot set.

A target without the conformance control API (a real sandbox tenant) keeps its own clock. Its
scenarios are written on fixed dates in :data:`SCENARIO_YEARS`, so the kit moves every date it
hands the target, and moves back every date it reads, by the same number of years.

Decision: the move is a whole number of leap cycles (four years), never a number of days or
months, because amounts are prorated by day: a move that turned a 31-day month into a 30-day
one, or dropped a 29 February, would change what the rules expect. The cycle chosen is the
latest that puts the end of the scenarios' calendar before the tenant's today (with two days
to spare for time zones), so every arranged date is in the tenant's past, where Zuora accepts
back-dated orders, bill runs and payments. Only the scenarios that never need the tenant's
clock to move can run this way; the others need the control API and are not applicable.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from functools import wraps
from typing import TypeVar, cast

from steps.targets.protocol import Target

__all__ = ["LEAP_CYCLE", "SCENARIO_YEARS", "ShiftedCalendar", "calendar_shift", "move"]

#: The years the kit's scenarios are dated in (a test keeps the features inside them).
SCENARIO_YEARS = (2026, 2027, 2028)
#: Years in a leap cycle: moving a date by a multiple keeps month lengths and leap days.
LEAP_CYCLE = 4
_SPARE = timedelta(days=2)
T = TypeVar("T")


def calendar_shift(tenant_today: date) -> int:
    """Years to move the scenarios' dates by so that they all lie before ``tenant_today``."""
    end = date(SCENARIO_YEARS[-1], 12, 31)
    years = LEAP_CYCLE * ((tenant_today.year - end.year) // LEAP_CYCLE)
    while end.replace(year=end.year + years) >= tenant_today - _SPARE:
        years -= LEAP_CYCLE
    return years


def move(value: T, years: int) -> T:
    """``value`` with every date in it (inside views, orders, lists and maps too) moved."""
    return value if not years else cast("T", _moved(value, years))


def _moved(value: object, years: int) -> object:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.replace(year=value.year + years)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return dataclasses.replace(
            value, **{f.name: _moved(getattr(value, f.name), years) for f in fields if f.init}
        )
    if isinstance(value, tuple | list):
        return type(value)(_moved(item, years) for item in value)
    if isinstance(value, dict):
        return {key: _moved(item, years) for key, item in value.items()}
    return value


class ShiftedCalendar:
    """A :class:`Target` seen through moved dates: the steps keep the scenario's calendar, the
    target sees its own. Everything else passes through unchanged."""

    def __init__(self, inner: Target, years: int) -> None:
        self._inner = inner
        self.years = years

    def __getattr__(self, name: str) -> object:
        member = getattr(self._inner, name)
        if not callable(member):
            return member

        @wraps(member)
        def moved(*args: object, **kwargs: object) -> object:
            there = member(
                *(move(a, self.years) for a in args),
                **{key: move(v, self.years) for key, v in kwargs.items()},
            )
            return move(there, -self.years)

        return moved
