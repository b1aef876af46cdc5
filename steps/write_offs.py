"""Steps about what a cancellation order wrote off and credited: the write-offs it reports, the
write-off credit memos, and the final credit memo applied before anything is written off.

Each step checks only what its rule states. What it needs only to observe that (the invoice a
write-off names, a credit memo number, the final credit memo) it looks up through
:func:`steps.support.observed`, or finds another way Zuora's API offers, so that a target failing
something else makes the scenario errored rather than blaming this rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from pytest_bdd import then

from steps.parsing import money, step
from steps.support import accepted, observed
from steps.targets import (
    BillRunView,
    CannotObserveError,
    CreditMemoView,
    InvoiceView,
    Money,
    OrderView,
    Outcome,
    Target,
    WriteOffView,
)
from steps.wording import describe

__all__ = ["WRITE_OFF", "written_off_invoice"]

#: The reason code of every write-off credit memo.
WRITE_OFF = "Write-off"


def _order(outcome: Outcome[OrderView]) -> OrderView:
    return accepted(outcome, "the order")


def written_off_invoice(target: Target, write_off: WriteOffView) -> InvoiceView:
    """The invoice a reported write-off names, looked up to learn its date (whether the number
    really is an invoice number is WO-REPORTED's to judge)."""
    number = write_off.invoice_number
    return observed(target.invoice(number), f"the invoice {number} that a write-off names")


def _write_off_of(target: Target, order: OrderView, day: date, name: str) -> WriteOffView:
    assert order.write_offs is not None, "the order reported no write-offs"
    for write_off in order.write_offs:
        invoice = written_off_invoice(target, write_off)
        if invoice.invoice_date == day and invoice.account_id == target.account_id(name):
            return write_off
    raise AssertionError(f"no write-off reported for an invoice dated {day}: {describe(order.write_offs)}")


def _write_off_memos(target: Target, name: str, what: str) -> list[CreditMemoView]:
    """The customer's write-off credit memos, found by their reason code among the customer's
    credit memos (so without the numbers the order's report gives: those are WO-REPORTED's), each
    looked up in full. None at all means there is nothing to observe ``what`` on."""
    listed = [m for m in target.account_credit_memos(name) if m.reason_code == WRITE_OFF]
    if not listed:
        raise CannotObserveError(what, f"{name} has no write-off credit memo")
    return [observed(target.credit_memo(m.number), f"the write-off credit memo {m.number}") for m in listed]


# -- Then -----------------------------------------------------------------------------------------


@then(
    step(
        'the invoice of "{name}" dated {day:Date} was written off by a credit memo of {amount:Money} with '
        'reason code "{reason}"'
    )
)
def _(target: Target, order: Outcome[OrderView], name: str, day: date, amount: Money, reason: str) -> None:
    write_off = _write_off_of(target, _order(order), day, name)
    assert (write_off.status, write_off.amount) == ("Success", amount), (
        f"the write-off is {write_off.status} for {describe(write_off.amount)}"
    )
    what = f"the credit memo that wrote off the invoice dated {day}"
    if write_off.credit_memo_number is None:  # naming it is WO-REPORTED's statement
        raise CannotObserveError(what, "the order's report of the write-off names no credit memo")
    memo = observed(target.credit_memo(write_off.credit_memo_number), what)
    seen = (memo.amount, memo.reason_code, memo.status, memo.applied_amount)
    assert seen == (amount, reason, "Posted", amount), (
        f"the credit memo {memo.number} is {memo.status}, amounts to {memo.amount}, has "
        f"{memo.applied_amount} applied and the reason code {memo.reason_code!r}"
    )
    assert memo.account_id == target.account_id(name), f"the credit memo {memo.number} is for another account"


#: The columns a table of reported write-offs may have besides the invoice's date (which says
#: which write-off a row is): how a cell is read, and what of a reported write-off it is compared
#: with. Each rule's table has only the columns its statement names.
_WRITE_OFF_COLUMNS: dict[str, tuple[Callable[[str], object], Callable[[WriteOffView], object]]] = {
    "amount": (money, lambda w: w.amount),
    "status": (str, lambda w: w.status),
    "credit memo": (lambda text: text == "yes", lambda w: bool(w.credit_memo_number)),
}


@then("the order reports these write-offs:")
def _(target: Target, order: Outcome[OrderView], datatable: list[list[str]]) -> None:
    """Compared by meaning and in any order: dates as dates, amounts as money in a currency; only
    the columns the table has."""
    (dated, *columns), *rows = datatable
    reported = _order(order).write_offs
    assert reported is not None, "the order reported no write-offs"
    assert dated == "invoice dated", dated
    assert set(columns) <= set(_WRITE_OFF_COLUMNS), columns
    expected = Counter(
        (
            date.fromisoformat(day),
            *(_WRITE_OFF_COLUMNS[column][0](cell) for column, cell in zip(columns, cells, strict=True)),
        )
        for day, *cells in rows
    )
    seen = Counter(
        (
            written_off_invoice(target, w).invoice_date,
            *(_WRITE_OFF_COLUMNS[column][1](w) for column in columns),
        )
        for w in reported
    )
    assert seen == expected, "the order reported " + (
        "; ".join(
            f"for the invoice dated {day}: "
            + ", ".join(f"{column} {describe(cell)}" for column, cell in zip(columns, cells, strict=True))
            for day, *cells in sorted(seen.elements(), key=str)
        )
        or "no write-off"
    )


@then(step('the order wrote off {amount:Money} of the invoice of "{name}" dated {day:Date}'))
def _(target: Target, order: Outcome[OrderView], amount: Money, name: str, day: date) -> None:
    write_off = _write_off_of(target, _order(order), day, name)
    assert (write_off.status, write_off.amount) == ("Success", amount), (
        f"the write-off is {write_off.status} for {describe(write_off.amount)}"
    )


@then("each write-off names its invoice and its credit memo by their numbers")
def _(target: Target, order: Outcome[OrderView]) -> None:
    for write_off in _order(order).write_offs or ():
        invoice = accepted(target.invoice(write_off.invoice_number), "looking the written-off invoice up")
        assert invoice.number == write_off.invoice_number, (
            f"{write_off.invoice_number} is not an invoice number"
        )
        assert write_off.credit_memo_number is not None, "a write-off names no credit memo"
        memo = accepted(target.credit_memo(write_off.credit_memo_number), "looking the credit memo up")
        assert memo.number == write_off.credit_memo_number, f"{write_off.credit_memo_number} is not a number"


@then(step('no invoice of "{name}" was written off'))
def _(target: Target, order: Outcome[OrderView], name: str) -> None:
    assert not _order(order).write_offs, (
        f"the order reported write-offs: {describe(_order(order).write_offs)}"
    )
    memos = [m for m in target.account_credit_memos(name) if m.reason_code == WRITE_OFF]
    assert not memos, f"write-off credit memos exist: {describe(memos)}"


@then(step('"{name}" has no write-off credit memo'))
def _(target: Target, name: str) -> None:
    """Whatever became of the order: no credit memo with the reason code "Write-off" exists."""
    memos = [m.number for m in target.account_credit_memos(name) if m.reason_code == WRITE_OFF]
    assert not memos, f"{name} has write-off credit memos: {', '.join(memos)}"


@then(step('the write-off of the invoice of "{name}" dated {day:Date} failed with a reason'))
def _(target: Target, order: Outcome[OrderView], name: str, day: date) -> None:
    write_off = _write_off_of(target, _order(order), day, name)
    assert write_off.status == "Failed", f"the order reported {describe(write_off)}"
    assert write_off.failed_reason, "the failed write-off gives no reason"


@then(
    step(
        'every item of every write-off credit memo of "{name}" is booked to deferred revenue account "{code}"'
    )
)
def _(target: Target, name: str, code: str) -> None:
    for memo in _write_off_memos(target, name, "where the write-off's finance information went"):
        assert memo.items, f"the write-off credit memo {memo.number} has no items"
        assert all(item.finance.get("deferredRevenueAccountingCode") == code for item in memo.items), (
            f"the write-off credit memo {memo.number} has these items: {describe(memo.items)}"
        )


@then(step('every write-off credit memo of "{name}" is in {currency:Currency}'))
def _(target: Target, name: str, currency: str) -> None:
    """Their currency only: what they amount to is for the rules about write-offs."""
    for memo in _write_off_memos(target, name, "the currency of the write-offs"):
        assert memo.amount.currency == currency, (
            f"the write-off credit memo {memo.number} is in {memo.amount.currency}"
        )


def _final_credit_memo(target: Target, order: OrderView, name: str) -> CreditMemoView | None:
    """The final credit memo the order gave the customer ``name``: the one credit memo of theirs the
    order names that is not a write-off (Zuora does not say whether the write-off credit memos are
    named too, so either way is accepted). Naming it is WO-RESULT-NAMES-DOCUMENTS's statement, so
    when the order names none it is the customer's one credit memo that is not a write-off, found
    among the customer's credit memos. None when the customer has no such credit memo at all; when
    there are several, which one is final cannot be observed."""
    account = target.account_id(name)
    named = [
        observed(target.credit_memo(n), f"the credit memo {n} the order names")
        for n in order.credit_memo_numbers
    ]
    final = [memo for memo in named if memo.reason_code != WRITE_OFF and memo.account_id == account]
    if not final:
        final = [memo for memo in target.account_credit_memos(name) if memo.reason_code != WRITE_OFF]
    if not final:
        return None
    if len(final) > 1:
        numbers = ", ".join(memo.number for memo in final)
        raise CannotObserveError(
            "the final credit memo", f"{name} has several credit memos besides write-offs: {numbers}"
        )
    return observed(target.credit_memo(final[0].number), f"the final credit memo {final[0].number}")


def _the_final_credit_memo(target: Target, order: OrderView, name: str, what: str) -> CreditMemoView:
    """The final credit memo, for a rule about what becomes of it: without one, ``what`` cannot be
    observed (whether the order generates it is another rule's)."""
    memo = _final_credit_memo(target, order, name)
    if memo is None:
        raise CannotObserveError(what, f"{name} has no credit memo besides write-offs")
    return memo


@then(step('no item of the final credit memo of "{name}" is booked to deferred revenue account "{code}"'))
def _(target: Target, order: Outcome[OrderView], name: str, code: str) -> None:
    """Only the write-off's account is looked for: the items may carry other accounting codes
    (their charges' own, on a tenant whose charges have them), which the write-off did not give."""
    memo = _the_final_credit_memo(
        target, _order(order), name, "the finance information of the final credit memo"
    )
    booked = [item for item in memo.items if item.finance.get("deferredRevenueAccountingCode") == code]
    assert not booked, f"the final credit memo {memo.number} has these items: {describe(memo.items)}"


@then(step('the final credit memo of "{name}" amounts to {amount:Money}'))
def _(target: Target, order: Outcome[OrderView], name: str, amount: Money) -> None:
    memo = _final_credit_memo(target, _order(order), name)
    assert memo is not None, f"nothing credits {name} for the unused days"
    assert memo.amount == amount, f"the final credit memo {memo.number} amounts to {memo.amount}"


@then(step('the final credit memo of "{name}" is in {currency:Currency}'))
def _(target: Target, order: Outcome[OrderView], name: str, currency: str) -> None:
    """Its currency only: what it amounts to is for the rules about prorated credits."""
    memo = _the_final_credit_memo(target, _order(order), name, "the currency of the final credit memo")
    assert memo.amount.currency == currency, (
        f"the final credit memo {memo.number} is in {memo.amount.currency}"
    )


@then(step('the final credit memo of "{name}" is fully applied'))
def _(target: Target, order: Outcome[OrderView], name: str) -> None:
    memo = _the_final_credit_memo(target, _order(order), name, "how the final credit memo was applied")
    assert memo.applied_amount == memo.amount, (
        f"the final credit memo {memo.number} amounts to {memo.amount}, "
        f"{describe(memo.applied_amount)} applied"
    )


@then(
    step(
        'the order wrote off only what remained of the {owed:Money} "{name}" owed once the final credit memo '
        "was applied"
    )
)
def _(target: Target, order: Outcome[OrderView], owed: Money, name: str) -> None:
    """The totals: what the write-offs add up to is what was owed less the final credit memo,
    whichever invoice the memo went to first (the tenant's application rule decides that)."""
    result = _order(order)
    memo = _the_final_credit_memo(
        target, result, name, "what remained once the final credit memo was applied"
    )
    done = [w for w in result.write_offs or () if w.status == "Success"]
    if any(w.amount is None for w in done):  # stating the amount is WO-REPORTED's statement
        raise CannotObserveError("what the write-offs add up to", "a write-off reports no amount")
    total = sum((w.amount.amount for w in done if w.amount is not None), Decimal(0))
    remained = Money(owed.amount - memo.amount.amount, owed.currency)
    assert total == remained.amount, (
        f"the order wrote off {describe([w.amount for w in done])} in all, where {remained} remained "
        f"once the final credit memo {memo.number} of {memo.amount} was applied"
    )


@then(step('the bill run credited "{name}" {amount:Money} for the unused days'))
def _(target: Target, bill_run: BillRunView, name: str, amount: Money) -> None:
    """What a later bill run credits for the days of a billed month after the cancellation."""
    account = target.account_id(name)
    listed = observed(
        target.bill_run_credit_memos(bill_run.id), f"the credit memos of bill run {bill_run.number}"
    )
    memos = [m for m in listed if m.account_id == account]
    assert [m.amount for m in memos] == [amount], (
        f"the bill run produced these credit memos for {name}: {describe(memos)}"
    )
