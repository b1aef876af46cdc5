"""What every group of operations shares: the ledger, the clock, the catalog and look-ups."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TypeVar

from reference_impl.account import Account
from reference_impl.bill_run import BillRun
from reference_impl.catalog import DEFAULT_CATALOG, Catalog
from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.rejection import Category, Rejection

__all__ = ["ServiceBase", "not_found"]


V = TypeVar("V")


def _lookup(table: Mapping[str, V], key: str, other_key: str, kind: str) -> V | Rejection:
    """The value stored under ``key``, or the one whose ``other_key`` attribute is ``key``
    (a number or an id: Zuora's paths take either)."""
    found = table.get(key) or next((v for v in table.values() if getattr(v, other_key) == key), None)
    return found if found is not None else not_found(kind, key)


def not_found(kind: str, key: str) -> Rejection:
    return Rejection(
        code=f"{kind.replace(' ', '-')}-not-found",
        category=Category.NOT_FOUND,
        message=f"No {kind} {key!r} exists.",
    )


class ServiceBase:
    """State and look-ups. Subclasses add operations; none of them does I/O."""

    def __init__(
        self, clock: Clock, catalog: Catalog = DEFAULT_CATALOG, ledger: Ledger | None = None
    ) -> None:
        self._clock = clock
        self.catalog = catalog
        self._ledger = ledger if ledger is not None else Ledger()

    def _today(self) -> date:
        return self._clock.now().date()

    def _find_account(self, key: str) -> Account | Rejection:
        return _lookup(self._ledger.accounts, key, "id", "account")

    def _find_bill_run(self, key: str) -> BillRun | Rejection:
        return _lookup(self._ledger.bill_runs, key, "number", "bill run")

    def _find_invoice(self, key: str) -> Invoice | Rejection:
        return _lookup(self._ledger.invoices, key, "id", "invoice")

    def _find_credit_memo(self, key: str) -> CreditMemo | Rejection:
        return _lookup(self._ledger.credit_memos, key, "id", "credit memo")

    def _invoices_of(self, run: BillRun) -> list[Invoice]:
        return [i for i in self._ledger.invoices.values() if i.bill_run_id == run.id]

    def _credit_memos_of(self, run: BillRun) -> list[CreditMemo]:
        return [m for m in self._ledger.credit_memos.values() if m.bill_run_id == run.id]
