"""Steps about orders that cancel a subscription, with or without writing off unpaid invoices."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from pytest_bdd import given, parsers, then, when

from steps.parsing import money, step
from steps.support import accepted, arranged, business_refusal
from steps.targets import (
    PROCESSING_OPTIONS,
    BillRunView,
    CancellationOrder,
    CreditMemoView,
    Money,
    OrderView,
    Outcome,
    Target,
    WriteOffView,
)
from steps.wording import describe

__all__: list[str] = []

WRITE_OFF = "Write-off"
_POLICIES = {
    "at the end of the current term": "EndOfCurrentTerm",
    "at the end of the last invoiced period": "EndOfLastInvoicePeriod",
}


#: How a scenario names a processing option the order leaves out.
_UNSTATED = {
    "whether to bill a final invoice": "final invoice",
    "whether to collect a payment": "payment collection",
    "the document date": "document date",
    "the target date": "target date",
}
assert set(_UNSTATED.values()) == set(PROCESSING_OPTIONS)

#: Why a scenario expects an order to be refused, in the rule's words. Every reason is judged
#: alike: a refusal in any of Zuora's business categories that changes nothing (the decisions of
#: features/shared.feature); the reason tells the reader which rule refuses it, and the failure
#: message repeats it.
ORDER_REFUSALS = (
    "the tenant lacks Invoice Settlement",
    "the tenant lacks the Orders feature",
    "the tenant lacks the Workflow feature",
    "an asynchronous order cannot write off unpaid invoices",
    "it cannot write off unpaid invoices and collect a payment at once",
    "it collects a payment without a final invoice",
    *(f"it does not state {option}" for option in _UNSTATED),
)


def _cancellation(name: str, plan: str, when: str) -> CancellationOrder:
    """A write-off cancellation taking effect ``when`` ("as of <date>", or a policy's words)."""
    if when.startswith("as of "):
        return CancellationOrder(name, plan, effective_date=date.fromisoformat(when.removeprefix("as of ")))
    return CancellationOrder(name, plan, policy=_POLICIES[when])


def _order(outcome: Outcome[OrderView]) -> OrderView:
    return accepted(outcome, "the order")


def reports_no_write_off(order: OrderView) -> None:
    """WO-NOTHING-UNPAID's decision: Zuora's answer may leave its list of write-offs out, so an
    absent list and an empty one both report that nothing was written off; a list naming any
    write-off does not."""
    assert not order.write_offs, f"expected no write-off to be reported, got {order.write_offs}"


def _write_off_of(target: Target, order: OrderView, day: date, name: str | None = None) -> WriteOffView:
    assert order.write_offs is not None, "the order reported no write-offs"
    for write_off in order.write_offs:
        invoice = arranged(target.invoice(write_off.invoice_number))
        if invoice.invoice_date == day and (name is None or invoice.account_id == target.account_id(name)):
            return write_off
    raise AssertionError(f"no write-off reported for an invoice dated {day}: {order.write_offs}")


# -- When -----------------------------------------------------------------------------------------


@when(
    step('"{name}" cancels the "{plan}" subscription {when:When} and writes off unpaid invoices'),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, when: str) -> Outcome[OrderView]:
    return target.cancel_subscription(_cancellation(name, plan, when))


@when(
    step(
        '"{name}" cancels the "{plan}" subscription as of {day:Date} with a final invoice and writes off '
        "unpaid invoices"
    ),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, day: date) -> Outcome[OrderView]:
    return target.cancel_subscription(CancellationOrder(name, plan, effective_date=day, final_invoice=True))


@when(
    step(
        '"{name}" cancels the "{plan}" subscription as of {day:Date} with a final invoice and writes off '
        'unpaid invoices, booking the write-off to deferred revenue account "{code}"'
    ),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, day: date, code: str) -> Outcome[OrderView]:
    finance = {"deferredRevenueAccountingCode": code}
    return target.cancel_subscription(
        CancellationOrder(name, plan, effective_date=day, final_invoice=True, finance=finance)
    )


@when(
    step('"{name}" cancels the "{plan}" subscription {when:When} without writing off unpaid invoices'),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, when: str) -> Outcome[OrderView]:
    return target.cancel_subscription(replace(_cancellation(name, plan, when), write_off=False))


@given(
    step('"{name}" has canceled the "{plan}" subscription as of {day:Date}, writing off unpaid invoices'),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, day: date) -> Outcome[OrderView]:
    return arranged(target.cancel_subscription(CancellationOrder(name, plan, effective_date=day)))


@when(
    step(
        '"{name}" cancels the "{plan}" subscription as of {day:Date} and writes off unpaid invoices, without '
        "stating {option}"
    ),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, day: date, option: str) -> Outcome[OrderView]:
    unstated = frozenset({_UNSTATED[option]})
    return target.cancel_subscription(CancellationOrder(name, plan, effective_date=day, unstated=unstated))


@when(
    step(
        '"{name}" cancels the "{plan}" subscription as of {day:Date} and writes off unpaid invoices, '
        'recording "{value}" as the {owner:FieldOwner}\'s {field:CustomField}'
    ),
    target_fixture="order",
)
def _(
    target: Target, name: str, plan: str, day: date, value: str, owner: str, field: str
) -> Outcome[OrderView]:
    fields = {field: value}
    order = CancellationOrder(name, plan, effective_date=day)
    if owner == "order":
        return target.cancel_subscription(replace(order, order_custom_fields=fields))
    return target.cancel_subscription(replace(order, action_custom_fields=fields))


@when(step('"{name}" cancels the "{plan}" subscription with these options:'), target_fixture="order")
def _(target: Target, name: str, plan: str, datatable: list[list[str]]) -> Outcome[OrderView]:
    options = {key.strip(): value.strip() for key, value in datatable}
    return target.cancel_subscription(
        CancellationOrder(
            name,
            plan,
            effective_date=date.fromisoformat(options["effective date"]),
            final_invoice=options.get("final invoice", "no") == "yes",
            collect_payment=options.get("collect payment", "no") == "yes",
            write_off=options.get("write off", "yes") == "yes",
            asynchronous=options.get("processing", "at once") == "asynchronously",
        )
    )


@when(step('a bill run for "{name}" completes with target date {day:Date}'), target_fixture="bill_run")
def _(target: Target, name: str, day: date) -> BillRunView:
    run = arranged(target.create_bill_run(target_date=day, account=name, schedule=None))
    assert run.status == "Completed", f"the bill run is {run.status}"
    return run


@when("the order is looked up", target_fixture="looked_up_order")
def _(target: Target, order: Outcome[OrderView]) -> Outcome[OrderView]:
    return target.order(_order(order).number)


# -- Then -----------------------------------------------------------------------------------------


@then("the order is completed")
def _(order: Outcome[OrderView]) -> None:
    assert _order(order).status == "Completed"


@then(parsers.re("the order is refused because (?P<reason>" + "|".join(map(re.escape, ORDER_REFUSALS)) + ")"))
def _(order: Outcome[OrderView], reason: str) -> None:
    business_refusal(order, f"the order (refused because {reason})")


@then(
    step(
        'the invoice of "{name}" dated {day:Date} was written off by a credit memo of {amount:Money} with '
        'reason code "{reason}"'
    )
)
def _(target: Target, order: Outcome[OrderView], name: str, day: date, amount: Money, reason: str) -> None:
    write_off = _write_off_of(target, _order(order), day, name)
    assert (write_off.status, write_off.amount) == ("Success", amount), (
        f"the write-off is {write_off.status} for {write_off.amount}"
    )
    assert write_off.credit_memo_number is not None, "the write-off names no credit memo"
    memo = accepted(target.credit_memo(write_off.credit_memo_number), "looking the credit memo up")
    seen = (memo.amount, memo.reason_code, memo.status, memo.applied_amount)
    assert seen == (amount, reason, "Posted", amount), (
        f"the credit memo {memo.number} is {memo.status}, amounts to {memo.amount}, has "
        f"{memo.applied_amount} applied and the reason code {memo.reason_code!r}"
    )
    assert memo.account_id == target.account_id(name), f"the credit memo {memo.number} is for another account"


@then("the order reports these write-offs:")
def _(target: Target, order: Outcome[OrderView], datatable: list[list[str]]) -> None:
    """Compared by meaning and in any order: dates as dates, amounts as money in a currency."""
    header, *rows = datatable
    reported = _order(order).write_offs
    assert reported is not None, "the order reported no write-offs"
    assert header == ["invoice dated", "amount", "status", "credit memo"], header
    expected = Counter(
        (date.fromisoformat(dated), money(amount), status, memo == "yes")
        for dated, amount, status, memo in rows
    )
    seen = Counter(
        (
            arranged(target.invoice(w.invoice_number)).invoice_date,
            w.amount,
            w.status,
            bool(w.credit_memo_number),
        )
        for w in reported
    )
    assert seen == expected, "the order reported " + "; ".join(
        f"invoice dated {day}: {amount} {status}{' with a credit memo' if memo else ''}"
        for day, amount, status, memo in sorted(seen, key=str)
    )


@then(step('the order wrote off {amount:Money} of the invoice of "{name}" dated {day:Date}'))
def _(target: Target, order: Outcome[OrderView], amount: Money, name: str, day: date) -> None:
    write_off = _write_off_of(target, _order(order), day, name)
    assert (write_off.status, write_off.amount) == ("Success", amount), (
        f"the write-off is {write_off.status} for {write_off.amount}"
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


@then("the order reports no write-off")
def _(order: Outcome[OrderView]) -> None:
    reports_no_write_off(_order(order))


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
        "every item of the write-off credit memo for the invoice dated {day:Date} is booked to deferred "
        'revenue account "{code}"'
    )
)
def _(target: Target, order: Outcome[OrderView], day: date, code: str) -> None:
    number = _write_off_of(target, _order(order), day).credit_memo_number
    assert number is not None
    memo = accepted(target.credit_memo(number), "looking the write-off credit memo up")
    assert memo.items, "the write-off credit memo has no items"
    assert all(item.finance.get("deferredRevenueAccountingCode") == code for item in memo.items), (
        f"the write-off credit memo {memo.number} has these items: {describe(memo.items)}"
    )


