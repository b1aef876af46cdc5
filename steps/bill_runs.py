"""Steps about bill runs: creating, posting, canceling, pausing, looking up and deleting them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pytest_bdd import given, then, when

from steps.parsing import BILL_RUN_STATUS, DOCUMENT_STATUS, step
from steps.support import accepted, arranged, observed, refused, refused_by_rule, refused_while_busy
from steps.targets import (
    BillRunView,
    CancelView,
    CannotObserveError,
    InvoiceView,
    Money,
    Outcome,
    Refusal,
    Refused,
    ScheduleSpec,
    Target,
)
from steps.wording import describe

__all__: list[str] = []

REPEAT = {"once": "None", "daily": "Daily", "weekly": "Weekly", "monthly": "Monthly"}


@dataclass(frozen=True)
class Deletion:
    outcome: Outcome[None]
    invoices: tuple[InvoiceView, ...]


def _settled(run: Outcome[BillRunView], expected: str) -> BillRunView:
    view = arranged(run)
    assert view.status == expected, f"could not arrange a {expected} bill run: it is {view.status}"
    return view


def _completed(target: Target, name: str | None, day: date) -> BillRunView:
    return _settled(target.create_bill_run(target_date=day, account=name, schedule=None), "Completed")


def _scheduled(target: Target, name: str | None, spec: ScheduleSpec) -> BillRunView:
    return _settled(target.create_bill_run(target_date=None, account=name, schedule=spec), "Pending")


# -- Given ----------------------------------------------------------------------------------------


@given(step('a completed bill run for "{name}" with target date {day:Date}'), target_fixture="bill_run")
def _(target: Target, name: str, day: date) -> BillRunView:
    return _completed(target, name, day)


@given(step("a completed bill run for all customers with target date {day:Date}"), target_fixture="bill_run")
def _(target: Target, day: date) -> BillRunView:
    return _completed(target, None, day)


@given(
    step('a bill run for "{name}" with target date {day:Date} that ended in error'), target_fixture="bill_run"
)
def _(target: Target, name: str, day: date) -> BillRunView:
    return _settled(target.create_bill_run(target_date=day, account=name, schedule=None), "Error")


@given(step('a pending ad hoc bill run for "{name}" with target date {day:Date}'), target_fixture="bill_run")
def _(target: Target, name: str, day: date) -> BillRunView:
    return _settled(target.create_pending_bill_run(target_date=day, account=name), "Pending")


#: What a run is held part-way through, the status it is held in, and the status it starts from.
PASSAGES = {
    "processed": ("Processing", "Pending"),
    "posted": ("PostInProgress", "Completed"),
    "canceled": ("CancelInProgress", "Completed"),
}


@given(
    step('a bill run for "{name}" with target date {day:Date} held while it is being {passage}'),
    target_fixture="bill_run",
)
def _(target: Target, name: str, day: date, passage: str) -> BillRunView:
    held, start = PASSAGES[passage]
    if start == "Pending":
        run = _settled(target.create_pending_bill_run(target_date=day, account=name), "Pending")
    else:
        run = _completed(target, name, day)
    return _settled(target.hold_bill_run(run.id, held), held)


@given(step("a bill run scheduled {repeat} from {start:Date}"), target_fixture="bill_run")
def _(target: Target, repeat: str, start: date) -> BillRunView:
    return _scheduled(target, None, ScheduleSpec(REPEAT[repeat], start))


@given(step("a bill run scheduled {repeat} from {start:Date} until {end:Date}"), target_fixture="bill_run")
def _(target: Target, repeat: str, start: date, end: date) -> BillRunView:
    return _scheduled(target, None, ScheduleSpec(REPEAT[repeat], start, end))


@given(step('a {status} bill run for "{name}" dated {day:Date}'), target_fixture="bill_run")
def _(target: Target, status: str, name: str, day: date) -> BillRunView:
    """Completed and posted runs are ad hoc with that target date; pending and paused ones are scheduled."""
    if status in ("completed", "posted"):
        run = _completed(target, name, day)
        return run if status == "completed" else arranged(target.post_bill_run(run.id))
    run = _scheduled(target, name, ScheduleSpec("None", day))
    return run if status == "pending" else arranged(target.pause_bill_run(run.id))


@given(step("the {which} occurrence is the bill run in question"), target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView, which: str) -> BillRunView:
    """The schedule's occurrence that has run (the first one), or the one waiting after it."""
    if which == "pending":
        waiting = target.pending_occurrence(bill_run.id)
        assert waiting is not None, "could not arrange the scenario: no occurrence of the schedule waits"
        return _settled(target.bill_run(waiting.id), "Pending")
    return _settled(target.bill_run(bill_run.id), BILL_RUN_STATUS[which])


