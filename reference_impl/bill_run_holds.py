"""Holding bill runs part-way, so that a run can be met while it waits or while work is under way.

Zuora creates, processes, posts and cancels bill runs in the background: for a while a run is
``Pending``, ``Processing``, ``PostInProgress`` or ``CancelInProgress``. The reference does that
work at once, so nobody could ever meet a run in those statuses. Holding makes them last:

* while new bill runs are held, a run is created held ``Pending``: it is not processed when due;
* a run is held part-way through processing, posting or canceling: it moves into that status
  (the same move the transition table allows for the real operation) and the work stops there.

Releasing a run finishes what was held: processing bills its accounts, posting posts its
documents, canceling cancels them; a run held ``Pending`` is processed when next due. Nothing
else changes: what a held run allows is still decided by
:data:`~reference_impl.bill_run.BILL_RUN_TRANSITIONS` and the service's hooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from reference_impl.bill_run import BillRun, BillRunAction, BillRunStatus
from reference_impl.bill_run_ops import BillRuns
from reference_impl.ledger import Ledger, atomic
from reference_impl.lookups import find_bill_run
from reference_impl.rejection import Category, Rejection

__all__ = ["HOLDABLE", "BillRunHolds"]

#: The passing statuses a run can be held in, and the move that enters each.
HOLDABLE: Mapping[BillRunStatus, BillRunAction] = {
    BillRunStatus.PROCESSING: BillRunAction.START_PROCESSING,
    BillRunStatus.POST_IN_PROGRESS: BillRunAction.START_POSTING,
    BillRunStatus.CANCEL_IN_PROGRESS: BillRunAction.START_CANCELING,
}


class BillRunHolds:
    """Holds bill runs part-way through what ``bill_runs`` does to them, and releases them."""

    def __init__(self, ledger: Ledger, bill_runs: BillRuns) -> None:
        self.ledger = ledger
        self.bill_runs = bill_runs

    def hold_new_bill_runs(self, held: bool) -> None:
        """From now on, create bill runs held ``Pending`` (True; ``create_bill_run`` consults the
        switch) or as usual (False). Runs already held stay held until each is released."""
        self.ledger.hold_new_bill_runs = held

    @atomic
    def hold_bill_run(self, key: str, status: BillRunStatus) -> BillRun | Rejection:
        """Move the run into ``status``, one of :data:`HOLDABLE`, and hold it there."""
        action = HOLDABLE.get(status)
        if action is None:
            return Rejection(
                "bill-run-hold-status",
                Category.INVALID_VALUE,
                f"A bill run can be held only while {', '.join(s.value for s in HOLDABLE)}, "
                f"not {status.value}.",
            )
        found = self.bill_runs.find_and_move(key, action)
        if isinstance(found, Rejection):
            return found
        run, moved = found
        blocked = self.bill_runs.cancel_blocker(run) if action is BillRunAction.START_CANCELING else None
        if blocked is not None:
            return blocked
        self.ledger.bill_runs[moved.id] = moved
        self.ledger.held_bill_runs.setdefault(run.id, run.status)
        return moved

    @atomic
    def release_bill_run(self, key: str) -> BillRun | Rejection:
        """Finish the work held on the run, and hold it no longer."""
        run = find_bill_run(self.ledger, key)
        if isinstance(run, Rejection):
            return run
        before = self.ledger.held_bill_runs.pop(run.id, None)
        if before is None:
            return Rejection(
                "bill-run-not-held", Category.RULE_RESTRICTION, f"The bill run {run.number} is not held."
            )
        if run.status is BillRunStatus.PROCESSING:
            return self.bill_runs.finish_processing(run)[0]
        if run.status is BillRunStatus.POST_IN_PROGRESS:
            return self.bill_runs.finish_posting(run, None)
        if run.status is BillRunStatus.CANCEL_IN_PROGRESS:
            # As the default cancellation would: only this occurrence, if it is one of a schedule.
            return self.bill_runs.finish_canceling(
                self._as_it_was(run, before), run, cancel_once=True
            ).bill_run
        return run

    def _as_it_was(self, run: BillRun, before: BillRunStatus) -> BillRun:
        return replace(run, status=before)