def _final_credit_memo(target: Target, order: OrderView) -> CreditMemoView:
    """The one credit memo the order names that is not a write-off (Zuora does not say whether
    ``creditMemoNumbers`` lists the write-off credit memos too, so either way is accepted)."""
    named = [
        accepted(target.credit_memo(n), f"looking the credit memo {n} up") for n in order.credit_memo_numbers
    ]
    final = [memo for memo in named if memo.reason_code != WRITE_OFF]
    assert len(final) == 1, (
        f"the order names these credit memos besides write-offs: {[m.number for m in final]}"
    )
    return final[0]


@then("no item of the final credit memo of the order carries finance information")
def _(target: Target, order: Outcome[OrderView]) -> None:
    memo = _final_credit_memo(target, _order(order))
    assert all(not item.finance for item in memo.items), (
        f"the final credit memo {memo.number} has these items: {describe(memo.items)}"
    )


@then(step("the final credit memo of the order amounts to {amount:Money} and is fully applied"))
def _(target: Target, order: Outcome[OrderView], amount: Money) -> None:
    memo = _final_credit_memo(target, _order(order))
    assert (memo.amount, memo.applied_amount) == (amount, amount), (
        f"the final credit memo {memo.number} amounts to {memo.amount}, {memo.applied_amount} applied"
    )


