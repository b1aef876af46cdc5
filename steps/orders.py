"""Steps about orders that cancel a subscription, with or without writing off unpaid invoices."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from pytest_bdd import given, parsers, then, when

from steps.parsing import step
from steps.support import accepted, arranged, business_refusal, observed
from steps.targets import (
    PROCESSING_OPTIONS,
    BillRunView,
    CancellationOrder,
    OrderView,
    Outcome,
    Target,
)
from steps.wording import describe
from steps.write_offs import written_off_invoice

__all__: list[str] = []

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
    step(
        '"{name}" cancels the "{plan}" subscription {when:When} and writes off unpaid invoices, asking for '
        'the reason code "{reason}" on its credit memos'
    ),
    target_fixture="order",
)
def _(target: Target, name: str, plan: str, when: str, reason: str) -> Outcome[OrderView]:
    order = replace(_cancellation(name, plan, when), credit_memo_reason_code=reason)
    return target.cancel_subscription(order)


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
    """For the rules about what follows a write-off: the order must have written its invoices off
    (reported each write-off a success and left each invoice at zero), or the scenario cannot be
    arranged on this target (the rules about the write-off itself judge that)."""
    order = arranged(target.cancel_subscription(CancellationOrder(name, plan, effective_date=day)))
    assert order.write_offs, "the order wrote nothing off"
    for write_off in order.write_offs:
        invoice = written_off_invoice(target, write_off)
        assert (write_off.status, invoice.balance.amount) == ("Success", Decimal(0)), (
            f"the order did not write off the invoice {invoice.number}: {describe(write_off)}, "
            f"its balance is {invoice.balance}"
        )
    return order


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


@then("the order reports no write-off")
def _(order: Outcome[OrderView]) -> None:
    reports_no_write_off(_order(order))


@then("the order is completed")
def _(order: Outcome[OrderView]) -> None:
    assert _order(order).status == "Completed"


@then(parsers.re("the order is refused because (?P<reason>" + "|".join(map(re.escape, ORDER_REFUSALS)) + ")"))
def _(order: Outcome[OrderView], reason: str) -> None:
    business_refusal(order, f"the order (refused because {reason})")


@then(step('it is shown as completed, for the "{plan}" subscription of "{name}"'))
def _(
    target: Target, order: Outcome[OrderView], looked_up_order: Outcome[OrderView], plan: str, name: str
) -> None:
    shown = accepted(looked_up_order, "looking the order up")
    assert (shown.number, shown.status) == (_order(order).number, "Completed"), describe(shown)
    assert target.subscription_number(name, plan) in shown.subscription_numbers, describe(shown)


@then(step('it shows "{value}" as the {owner:FieldOwner}\'s {field:CustomField}'))
def _(looked_up_order: Outcome[OrderView], value: str, owner: str, field: str) -> None:
    """Only what the order keeps: that it can be looked up at all is WO-RESULTS-RETRIEVABLE's."""
    shown = observed(looked_up_order, "the custom fields kept with the order")
    fields = shown.custom_fields if owner == "order" else shown.action_custom_fields
    assert fields.get(field) == value, f"the {owner}'s custom fields are {dict(fields)}"
