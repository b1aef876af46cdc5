"""Known-bad variants for scheduled bill runs and posting: canceling all recurrences from an
occurrence that already completed, resuming a paused run, posting a run that holds a posted
invoice."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from reference_impl import BillRun, BillRunAction, BillRunStatus, bill_run_ops
from reference_impl.bill_run_ops import CancelOutcome
from reference_impl.document import DocumentStatus
from reference_impl.lookups import invoices_of
from reference_impl.rejection import Category, Rejection
from tests.known_bad.base import KnownBad

S, A = BillRunStatus, BillRunAction


class EndsTheScheduleFromACompletedOccurrence(KnownBad):
    """Canceling all recurrences from an occurrence that already completed also cancels the
    occurrence it queued (BR-CANCEL-ALL's SHOULD decision: a completed run is canceled alone)."""

    breaks = "BR-CANCEL-ALL"
    should_only = True

    class BillRuns(bill_run_ops.BillRuns):
        def finish_canceling(self, run: BillRun, canceling: BillRun, *, cancel_once: bool) -> CancelOutcome:
            done = super().finish_canceling(run, canceling, cancel_once=cancel_once)
            waiting = self.pending_occurrence(run.series) if run.series is not None else None
            if not cancel_once and waiting is not None and waiting.status is S.PENDING:
                self.ledger.bill_runs[waiting.id] = replace(waiting, status=S.CANCELED)
            return done


class RunsMissedOccurrencesOnResuming(KnownBad):
    """Resuming always makes a paused run pending as it was: an occurrence whose time passed while
    it was paused runs late, and a one-time run resumed after its date is not canceled."""

    breaks = "BR-RESUME"

    class BillRuns(bill_run_ops.BillRuns):
        def resume_bill_run(self, key: str) -> BillRun | Rejection:
            return self._simple_move(key, A.RESUME, scheduled_only=True)


class RunsLapsedOneTimeRunsLate(KnownBad):
    """Skips the occurrences a paused schedule missed, but a one-time run resumed after its date
    is made pending as it was, and runs late, instead of being canceled."""

    breaks = "BR-RESUME"

    class BillRuns(bill_run_ops.BillRuns):
        def resume_bill_run(self, key: str) -> BillRun | Rejection:
            run = self.bill_run(key)
            if (
                isinstance(run, BillRun)
                and run.schedule is not None
                and run.schedule.next_after(run.scheduled_for.date()) is None
            ):
                return self._simple_move(key, A.RESUME, scheduled_only=True)
            return super().resume_bill_run(key)


class RefusesPostingRunsHoldingPostedInvoices(KnownBad):
    """Refuses to post a completed run once any of its invoices has been posted on its own."""

    breaks = "BR-POST-HOLDING-POSTED-INVOICE"

    class BillRuns(bill_run_ops.BillRuns):
        def post_bill_run(self, key: str, invoice_date: date | None = None) -> BillRun | Rejection:
            run = self.bill_run(key)
            if isinstance(run, BillRun) and any(
                i.status is DocumentStatus.POSTED for i in invoices_of(self.ledger, run)
            ):
                return Rejection(
                    "bill-run-has-posted-invoices", Category.RULE_RESTRICTION, "An invoice is already posted."
                )
            return super().post_bill_run(key, invoice_date)


class LeavesRunsHoldingPostedInvoicesCompleted(KnownBad):
    """Posts the drafts of a run that already held a posted invoice, but leaves the run Completed,
    as if the invoice posted before had failed to post."""

    breaks = "BR-POST-HOLDING-POSTED-INVOICE"

    class BillRuns(bill_run_ops.BillRuns):
        def finish_posting(self, posting: BillRun, invoice_date: date | None) -> BillRun:
            before = [i for i in invoices_of(self.ledger, posting) if i.status is DocumentStatus.POSTED]
            done = super().finish_posting(posting, invoice_date)
            if not before:
                return done
            back = replace(done, status=S.COMPLETED)
            self.ledger.bill_runs[back.id] = back
            return back
