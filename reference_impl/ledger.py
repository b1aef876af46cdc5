"""The in-memory store behind :class:`reference_impl.Billing`, and its all-or-nothing helper.

Every stored value is frozen and lives in a :class:`~reference_impl.table.Table` that keeps its
own look-up indexes (ids and numbers, documents by account, bill run and subscription, bill runs
by schedule and status), so no request scans more than it touches. An operation decorated with
:func:`atomic` runs inside a transaction: every write is journaled, and when the operation
returns a :class:`~reference_impl.rejection.Rejection` (or raises) the journal undoes its writes,
indexes included: a refused request changes nothing. The cost of that guarantee is one journal
record per write, not a copy of the tenant.

Python's cyclic garbage collector is paused while an operation runs. The records are frozen and
refer to no one who refers back, so the collector has nothing to find in them; but every full
collection walks all of them, and a bill run over a hundred thousand accounts triggered five,
which cost more than the run itself. Paused, the collector catches up after the operation, in
one collection at most. Memory is still freed as usual: by reference counting.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from reference_impl.account import Account
from reference_impl.bill_run import BillRun, BillRunStatus
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentItem
from reference_impl.invoice import Invoice
from reference_impl.order import AsyncJob, Order, OrderRequest
from reference_impl.payment import Payment, PaymentMethod
from reference_impl.rejection import Rejection
from reference_impl.subscription import Subscription
from reference_impl.table import Journal, Table
from reference_impl.tenant import FeatureSettings

__all__ = ["Ledger", "Retry", "atomic"]

P = ParamSpec("P")
R = TypeVar("R")

_ID_PREFIX = {
    "account": "8a8a0001",
    "subscription": "8a8a0002",
    "bill_run": "8a8a0003",
    "invoice": "8a8a0004",
    "credit_memo": "8a8a0005",
    "payment": "8a8a0006",
    "item": "8a8a0007",
    "order": "8a8a0008",
    "job": "8a8a0009",
    "payment_method": "8a8a000a",
}
_NUMBER_FORMAT = {
    "account": "A{:08d}",
    "subscription": "A-S{:08d}",
    "bill_run": "BR-{:08d}",
    "invoice": "INV{:08d}",
    "credit_memo": "CM{:08d}",
    "payment": "P-{:08d}",
    "order": "O-{:08d}",
}


def _one(value: Hashable) -> tuple[Hashable, ...]:
    return () if value is None else (value,)


def _subscriptions_billed(items: tuple[DocumentItem, ...]) -> tuple[Hashable, ...]:
    if len(items) == 1:
        return (items[0].subscription_number,)
    return tuple(dict.fromkeys(item.subscription_number for item in items))


#: Invoices and credit memos are filed by account, by bill run and by the subscriptions they bill.
_DOCUMENT_INDEXES = {
    "account": ("account_number", _one),
    "bill_run": ("bill_run_id", _one),
    "subscription": ("items", _subscriptions_billed),
}


@dataclass(frozen=True)
class Retry:
    """What an idempotency key keeps: the order request first sent with it, what that came to
    (the order's number, or the refusal) and the moment of the tenant's clock it is forgotten."""

    request: OrderRequest
    outcome: str | Rejection
    until: datetime


class Ledger:
    """Everything the tenant knows, keyed by the number a person would quote (bill runs by id)."""

    def __init__(self) -> None:
        journal = self.journal = Journal()
        self.accounts = Table[Account](journal, alternate="id")
        self.subscriptions = Table[Subscription](
            journal, alternate="id", indexes={"account": ("account_number", _one)}
        )
        self.bill_runs = Table[BillRun](
            journal, alternate="number", indexes={"series": ("series", _one), "status": ("status", _one)}
        )
        self.invoices = Table[Invoice](journal, alternate="id", indexes=_DOCUMENT_INDEXES)
        self.credit_memos = Table[CreditMemo](journal, alternate="id", indexes=_DOCUMENT_INDEXES)
        self.payments = Table[Payment](journal)
        self.payment_methods = Table[PaymentMethod](journal)
        self.orders = Table[Order](journal, alternate="id")
        self.jobs = Table[AsyncJob](journal)
        #: how many ids and numbers of each kind were drawn (restored as a whole on roll-back)
        self.counters: dict[str, int] = {}
        #: idempotency key -> what the first order sent with it came to (:class:`Retry`)
        self.retries = Table[Retry](journal)
        #: bill runs held part-way (see :mod:`reference_impl.bill_run_holds`): id -> the status
        #: the run had before it was held
        self.held_bill_runs = Table[BillRunStatus](journal)
        self._settings = Table[Any](journal)
        self._settings["features"] = FeatureSettings()
        self._settings["hold_new_bill_runs"] = False

    @property
    def features(self) -> FeatureSettings:
        """The tenant's feature settings."""
        features: FeatureSettings = self._settings["features"]
        return features

    @features.setter
    def features(self, features: FeatureSettings) -> None:
        self._settings["features"] = features

    @property
    def hold_new_bill_runs(self) -> bool:
        """Whether new bill runs are created held ``Pending``."""
        return bool(self._settings["hold_new_bill_runs"])

    @hold_new_bill_runs.setter
    def hold_new_bill_runs(self, held: bool) -> None:
        self._settings["hold_new_bill_runs"] = held

    def contents(self) -> dict[str, dict[str, Any]]:
        """Every table as a plain dictionary: what tests compare to prove nothing changed."""
        tables = {name: table.as_dict() for name, table in vars(self).items() if isinstance(table, Table)}
        return {**tables, "counters": dict(self.counters)}

    def atomically(self, work: Callable[[], R]) -> R:
        """Run ``work``; undo its writes when it returns a :class:`Rejection` or raises."""
        journal, counters = self.journal, dict(self.counters)
        mark = len(journal)
        pause = not journal.depth and gc.isenabled()
        if pause:
            gc.disable()
        journal.depth += 1
        try:
            result = work()
        except BaseException:
            self._roll_back(mark, counters)
            raise
        finally:
            journal.depth -= 1
            if pause:
                gc.enable()
        if isinstance(result, Rejection):
            self._roll_back(mark, counters)
        elif not journal.depth:
            journal.forget()
        return result

    def _roll_back(self, mark: int, counters: dict[str, int]) -> None:
        self.journal.roll_back(mark)
        self.counters.clear()
        self.counters.update(counters)

    def new_id(self, kind: str) -> str:
        """A 32-hex-digit id, the shape of Zuora's ids."""
        prefix = _ID_PREFIX[kind]
        count = self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{count:024x}"

    def new_number(self, kind: str) -> str:
        count = self.counters[kind] = self.counters.get(kind, 0) + 1
        return _NUMBER_FORMAT[kind].format(count)


class _HasLedger(Protocol):
    @property
    def ledger(self) -> Ledger: ...


S = TypeVar("S", bound=_HasLedger)


def atomic(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run ``method`` as one transaction of its service's ledger: all of it, or nothing."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.ledger.atomically(lambda: method(self, *args, **kwargs))

    return run
