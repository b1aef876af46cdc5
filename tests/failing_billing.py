"""Implementations that fail (raise) where a reference would answer: the in-process form of a
server answering HTTP 500. ``tests/test_one_fault_one_verdict.py`` runs each in-process and
behind the reference server, and compares the verdicts rule by rule."""

from __future__ import annotations

from reference_impl import Billing, Rejection
from reference_impl.bill_run_ops import CancelOutcome
from reference_impl.order import Order, OrderRequest

__all__ = ["CancelingFails", "WritingOffFails"]


class CancelingFails(Billing):
    """Every bill-run cancellation fails with an exception: nothing is canceled, nothing refused."""

    def cancel_bill_run(self, key: str, *, cancel_once: bool = True) -> CancelOutcome | Rejection:
        msg = "database on fire"
        raise RuntimeError(msg)


class WritingOffFails(Billing):
    """Every order that writes off unpaid invoices fails with an exception: nothing is canceled."""

    def create_order(self, request: OrderRequest, *, idempotency_key: str | None = None) -> Order | Rejection:
        if request.processing.write_off:
            msg = "ledger locked"
            raise ValueError(msg)
        return super().create_order(request, idempotency_key=idempotency_key)
