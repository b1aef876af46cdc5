"""Steps about subscriptions and the invoices issued for them."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from pytest_bdd import given, then, when

from steps.parsing import step
from steps.support import accepted, arranged, invoice_dated, invoice_of, observed
from steps.targets import BillRunView, CreditMemoView, InvoiceView, Money, Outcome, PaymentView, Target
from steps.wording import describe

__all__: list[str] = []

D = TypeVar("D", InvoiceView, CreditMemoView)


def _bill(target: Target, name: str, day: date, amount: Money, *, post: bool) -> None:
    target.set_today(day)
    run = arranged(target.create_bill_run(target_date=day, account=name, schedule=None))
    invoice = invoice_of(target, run, name)
    assert invoice.amount == amount, f"could not arrange an invoice of {amount}: it is {invoice.amount}"
    if post:
        arranged(target.post_bill_run(run.id))


@given(step('"{name}" has been issued an invoice of {amount:Money} on {day:Date}'))
def _(target: Target, name: str, amount: Money, day: date) -> None:
    _bill(target, name, day, amount, post=True)


@given(step('"{name}" has a draft invoice of {amount:Money} dated {day:Date}'))
def _(target: Target, name: str, amount: Money, day: date) -> None:
    _bill(target, name, day, amount, post=False)


@given(step('"{name}" has paid {amount:Money} of the invoice dated {day:Date}'))
def _(target: Target, name: str, amount: Money, day: date) -> None:
    arranged(target.collect_payment(invoice_dated(target, name, day).number, amount))


@when(
    step('a payment of {amount:Money} is collected on the invoice of "{name}" dated {day:Date}'),
    target_fixture="payment",
)
def _(target: Target, amount: Money, name: str, day: date) -> Outcome[PaymentView]:
    return target.collect_payment(invoice_dated(target, name, day).number, amount)


@then(step('the "{plan}" subscription of "{name}" is still active'))
def _(target: Target, plan: str, name: str) -> None:
    found = accepted(target.subscription(name, plan), "looking the subscription up")
    assert found.status == "Active", f"the subscription is {found.status}"


@then(step('the "{plan}" subscription of "{name}" is cancelled as of {day:Date}'))
def _(target: Target, plan: str, name: str, day: date) -> None:
    found = accepted(target.subscription(name, plan), "looking the subscription up")
    assert (found.status, found.end_date) == ("Cancelled", day), f"the subscription is {describe(found)}"


@then(step('the invoice of "{name}" dated {day:Date} has a balance of {amount:Money}'))
@then(step('the invoice of "{name}" dated {day:Date} still has a balance of {amount:Money}'))
def _(target: Target, name: str, day: date, amount: Money) -> None:
    invoice = invoice_dated(target, name, day)
    assert invoice.balance == amount, f"the invoice {invoice.number} has a balance of {invoice.balance}"


@then(step('the invoice of "{name}" dated {day:Date} is still a draft with a balance of {amount:Money}'))
def _(target: Target, name: str, day: date, amount: Money) -> None:
    invoice = invoice_dated(target, name, day)
    assert (invoice.status, invoice.balance) == ("Draft", amount), (
        f"the invoice {invoice.number} is {invoice.status} with a balance of {invoice.balance}"
    )


@then(step('the bill run produced a credit memo for "{name}"'))
def _(target: Target, bill_run: BillRunView, name: str) -> None:
    """That it credits the customer; how much is WO-PRORATED-BY-DAY's to judge."""
    memos = _produced(target.bill_run_credit_memos(bill_run.id), target, bill_run, name)
    assert memos, f"the bill run produced no credit memo for {name}"


@then(step('the bill run produced an invoice for "{name}"'))
def _(target: Target, bill_run: BillRunView, name: str) -> None:
    """That it bills the customer; how much is for the rules about amounts."""
    invoices = _produced(target.bill_run_invoices(bill_run.id), target, bill_run, name)
    assert invoices, f"the bill run produced no invoice for {name}"


@then(step('the bill run produced an invoice of {amount:Money} for "{name}"'))
def _(target: Target, bill_run: BillRunView, amount: Money, name: str) -> None:
    invoices = _produced(target.bill_run_invoices(bill_run.id), target, bill_run, name)
    assert [i.amount for i in invoices] == [amount], (
        f"the bill run produced these invoices: {describe(invoices)}"
    )


def _produced(listed: Outcome[list[D]], target: Target, bill_run: BillRunView, name: str) -> list[D]:
    """The documents of ``listed`` (a bill run's invoices or credit memos) for the customer ``name``."""
    account = target.account_id(name)
    return [
        d for d in observed(listed, f"the documents of bill run {bill_run.number}") if d.account_id == account
    ]
