"""Bill-run operations: create, process, post, cancel, pause, resume, delete.

The rules of the "Cancel bill runs" document live here and in
:data:`reference_impl.bill_run.BILL_RUN_TRANSITIONS`. Each rule has one hook method, so that a
known-bad variant of the implementation (``tests/known_bad/``) can break exactly one of them.

Catching up with time (our decision; the documents are silent). Bill runs are processed in the
background in Zuora; here due runs are processed when the tenant is next asked something, at
most :data:`MAX_OCCURRENCES_PER_CALL` of them per call, oldest first, and each costs only its
own billing. A clock moved years ahead over a daily schedule is caught up over the following
calls instead of in one, so no request (and no other tenant of the same server) waits on it.
A schedule may not start before the tenant's today: it is refused, not replayed.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, replace
from datetime import date

from reference_impl.account import Account
from reference_impl.bill_run import (
    BILL_RUN_TRANSITIONS,
    BillRun,
    BillRunAction,
    BillRunStatus,
    Schedule,
    Transitions,
)
from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentAction, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.invoicing import Invoicing
from reference_impl.ledger import Ledger, atomic
from reference_impl.lookups import credit_memos_of, find_account, find_bill_run, invoices_of
from reference_impl.rating import billed_beyond_calendar
from reference_impl.rejection import Category, Rejection

__all__ = ["BillRuns", "CancelOutcome"]

#: The most due bill runs one call of ``process_due_bill_runs`` processes; the rest wait for the
#: next call. It bounds the work any one request does, however far the clock has moved.
MAX_OCCURRENCES_PER_CALL = 100


@dataclass(frozen=True)
class CancelOutcome:
    """A canceled bill run and, when only the current occurrence was canceled, the next one."""

    bill_run: BillRun
    next_run: BillRun | None


class BillRuns:
    """The lifecycle of bill runs, as :data:`~reference_impl.bill_run.BILL_RUN_TRANSITIONS` (or
    the ``transitions`` given) allows it; the documents of a run come from ``invoicing``."""

    def __init__(
        self,
        ledger: Ledger,
        clock: Clock,
        invoicing: Invoicing,
        transitions: Transitions = BILL_RUN_TRANSITIONS,
    ) -> None:
        self.ledger = ledger
        self.clock = clock
        self.invoicing = invoicing
        self.transitions = transitions

    # -- create and process -------------------------------------------------------------------

    @atomic
    def create_bill_run(
        self,
        *,
        target_date: date | None = None,
        invoice_date: date | None = None,
        account_number: str | None = None,
        schedule: Schedule | None = None,
    ) -> BillRun | Rejection:
        """Queue an ad hoc run (``schedule`` None) or the first occurrence of a scheduled one."""
        given = "targetDate" if target_date is not None else "schedule.repeatFrom"
        if account_number is not None:
            account = find_account(self.ledger, account_number)
            if isinstance(account, Rejection):
                return account
            account_number = account.number
        if schedule is None:
            if target_date is None:
                return Rejection(
                    "bill-run-target-date-required",
                    Category.MISSING_FIELD,
                    "An ad hoc bill run needs a target date.",
                )
            when = self.clock.now()
            invoice_date = invoice_date or when.date()
        else:
            if schedule.repeat_to is not None and schedule.repeat_to < schedule.repeat_from:
                return Rejection(
                    "bill-run-schedule-ends-before-start",
                    Category.INVALID_VALUE,
                    "The schedule's repeatTo date is before its repeatFrom date.",
                )
            if schedule.repeat_from < self.clock.now().date():
                return Rejection(
                    "bill-run-schedule-starts-in-the-past",
                    Category.INVALID_VALUE,
                    f"The schedule's repeatFrom date {schedule.repeat_from} is before today "
                    f"({self.clock.now().date()}); a schedule starts today or later.",
                )
            when = schedule.occurrence_time(schedule.repeat_from)
            target_date = target_date or schedule.repeat_from
            invoice_date = invoice_date or schedule.repeat_from
        too_late = billed_beyond_calendar(target_date, given)
        if too_late is not None:
            return too_late
        run_id = self.ledger.new_id("bill_run")
        run = BillRun(
            id=run_id,
            number=self.ledger.new_number("bill_run"),
            target_date=target_date,
            invoice_date=invoice_date,
            scheduled_for=when,
            account_number=account_number,
            schedule=schedule,
            series=run_id if schedule is not None else None,
            created_at=self.clock.now(),
        )
        self.ledger.bill_runs[run.id] = run
        if self.ledger.hold_new_bill_runs:  # see bill_run_holds
            self.ledger.held_bill_runs[run.id] = run.status
        return run

    @atomic
    def process_due_bill_runs(self) -> list[BillRun]:
        """Process the pending runs whose time has come, oldest first, at most
        :data:`MAX_OCCURRENCES_PER_CALL` of them; return them as they ended."""
        now = self.clock.now()
        due = [
            (r.scheduled_for, r.number, r.id)
            for r in self.ledger.bill_runs.where("status", BillRunStatus.PENDING)
            if r.scheduled_for <= now and r.id not in self.ledger.held_bill_runs  # see bill_run_holds
        ]
        heapq.heapify(due)
        processed: list[BillRun] = []
        while due and len(processed) < MAX_OCCURRENCES_PER_CALL:
            done, following = self._process(self.ledger.bill_runs[heapq.heappop(due)[2]])
            processed.append(done)
            if following is not None and following.scheduled_for <= now:
                heapq.heappush(due, (following.scheduled_for, following.number, following.id))
        return processed

    def _process(self, run: BillRun) -> tuple[BillRun, BillRun | None]:
        """Run ``run``; return it as it ended and its schedule's next occurrence, if queued."""
        return self.finish_processing(self._move(run, BillRunAction.START_PROCESSING))

    def finish_processing(self, running: BillRun) -> tuple[BillRun, BillRun | None]:
        """Bill the accounts of a run that is Processing, and end it Completed or in Error."""
        accounts, failure = self._accounts_in_scope(running)
        if failure is not None:
            done = replace(self._move(running, BillRunAction.FAIL_PROCESSING), error_message=failure)
        else:
            for account in accounts:
                self._bill_account(running, account)
            done = self._move(running, BillRunAction.COMPLETE_PROCESSING)
        self.ledger.bill_runs[done.id] = done
        return done, self._schedule_next(done) if done.schedule is not None else None

    def find_and_move(self, key: str, action: BillRunAction) -> tuple[BillRun, BillRun] | Rejection:
        """The bill run ``key`` as it is, and as ``action`` would leave it; or why it cannot be."""
        run = find_bill_run(self.ledger, key)
        if isinstance(run, Rejection):
            return run
        moved = run.transition(action, self.transitions)
        return moved if isinstance(moved, Rejection) else (run, moved)

    def _move(self, run: BillRun, action: BillRunAction) -> BillRun:
        moved = run.transition(action, self.transitions)
        if isinstance(moved, Rejection):  # an internal step the table must allow
            raise RuntimeError(moved.message)
        return moved

    def _accounts_in_scope(self, run: BillRun) -> tuple[list[Account], str | None]:
        if run.account_number is None:
            return [a for a in self.ledger.accounts.values() if a.billable], None
        account = self.ledger.accounts[run.account_number]
        if not account.billable:
            return [], f"Account {account.number} is {account.status.value} and cannot be billed."
        return [account], None

    def _bill_account(self, run: BillRun, account: Account) -> None:
        self.invoicing.issue_documents(
            account,
            self.invoicing.due_items(account, run.target_date),
            run.invoice_date,
            run.target_date,
            bill_run_id=run.id,
        )

    def _schedule_next(self, run: BillRun) -> BillRun | None:
        """Queue the occurrence that follows ``run`` in its schedule, if the schedule goes on."""
        assert run.schedule is not None
        following = run.schedule.next_after(run.scheduled_for.date())
        if following is None:
            return None
        nxt = BillRun(
            id=self.ledger.new_id("bill_run"),
            number=self.ledger.new_number("bill_run"),
            target_date=following,
            invoice_date=following,
            scheduled_for=run.schedule.occurrence_time(following),
            account_number=run.account_number,
            schedule=run.schedule,
            series=run.series,
            created_at=self.clock.now(),
        )
        self.ledger.bill_runs[nxt.id] = nxt
        return nxt

    # -- look-ups -------------------------------------------------------------------------------

    def bill_run(self, key: str) -> BillRun | Rejection:
        """A bill run by id or number, whatever its status, until it is deleted."""
        return find_bill_run(self.ledger, key)

    def bill_run_invoices(self, key: str) -> list[Invoice] | Rejection:
        run = find_bill_run(self.ledger, key)
        return run if isinstance(run, Rejection) else invoices_of(self.ledger, run)

    def bill_run_credit_memos(self, key: str) -> list[CreditMemo] | Rejection:
        run = find_bill_run(self.ledger, key)
        return run if isinstance(run, Rejection) else credit_memos_of(self.ledger, run)

    def pending_occurrence(self, series: str) -> BillRun | None:
        """The occurrence of a schedule that is waiting to run (pending or paused), if any."""
        waiting = (BillRunStatus.PENDING, BillRunStatus.PAUSED)
        return next((r for r in self.ledger.bill_runs.where("series", series) if r.status in waiting), None)

    # -- post -----------------------------------------------------------------------------------

    @atomic
    def post_bill_run(self, key: str, invoice_date: date | None = None) -> BillRun | Rejection:
        """Post every draft document of a completed run; the run becomes Posted."""
        found = self.find_and_move(key, BillRunAction.START_POSTING)
        if isinstance(found, Rejection):
            return found
        return self.finish_posting(found[1], invoice_date)

    def finish_posting(self, posting: BillRun, invoice_date: date | None) -> BillRun:
        """Post the draft documents of a run that is PostInProgress; it becomes Posted."""
        for invoice in invoices_of(self.ledger, posting):
            posted = invoice.transition(DocumentAction.POST)
            if not isinstance(posted, Rejection):
                self.ledger.invoices[invoice.number] = replace(
                    posted, invoice_date=invoice_date or posted.invoice_date
                )
        for memo in credit_memos_of(self.ledger, posting):
            posted_memo = memo.transition(DocumentAction.POST)
            if not isinstance(posted_memo, Rejection):
                self.ledger.credit_memos[memo.number] = posted_memo
        done = self._move(posting, BillRunAction.COMPLETE_POSTING)
        self.ledger.bill_runs[done.id] = done
        return done

    # -- cancel ---------------------------------------------------------------------------------

    @atomic
    def cancel_bill_run(self, key: str, *, cancel_once: bool = True) -> CancelOutcome | Rejection:
        """Cancel a pending or completed run, with its draft invoices and credit memos.

        ``cancel_once`` matters only for a pending occurrence of a schedule: True cancels this
        occurrence and queues the next one at once; False ends the schedule. Decision (SHOULD,
        BR-CANCEL-ALL): a completed occurrence is canceled alone, whichever ``cancel_once`` says;
        the occurrence it queued keeps waiting (Zuora's older "CRUD: Post or cancel a bill run").
        """
        found = self.find_and_move(key, BillRunAction.START_CANCELING)
        if isinstance(found, Rejection):
            return found
        run, canceling = found
        blocked = self.cancel_blocker(run)
        if blocked is not None:
            return blocked
        return self.finish_canceling(run, canceling, cancel_once=cancel_once)

    def finish_canceling(self, run: BillRun, canceling: BillRun, *, cancel_once: bool) -> CancelOutcome:
        """Cancel the documents of ``run`` (as it was before canceling began) and end it Canceled."""
        self._cancel_invoices(run)
        self._cancel_credit_memos(run)
        done = self._move(canceling, BillRunAction.COMPLETE_CANCELING)
        self.ledger.bill_runs[done.id] = done
        return CancelOutcome(done, self._next_after_cancel(run, cancel_once=cancel_once))

    def cancel_blocker(self, run: BillRun) -> Rejection | None:
        """Rule: a run holding an issued (posted) document cannot be canceled.

        Decision: a posted credit memo blocks as well as a posted invoice; a posted credit memo
        cannot be canceled, so canceling the run could not keep its promise to cancel them all.
        """
        documents: list[Invoice | CreditMemo] = [
            *invoices_of(self.ledger, run),
            *credit_memos_of(self.ledger, run),
        ]
        posted = [d.number for d in documents if d.status is DocumentStatus.POSTED]
        if posted:
            return Rejection(
                "bill-run-has-posted-invoices",
                Category.RULE_RESTRICTION,
                f"The bill run {run.number} cannot be canceled: it holds posted documents "
                f"({', '.join(sorted(posted))}).",
            )
        return None

    def _cancel_invoices(self, run: BillRun) -> None:
        for invoice in invoices_of(self.ledger, run):
            canceled = invoice.transition(DocumentAction.CANCEL)
            if not isinstance(canceled, Rejection):
                self.ledger.invoices[invoice.number] = canceled

    def _cancel_credit_memos(self, run: BillRun) -> None:
        for memo in credit_memos_of(self.ledger, run):
            canceled = memo.transition(DocumentAction.CANCEL)
            if not isinstance(canceled, Rejection):
                self.ledger.credit_memos[memo.number] = canceled

    def _next_after_cancel(self, run: BillRun, *, cancel_once: bool) -> BillRun | None:
        if run.status is BillRunStatus.PENDING and run.schedule is not None and cancel_once:
            return self._schedule_next(run)
        return None

    # -- pause, resume, delete ----------------------------------------------------------------

    @atomic
    def pause_bill_run(self, key: str) -> BillRun | Rejection:
        return self._simple_move(key, BillRunAction.PAUSE, scheduled_only=True)

    @atomic
    def resume_bill_run(self, key: str) -> BillRun | Rejection:
        """Rule (BR-RESUME, Zuora's "Manage scheduled bill runs", step 4): a resumed run waits for
        its schedule's next occurrence. One whose time passed while it was paused is not run late:
        it waits for the first occurrence still to come, and lapses (is canceled) when none is."""
        run = find_bill_run(self.ledger, key)
        if isinstance(run, Rejection) or run.schedule is None or run.scheduled_for >= self.clock.now():
            return self._simple_move(key, BillRunAction.RESUME, scheduled_only=True)
        coming = self._first_to_come(run.schedule, run.scheduled_for.date())
        moved = run.transition(BillRunAction.RESUME if coming else BillRunAction.LAPSE, self.transitions)
        if isinstance(moved, Rejection):
            return moved
        if coming is not None:
            when = run.schedule.occurrence_time(coming)
            moved = replace(moved, target_date=coming, invoice_date=coming, scheduled_for=when)
        self.ledger.bill_runs[moved.id] = moved
        return moved

    def _first_to_come(self, schedule: Schedule, missed: date) -> date | None:
        """The first occurrence after ``missed`` whose time has not come yet, if the schedule has one."""
        following = schedule.next_after(missed)
        while following is not None and schedule.occurrence_time(following) < self.clock.now():
            following = schedule.next_after(following)
        return following

    def _simple_move(self, key: str, action: BillRunAction, *, scheduled_only: bool) -> BillRun | Rejection:
        run = find_bill_run(self.ledger, key)
        if isinstance(run, Rejection):
            return run
        if scheduled_only and run.schedule is None:
            return Rejection(
                f"bill-run-not-scheduled-{action.value}",
                Category.RULE_RESTRICTION,
                f"Only a scheduled bill run can {action.value}; {run.number} is ad hoc.",
            )
        moved = run.transition(action, self.transitions)
        if isinstance(moved, Rejection):
            return moved
        self.ledger.bill_runs[moved.id] = moved
        return moved

    @atomic
    def delete_bill_run(self, key: str) -> BillRun | Rejection:
        """Remove a canceled (or failed) run and the documents it produced."""
        found = self.find_and_move(key, BillRunAction.START_REMOVING)
        if isinstance(found, Rejection):
            return found
        run, removing = found
        for invoice in invoices_of(self.ledger, run):
            del self.ledger.invoices[invoice.number]
        for memo in credit_memos_of(self.ledger, run):
            del self.ledger.credit_memos[memo.number]
        del self.ledger.bill_runs[run.id]
        return removing
