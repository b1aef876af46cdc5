"""Steps about invoices and the payments collected on them.

How the kit's customers pay, on every target: each payment is an *external* payment by check,
applied whole to one invoice, and it names its method type (``paymentMethodType`` "Check") rather
than relying on the account's default payment method. Zuora's "Create a payment" (request body,
``paymentMethodId``) uses the account's default method when a payment names none, and refuses the
payment when that method is of another type; the accounts the kit creates have none, and Zuora's
"Create a payment method" (its ``type`` list) creates no external method: Cash, Check and Wire
Transfer are the tenant's own ("Payment methods for customer accounts", External Payment Method).
The tenant must have the Check method active. The payload is built once, in
:func:`steps.targets.payloads.payment_payload` (:data:`~steps.targets.payloads.PAYMENT_METHOD_TYPE`).

A refusal the payment rules expect is set beside a positive control in the same scenario: the
same payment is first accepted on another, payable invoice of the same customer ("has paid", an
arrangement), so a tenant refusing payments for a reason no rule names leaves the rule errored.
"""

from __future__ import annotations

from datetime import date

from pytest_bdd import given, parsers, then, when

from steps.parsing import DOCUMENT_STATUS, step
from steps.support import accepted, arranged, invoice_of, refused_by_rule
from steps.targets import BillRunView, Money, Outcome, PaymentView, Target
from steps.wording import describe

__all__: list[str] = []


@given(step('the invoice of "{name}" has been posted'))
def _(target: Target, bill_run: BillRunView, name: str) -> None:
    arranged(target.post_invoice(invoice_of(target, bill_run, name).number))


@when(step('a payment of {amount:Money} is collected on the invoice of "{name}"'), target_fixture="payment")
def _(target: Target, bill_run: BillRunView, amount: Money, name: str) -> Outcome[PaymentView]:
    return target.collect_payment(invoice_of(target, bill_run, name).number, amount)


@then(parsers.re(r'the invoice of "(?P<name>[^"]+)" is (?:still )?(?P<status>a draft|draft|posted|canceled)'))
def _(target: Target, bill_run: BillRunView, name: str, status: str) -> None:
    invoice = invoice_of(target, bill_run, name)
    assert invoice.status == DOCUMENT_STATUS[status], f"the invoice {invoice.number} is {invoice.status}"


@then(step('the invoice of "{name}" has not been posted'))
def _(target: Target, bill_run: BillRunView, name: str) -> None:
    invoice = invoice_of(target, bill_run, name)
    assert invoice.status != "Posted", f"the invoice {invoice.number} has been posted"


@then(step('the invoice of "{name}" is in {currency:Currency}'))
def _(target: Target, bill_run: BillRunView, name: str, currency: str) -> None:
    """Its currency only: what it amounts to is for the rules about amounts."""
    invoice = invoice_of(target, bill_run, name)
    assert invoice.amount.currency == currency, (
        f"the invoice {invoice.number} is in {invoice.amount.currency}"
    )


@then(step('the invoice of "{name}" has a balance of {amount:Money}'))
def _(target: Target, bill_run: BillRunView, name: str, amount: Money) -> None:
    invoice = invoice_of(target, bill_run, name)
    assert invoice.balance == amount, f"the invoice {invoice.number} has a balance of {invoice.balance}"


@then(step('the invoice of "{name}" amounts to {amount:Money}'))
def _(target: Target, bill_run: BillRunView, name: str, amount: Money) -> None:
    invoice = invoice_of(target, bill_run, name)
    assert invoice.amount == amount, f"the invoice {invoice.number} amounts to {invoice.amount}"


@then("the payment is accepted")
def _(payment: Outcome[PaymentView]) -> None:
    accepted(payment, "the payment")


@then("the payment is refused because a business rule forbids it")
def _(payment: Outcome[PaymentView]) -> None:
    refused_by_rule(payment, "the payment")


@then(step('"{name}" has an invoice dated {day:Date}'))
def _(target: Target, name: str, day: date) -> None:
    dated = [i for i in target.account_invoices(name) if i.invoice_date == day and i.status != "Canceled"]
    assert dated, f"{name} has no invoice dated {day}"


@then(step('"{name}" has no invoice dated {day:Date}'))
def _(target: Target, name: str, day: date) -> None:
    dated = [i for i in target.account_invoices(name) if i.invoice_date == day and i.status != "Canceled"]
    assert not dated, f"{name} has invoices dated {day}: {describe(dated)}"
