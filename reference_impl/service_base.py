"""What every group of operations shares: the ledger, the clock, the catalog and look-ups."""

from __future__ import annotations

from datetime import date

from reference_impl.account import Account
from reference_impl.bill_run import BillRun
from reference_impl.catalog import DEFAULT_CATALOG, Catalog
from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger
from reference_impl.rejection import Category, Rejection

__all__ = ["ServiceBase", "not_found"]


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
        account = self._ledger.accounts.get(key) or next(
            (a for a in self._ledger.accounts.values() if a.id == key), None
        )
        return account if account is not None else not_found("account", key)

    def _find_bill_run(self, key: str) -> BillRun | Rejection:
        run = self._ledger.bill_runs.get(key) or next(
            (r for r in self._ledger.bill_runs.values() if r.number == key), None
        )
        return run if run is not None else not_found("bill run", key)

    def _find_invoice(self, key: str) -> Invoice | Rejection:
        invoice = self._ledger.invoices.get(key) or next(
            (i for i in self._ledger.invoices.values() if i.id == key), None
        )
        return invoice if invoice is not None else not_found("invoice", key)

    def _find_credit_memo(self, key: str) -> CreditMemo | Rejection:
        memo = self._ledger.credit_memos.get(key) or next(
            (m for m in self._ledger.credit_memos.values() if m.id == key), None
        )
        return memo if memo is not None else not_found("credit memo", key)

    def _invoices_of(self, run: BillRun) -> list[Invoice]:
        return [i for i in self._ledger.invoices.values() if i.bill_run_id == run.id]

    def _credit_memos_of(self, run: BillRun) -> list[CreditMemo]:
        return [m for m in self._ledger.credit_memos.values() if m.bill_run_id == run.id]