@then(step("the final invoice of the order amounts to {amount:Money}"))
def _(target: Target, order: Outcome[OrderView], amount: Money) -> None:
    (number,) = _order(order).invoice_numbers
    invoice = accepted(target.invoice(number), "looking the final invoice up")
    assert invoice.amount == amount, f"the final invoice {number} amounts to {invoice.amount}"


@then(step("the final invoice of the order has a balance of {amount:Money}"))
def _(target: Target, order: Outcome[OrderView], amount: Money) -> None:
    (number,) = _order(order).invoice_numbers
    invoice = accepted(target.invoice(number), "looking the final invoice up")
    assert invoice.balance == amount, f"the final invoice {number} has a balance of {invoice.balance}"


@then(step('it is shown as completed, for the "{plan}" subscription of "{name}"'))
def _(
    target: Target, order: Outcome[OrderView], looked_up_order: Outcome[OrderView], plan: str, name: str
) -> None:
    shown = accepted(looked_up_order, "looking the order up")
    assert (shown.number, shown.status) == (_order(order).number, "Completed"), describe(shown)
    assert target.subscription_number(name, plan) in shown.subscription_numbers, describe(shown)


@then(step('it shows "{value}" as the {owner:FieldOwner}\'s {field:CustomField}'))
def _(looked_up_order: Outcome[OrderView], value: str, owner: str, field: str) -> None:
    shown = accepted(looked_up_order, "looking the order up")
    fields = shown.custom_fields if owner == "order" else shown.action_custom_fields
    assert fields.get(field) == value, f"the {owner}'s custom fields are {dict(fields)}"
