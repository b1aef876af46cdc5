"""Known-bad variants that hold every example of the features and that only ``explore`` catches:
the faults hide in histories no example writes down."""

from __future__ import annotations

from reference_impl import BillRun, Rejection
from tests.known_bad.base import KnownBad

__all__ = ["DeletesTheWaitingOccurrenceWithACanceledOne"]


class DeletesTheWaitingOccurrenceWithACanceledOne(KnownBad):
    """Deleting a canceled occurrence of a schedule also deletes the occurrence that waits after
    it. No example deletes an occurrence of a schedule: the examples of BR-DELETE delete ad hoc
    runs, and those of BR-CANCEL-ONCE look at the waiting occurrence without deleting anything."""

    breaks = "BR-DELETE"

    def delete_bill_run(self, key: str) -> BillRun | Rejection:
        run = self.bill_run(key)
        deleted = super().delete_bill_run(key)
        if isinstance(deleted, Rejection) or not isinstance(run, BillRun) or run.series is None:
            return deleted
        waiting = self.pending_occurrence(run.series)
        if waiting is not None:
            del self.ledger.bill_runs[waiting.id]
        return deleted