@given("the bill run has been posted", target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView) -> BillRunView:
    return arranged(target.post_bill_run(bill_run.id))


@given("the bill run has been canceled", target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView) -> BillRunView:
    return arranged(target.cancel_bill_run(bill_run.id, cancel_once=None)).bill_run


@given("the bill run has been canceled, and its invoices with it", target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView) -> BillRunView:
    """For a rule about what follows from canceled invoices: a target that leaves them uncanceled
    breaks another rule (BR-CANCEL-INVOICES), and this scenario cannot be arranged on it."""
    canceled = arranged(target.cancel_bill_run(bill_run.id, cancel_once=None)).bill_run
    invoices = observed(target.bill_run_invoices(bill_run.id), f"the invoices of bill run {bill_run.number}")
    left = [i for i in invoices if i.status != "Canceled"]
    assert not left, f"the canceled bill run left these invoices uncanceled: {describe(left)}"
    return canceled


@given("the bill run has been paused", target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView) -> BillRunView:
    return arranged(target.pause_bill_run(bill_run.id))


@given("the bill run has been resumed", target_fixture="bill_run")
def _(target: Target, bill_run: BillRunView) -> BillRunView:
    return arranged(target.resume_bill_run(bill_run.id))


# -- When -----------------------------------------------------------------------------------------


@when("the bill run is canceled", target_fixture="cancellation")
def _(target: Target, bill_run: BillRunView) -> Outcome[CancelView]:
    return target.cancel_bill_run(bill_run.id, cancel_once=None)


@when("only the current occurrence is canceled", target_fixture="cancellation")
def _(target: Target, bill_run: BillRunView) -> Outcome[CancelView]:
    return target.cancel_bill_run(bill_run.id, cancel_once=True)


@when("all recurrences are canceled", target_fixture="cancellation")
def _(target: Target, bill_run: BillRunView) -> Outcome[CancelView]:
    return target.cancel_bill_run(bill_run.id, cancel_once=False)


@when("the bill run is resumed", target_fixture="resumption")
def _(target: Target, bill_run: BillRunView) -> Outcome[BillRunView]:
    return target.resume_bill_run(bill_run.id)


@when("the bill run is posted", target_fixture="posting")
def _(target: Target, bill_run: BillRunView) -> Outcome[BillRunView]:
    return target.post_bill_run(bill_run.id)


@when("the bill run is deleted", target_fixture="deletion")
def _(target: Target, bill_run: BillRunView) -> Deletion:
    invoices = target.bill_run_invoices(bill_run.id)
    kept = tuple(invoices) if not isinstance(invoices, Refused) else ()
    return Deletion(target.delete_bill_run(bill_run.id), kept)


@when("the bill run is looked up", target_fixture="lookup")
def _(target: Target, bill_run: BillRunView) -> Outcome[BillRunView]:
    return target.bill_run(bill_run.id)


# -- Then -----------------------------------------------------------------------------------------


