"""Bill runs: their statuses, the transition table between them, and recurring schedules.

A bill run is created ``Pending``. Processing (``Processing``) ends ``Completed`` with draft
documents, or in ``Error``. A completed run can be posted (``PostInProgress`` then ``Posted``) or
canceled (``CancelInProgress`` then ``Canceled``); a pending one can be canceled as well, and a
pending scheduled one can be paused and resumed (or, resumed when its schedule has no occurrence
left, it lapses into ``Canceled``). Only canceled or failed runs can be removed
(``RemoveInProgress``, then gone). Every other move is refused; :data:`BILL_RUN_TRANSITIONS` is
the whole lifecycle.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum

from reference_impl.rejection import Category, Rejection

__all__ = [
    "BILL_RUN_TRANSITIONS",
    "BillRun",
    "BillRunAction",
    "BillRunStatus",
    "RepeatType",
    "Schedule",
    "Transitions",
]


class BillRunStatus(Enum):
    """Zuora's ``BillRunStatus`` enum, with its spelling (one-L ``Canceled``)."""

    PENDING = "Pending"
    PROCESSING = "Processing"
    COMPLETED = "Completed"
    ERROR = "Error"
    CANCELED = "Canceled"
    POSTED = "Posted"
    POST_IN_PROGRESS = "PostInProgress"
    CANCEL_IN_PROGRESS = "CancelInProgress"
    REMOVE_IN_PROGRESS = "RemoveInProgress"
    PAUSED = "Paused"


class BillRunAction(Enum):
    START_PROCESSING = "start processing"
    COMPLETE_PROCESSING = "complete processing"
    FAIL_PROCESSING = "fail processing"
    START_POSTING = "post"
    COMPLETE_POSTING = "complete posting"
    START_CANCELING = "cancel"
    COMPLETE_CANCELING = "complete canceling"
    PAUSE = "pause"
    RESUME = "resume"
    LAPSE = "lapse"
    START_REMOVING = "delete"


Transitions = Mapping[tuple[BillRunStatus, BillRunAction], BillRunStatus]

S, A = BillRunStatus, BillRunAction
BILL_RUN_TRANSITIONS: Transitions = {
    (S.PENDING, A.START_PROCESSING): S.PROCESSING,
    (S.PROCESSING, A.COMPLETE_PROCESSING): S.COMPLETED,
    (S.PROCESSING, A.FAIL_PROCESSING): S.ERROR,
    (S.COMPLETED, A.START_POSTING): S.POST_IN_PROGRESS,
    (S.POST_IN_PROGRESS, A.COMPLETE_POSTING): S.POSTED,
    # "Cancel bill runs", introduction: completed (no posted invoices, checked by the service)
    # and pending runs can be canceled; nothing else can.
    (S.PENDING, A.START_CANCELING): S.CANCEL_IN_PROGRESS,
    (S.COMPLETED, A.START_CANCELING): S.CANCEL_IN_PROGRESS,
    (S.CANCEL_IN_PROGRESS, A.COMPLETE_CANCELING): S.CANCELED,
    (S.PENDING, A.PAUSE): S.PAUSED,
    (S.PAUSED, A.RESUME): S.PENDING,
    # Zuora's "Manage scheduled bill runs", step 4: a paused run resumed after the time of its
    # schedule's last occurrence is canceled.
    (S.PAUSED, A.LAPSE): S.CANCELED,
    # Decision: like Zuora's API, a run that ended in Error can be deleted as well as a canceled one.
    (S.CANCELED, A.START_REMOVING): S.REMOVE_IN_PROGRESS,
    (S.ERROR, A.START_REMOVING): S.REMOVE_IN_PROGRESS,
}
del S, A

_REFUSALS: Mapping[tuple[BillRunStatus, BillRunAction], str] = {
    (BillRunStatus.POSTED, BillRunAction.START_CANCELING): "A posted bill run cannot be canceled.",
    (BillRunStatus.PAUSED, BillRunAction.START_CANCELING): "A paused scheduled bill run cannot be canceled.",
}


class RepeatType(Enum):
    NONE = "None"
    DAILY = "Daily"
    WEEKLY = "Weekly"
    MONTHLY = "Monthly"


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _day_after(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


@dataclass(frozen=True)
class Schedule:
    """When a scheduled bill run recurs. ``repeat_to`` is the last date an occurrence may fall on."""

    repeat_type: RepeatType
    repeat_from: date
    repeat_to: date | None = None
    run_time: int = 0
    weekly_on_day: tuple[str, ...] = ()
    monthly_on_end_of_month: bool = False

    def occurrence_time(self, on: date) -> datetime:
        return datetime(on.year, on.month, on.day, self.run_time)

    def next_after(self, occurrence: date) -> date | None:
        """The date of the occurrence that follows ``occurrence``, or None when the schedule ends."""
        following = self._raw_next(occurrence)
        if following is None or (self.repeat_to is not None and following > self.repeat_to):
            return None
        return following

    def _raw_next(self, occurrence: date) -> date | None:
        """The next date by the repeat type; None past the calendar's last day (9999-12-31)."""
        if self.repeat_type is RepeatType.DAILY:
            return _day_after(occurrence)
        if self.repeat_type is RepeatType.WEEKLY:
            days = set(self.weekly_on_day) or {WEEKDAYS[self.repeat_from.weekday()]}
            candidate = _day_after(occurrence)
            while candidate is not None and WEEKDAYS[candidate.weekday()] not in days:
                candidate = _day_after(candidate)
            return candidate
        if self.repeat_type is RepeatType.MONTHLY:
            year, month = divmod(occurrence.month, 12)
            year, month = occurrence.year + year, month + 1
            if year > date.max.year:
                return None
            last = calendar.monthrange(year, month)[1]
            anchor = self.repeat_from.day
            start_is_month_end = (
                anchor == calendar.monthrange(self.repeat_from.year, self.repeat_from.month)[1]
            )
            day = last if self.monthly_on_end_of_month and start_is_month_end else min(anchor, last)
            return date(year, month, day)
        return None


@dataclass(frozen=True)
class BillRun:
    """One bill run. An occurrence of a schedule carries the schedule and its ``series`` id.

    ``account_number`` limits the run to one account; None bills every account (``AllBatches``).
    """

    id: str
    number: str
    target_date: date
    invoice_date: date
    scheduled_for: datetime
    status: BillRunStatus = BillRunStatus.PENDING
    account_number: str | None = None
    schedule: Schedule | None = None
    series: str | None = None
    error_message: str | None = None
    created_at: datetime | None = None

    @property
    def is_scheduled(self) -> bool:
        return self.schedule is not None

    def transition(
        self, action: BillRunAction, table: Transitions = BILL_RUN_TRANSITIONS
    ) -> BillRun | Rejection:
        """Move along ``table`` or return the refusal that explains why the move is not allowed."""
        target = table.get((self.status, action))
        if target is None:
            message = _REFUSALS.get(
                (self.status, action),
                f"The bill run {self.number} is {self.status.value} and cannot {action.value}.",
            )
            return Rejection(
                code=f"bill-run-cannot-{action.value.replace(' ', '-')}-when-{self.status.value.lower()}",
                category=Category.RULE_RESTRICTION,
                message=message,
            )
        return replace(self, status=target)
