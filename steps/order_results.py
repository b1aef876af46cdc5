"""Steps about what a cancellation order leaves behind: its answer, its lookup and its retries."""

from __future__ import annotations

import uuid
from datetime import date

from pytest_bdd import then, when

from steps.parsing import step
from steps.support import accepted, observed
from steps.targets import CancellationOrder, CannotObserveError, OrderView, Outcome, Target
from steps.wording import describe
from steps.write_offs import WRITE_OFF

__all__: list[str] = []

#: How a scenario counts the documents an order names.
_COUNT = {"no invoice": 0, "one invoice": 1, "no credit memo": 0, "one credit memo": 1}


@when(
    step(
        '"{name}" cancels the "{plan}" subscription as of {day:Date} and writes off unpaid invoices, '
        "submitting the same order again as a retry"
    ),
    target_fixture="answers",
)
def _(target: Target, name: str, plan: str, day: date) -> tuple[Outcome[OrderView], Outcome[OrderView]]:
    order = CancellationOrder(name, plan, effective_date=day, idempotency_key=f"retry-{uuid.uuid4()}")
    return target.cancel_subscription(order), target.cancel_subscription(order)


@then("both answers name the same order")
def _(answers: tuple[Outcome[OrderView], Outcome[OrderView]]) -> None:
    first, again = (
        accepted(answer, what) for answer, what in zip(answers, ("the order", "its retry"), strict=False)
    )
    assert again.number == first.number, f"the retry made a second order: {first.number}, then {again.number}"
    assert again.status == first.status == "Completed", (
        f"the order is {first.status}, its retry {again.status}"
    )


@then(step('"{name}" has exactly one write-off credit memo'))
def _(target: Target, name: str) -> None:
    """Not twice: a target that wrote nothing off at all breaks another rule, and shows nothing
    about retries."""
    memos = [m.number for m in target.account_credit_memos(name) if m.reason_code == WRITE_OFF]
    if not memos:
        raise CannotObserveError(
            "whether the retry wrote anything off again", f"{name} has no write-off credit memo"
        )
    assert len(memos) == 1, f"{name} has {len(memos)} write-off credit memos: {', '.join(memos)}"


@then(
    step('the result names {invoices:InvoiceCount} and {memos:MemoCount} of "{name}" besides the write-offs')
)
def _(target: Target, order: Outcome[OrderView], invoices: str, memos: str, name: str) -> None:
    """Each document named is looked up: it must be the customer's. Write-off credit memos may be
    among the credit memos named (Zuora does not say); only the others are counted."""
    result = accepted(order, "the order")
    account = target.account_id(name)
    found_invoices = [
        accepted(target.invoice(n), f"looking the invoice {n} up") for n in result.invoice_numbers
    ]
    found_memos = [
        accepted(target.credit_memo(n), f"looking the credit memo {n} up") for n in result.credit_memo_numbers
    ]
    strangers = [i.number for i in found_invoices if i.account_id != account]
    strangers += [m.number for m in found_memos if m.account_id != account]
    assert not strangers, f"the result names documents of another account: {', '.join(strangers)}"
    final_memos = [m.number for m in found_memos if m.reason_code != WRITE_OFF]
    assert len(found_invoices) == _COUNT[invoices], (
        f"the result names the invoices {list(result.invoice_numbers)}"
    )
    assert len(final_memos) == _COUNT[memos], (
        f"the result names the credit memos {list(result.credit_memo_numbers)}"
    )


@then("the order the result names can be looked up")
def _(target: Target, order: Outcome[OrderView]) -> None:
    """The number named is the order's. If it cannot be found, the number may be wrong or orders
    may not be found again at all (WO-RESULTS-RETRIEVABLE's statement): that is not observed here."""
    result = accepted(order, "the order")
    shown = observed(target.order(result.number), f"whether the result names the order {result.number}")
    assert (shown.number, shown.status) == (result.number, "Completed"), describe(shown)