def _canceled_run(target: Target, bill_run: BillRunView, what: str) -> BillRunView:
    """The bill run looked up again, where a correct target shows it canceled. Not finding it is
    not observed as this rule's fault: that a canceled run can still be viewed is BR-VIEW-CANCELED's
    statement, so the scenario is errored."""
    now = target.bill_run(bill_run.id)
    if isinstance(now, Refused) and now.category is Refusal.NOT_FOUND:
        raise CannotObserveError(what, f"bill run {bill_run.number} cannot be found again: {now.message}")
    return accepted(now, "looking the bill run up")


@then("the bill run ends up canceled")
def _(target: Target, bill_run: BillRunView, cancellation: Outcome[CancelView]) -> None:
    """Reported canceled, and still canceled when looked up again: an answer alone proves nothing."""
    reported = accepted(cancellation, "the cancellation").bill_run
    assert reported.status == "Canceled", f"the cancellation answered with a {reported.status} bill run"
    now = _canceled_run(target, bill_run, "whether the bill run ends up canceled")
    assert now.status == "Canceled", f"the cancellation was accepted, but the bill run is {now.status}"


@then(
    step(
        'the cancellation leaves the invoice of "{name}" dated {day:Date} {status:DocumentStatus} with a '
        "balance of {amount:Money}"
    )
)
def _(
    target: Target,
    bill_run: BillRunView,
    cancellation: Outcome[CancelView],
    name: str,
    day: date,
    status: str,
    amount: Money,
) -> None:
    """What a cancellation does not touch: the customer's invoice of that date that the canceled
    run did not make (whatever became of the run's own invoices is BR-CANCEL-INVOICES's). A refused
    cancellation touches nothing, so it proves nothing here: the scenario is errored (which runs
    can be canceled is another rule's)."""
    if isinstance(cancellation, Refused):
        raise CannotObserveError(
            "which documents the cancellation canceled", f"it was refused: {cancellation.message}"
        )
    own = observed(target.bill_run_invoices(bill_run.id), f"the invoices of bill run {bill_run.number}")
    own_numbers = {i.number for i in own}
    found = [
        i for i in target.account_invoices(name) if i.invoice_date == day and i.number not in own_numbers
    ]
    assert len(found) == 1, f"expected one other invoice of {name} dated {day}, found {describe(found)}"
    invoice = found[0]
    seen = (invoice.status, invoice.balance)
    assert seen == (DOCUMENT_STATUS[status], amount), (
        f"the invoice {invoice.number} is {invoice.status} with a balance of {invoice.balance}"
    )


@then("the cancellation is refused because a business rule forbids it")
def _(cancellation: Outcome[CancelView]) -> None:
    refused_by_rule(cancellation, "the cancellation")


@then("the cancellation is refused because the bill run is busy")
def _(cancellation: Outcome[CancelView]) -> None:
    refused_while_busy(cancellation, "the cancellation")


@then("the posting is refused because a business rule forbids it")
def _(posting: Outcome[BillRunView]) -> None:
    refused_by_rule(posting, "the posting")


@then(step("the bill run is still {status}"))
def _(target: Target, bill_run: BillRunView, status: str) -> None:
    if status == "canceled":
        now = _canceled_run(target, bill_run, "whether the bill run is still canceled")
    else:
        now = accepted(target.bill_run(bill_run.id), "looking the bill run up")
    assert now.status == BILL_RUN_STATUS[status], (
        f"the bill run is {now.status}, not {BILL_RUN_STATUS[status]}"
    )


@then(step("the next occurrence is pending for {day:Date}"))
def _(target: Target, cancellation: Outcome[CancelView], day: date) -> None:
    following = accepted(cancellation, "the cancellation").next_run
    assert following is not None, "no next occurrence was scheduled"
    now = accepted(target.bill_run(following.id), "looking the next occurrence up")
    assert (now.status, now.scheduled_date) == ("Pending", day), f"the next occurrence is {describe(now)}"


