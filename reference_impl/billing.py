"""The reference implementation's entry point: one tenant's billing, in memory."""

from __future__ import annotations

from datetime import datetime

from reference_impl.bill_run import BillRun
from reference_impl.bill_run_holds import BillRunHolds
from reference_impl.order_ops import OrderOps

__all__ = ["Billing"]


class Billing(BillRunHolds, OrderOps):
    """A tenant's billing: accounts, subscriptions, bill runs, invoices, credit memos, payments.

    Every operation returns its result or a :class:`~reference_impl.rejection.Rejection`; a
    rejected operation leaves the tenant exactly as it was. Time comes from the injected clock;
    :meth:`advance_clock` moves a :class:`~reference_impl.clock.ManualClock` and lets due
    scheduled bill runs happen. Bill runs can be held part-way (:mod:`.bill_run_holds`), for
    the conformance control API.
    """

    def advance_clock(self, to: datetime) -> list[BillRun]:
        """Move the clock forward to ``to`` and process the bill runs that became due.

        At most :data:`~reference_impl.bill_run_ops.MAX_OCCURRENCES_PER_CALL` are processed; after
        a jump that makes more due, :meth:`process_due_bill_runs` goes on with the rest.
        """
        set_time = getattr(self._clock, "set", None)
        if set_time is None:
            msg = "advance_clock needs a clock that can be set (ManualClock)"
            raise TypeError(msg)
        if to < self._clock.now():
            msg = f"the clock cannot go back from {self._clock.now()} to {to}"
            raise ValueError(msg)
        set_time(to)
        return self.process_due_bill_runs()
