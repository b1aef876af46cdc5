"""The in-memory store behind :class:`reference_impl.Billing`, and its all-or-nothing helper.

Every stored value is frozen, so a shallow copy of the dictionaries is a full snapshot. An
operation decorated with :func:`atomic` works on such a copy and keeps it only when it does not
return a :class:`~reference_impl.rejection.Rejection` (or raise): a refused request changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from reference_impl.account import Account
from reference_impl.bill_run import BillRun, BillRunStatus
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.order import AsyncJob, Order, OrderRequest
from reference_impl.payment import Payment
from reference_impl.rejection import Rejection
from reference_impl.subscription import Subscription
from reference_impl.tenant import FeatureSettings

__all__ = ["Ledger", "atomic"]

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


@dataclass
class Ledger:
    """Everything the tenant knows, keyed by the number a person would quote (bill runs by id)."""

    features: FeatureSettings = field(default_factory=FeatureSettings)
    accounts: dict[str, Account] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    bill_runs: dict[str, BillRun] = field(default_factory=dict)
    invoices: dict[str, Invoice] = field(default_factory=dict)
    credit_memos: dict[str, CreditMemo] = field(default_factory=dict)
    payments: dict[str, Payment] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    jobs: dict[str, AsyncJob] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    #: idempotency key -> the order request first sent with it, and the number of its order
    retries: dict[str, tuple[OrderRequest, str]] = field(default_factory=dict)
    #: bill runs held part-way (see :mod:`reference_impl.bill_run_holds`): id -> the status the
    #: run had before it was held; and whether new bill runs are held Pending when created
    held_bill_runs: dict[str, BillRunStatus] = field(default_factory=dict)
    hold_new_bill_runs: bool = False

    def snapshot(self) -> Ledger:
        return Ledger(
            features=self.features,
            accounts=dict(self.accounts),
            subscriptions=dict(self.subscriptions),
            bill_runs=dict(self.bill_runs),
            invoices=dict(self.invoices),
            credit_memos=dict(self.credit_memos),
            payments=dict(self.payments),
            orders=dict(self.orders),
            jobs=dict(self.jobs),
            counters=dict(self.counters),
            retries=dict(self.retries),
            held_bill_runs=dict(self.held_bill_runs),
            hold_new_bill_runs=self.hold_new_bill_runs,
        )

    def _next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def new_id(self, kind: str) -> str:
        """A 32-hex-digit id, the shape of Zuora's ids."""
        return f"{_ID_PREFIX[kind]}{self._next(kind + '#id'):024x}"

    def new_number(self, kind: str) -> str:
        return _NUMBER_FORMAT[kind].format(self._next(kind))


class _HasLedger(Protocol):
    _ledger: Ledger


S = TypeVar("S", bound=_HasLedger)


def atomic(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """Run ``method`` on a snapshot of the ledger; keep the snapshot unless it refuses or fails."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        saved = self._ledger
        self._ledger = saved.snapshot()
        try:
            result = method(self, *args, **kwargs)
        except BaseException:
            self._ledger = saved
            raise
        if isinstance(result, Rejection):
            self._ledger = saved
        return result

    return run