@then("no occurrence of the schedule is pending")
def _(target: Target, bill_run: BillRunView, cancellation: Outcome[CancelView]) -> None:
    assert accepted(cancellation, "the cancellation").next_run is None, "a next occurrence was reported"
    assert target.pending_occurrence(bill_run.id) is None, "an occurrence of the schedule is still waiting"


@then(step("the resumption leaves the bill run {status}"))
def _(target: Target, bill_run: BillRunView, resumption: Outcome[BillRunView], status: str) -> None:
    """Answered so, and so when looked up again. Resuming goes through the control API, and a
    refused control operation says nothing of the rule: the scenario is errored."""
    expected = BILL_RUN_STATUS[status]
    reported = observed(resumption, "what resuming the bill run left")
    assert reported.status == expected, f"resuming answered with a {reported.status} bill run"
    if status == "canceled":
        now = _canceled_run(target, bill_run, "whether resuming left the bill run canceled")
    else:
        now = accepted(target.bill_run(bill_run.id), "looking the bill run up")
    assert now.status == expected, f"the resumption was accepted, but the bill run is {now.status}"


@then("no occurrence of the schedule waits to run")
def _(target: Target, bill_run: BillRunView) -> None:
    waiting = target.pending_occurrence(bill_run.id)
    assert waiting is None, f"an occurrence of the schedule still waits: {describe(waiting)}"


@then(step("the schedule's next occurrence is pending for {day:Date}"))
def _(target: Target, bill_run: BillRunView, day: date) -> None:
    """Whichever bill run it is: the schedule's occurrence that waits to run, looked up."""
    waiting = target.pending_occurrence(bill_run.id)
    assert waiting is not None, "no occurrence of the schedule waits to run"
    now = accepted(target.bill_run(waiting.id), "looking the waiting occurrence up")
    assert (now.status, now.scheduled_date) == ("Pending", day), f"the waiting occurrence is {describe(now)}"


@then("the bill run ends up posted")
def _(target: Target, bill_run: BillRunView, posting: Outcome[BillRunView]) -> None:
    """Posted when looked up again after the posting was accepted: the answer alone proves nothing."""
    accepted(posting, "the posting")
    now = accepted(target.bill_run(bill_run.id), "looking the bill run up")
    assert now.status == "Posted", f"the posting was accepted, but the bill run is {now.status}"


@then(step("it is shown as canceled, with its number and target date {day:Date}"))
def _(bill_run: BillRunView, lookup: Outcome[BillRunView], day: date) -> None:
    shown = accepted(lookup, "looking the canceled bill run up")
    assert (shown.status, shown.number, shown.target_date) == ("Canceled", bill_run.number, day), describe(
        shown
    )


@then("the bill run can no longer be found")
def _(target: Target, bill_run: BillRunView, deletion: Deletion) -> None:
    accepted(deletion.outcome, "the deletion")
    refused(target.bill_run(bill_run.id), "looking the deleted bill run up", Refusal.NOT_FOUND)


@then("its invoices can no longer be found")
def _(target: Target, deletion: Deletion) -> None:
    assert deletion.invoices, "the bill run had no invoice to check"
    for invoice in deletion.invoices:
        refused(target.invoice(invoice.number), f"looking up invoice {invoice.number}", Refusal.NOT_FOUND)


@then("the deletion is refused because a business rule forbids it")
def _(deletion: Deletion) -> None:
    refused_by_rule(deletion.outcome, "the deletion")


@then("the deletion is refused because the bill run is busy")
def _(deletion: Deletion) -> None:
    refused_while_busy(deletion.outcome, "the deletion")


@then("the bill run has no credit memo")
def _(target: Target, bill_run: BillRunView) -> None:
    memos = observed(
        target.bill_run_credit_memos(bill_run.id), f"the credit memos of bill run {bill_run.number}"
    )
    assert memos == [], f"the bill run produced these credit memos: {describe(memos)}"
