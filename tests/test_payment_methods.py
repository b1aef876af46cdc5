"""Payments are made with a payment method, as Zuora's "Create a payment" decides it; and the
payment rules' positive controls keep a tenant that refuses every payment from passing them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from reference_impl import Billing, Category, FeatureSettings, Invoice, ManualClock, Rejection
from tests.arranging import bill_run_for_new_customer
from tests.suite_runner import run_suite

PAYMENT_RULES = {"WO-WRITTEN-OFF-NOT-PAYABLE", "BR-CANCEL-INVOICES"}


def _posted_invoice(billing: Billing, name: str) -> Invoice:
    run = bill_run_for_new_customer(billing, name)
    billing.process_due_bill_runs()
    assert not isinstance(billing.post_bill_run(run.id), Rejection)
    invoices = billing.bill_run_invoices(run.id)
    assert isinstance(invoices, list)
    return invoices[0]


def _billing() -> Billing:
    billing = Billing(ManualClock(datetime(2026, 3, 1)))
    billing.configure(FeatureSettings(invoice_settlement=True))
    return billing


def _pay(
    billing: Billing,
    invoice: Invoice,
    payment_type: str = "External",
    payment_method_id: str | None = None,
    payment_method_type: str | None = None,
) -> object:
    return billing.collect_payment(
        invoice_number=invoice.number,
        amount=Decimal("30.00"),
        payment_type=payment_type,
        payment_method_id=payment_method_id,
        payment_method_type=payment_method_type,
    )


def test_an_external_payment_names_its_method_type_and_needs_no_default() -> None:
    billing = _billing()
    invoice = _posted_invoice(billing, "Acme")
    paid = _pay(billing, invoice, payment_method_type="Check")
    assert not isinstance(paid, Rejection), paid
    found = billing.invoice(invoice.number)
    assert not isinstance(found, Rejection)
    assert found.balance == Decimal("0.00")


def test_a_payment_with_no_method_and_no_default_is_refused_and_changes_nothing() -> None:
    billing = _billing()
    invoice = _posted_invoice(billing, "Acme")
    before = billing.ledger.contents()
    refused = _pay(billing, invoice)
    assert isinstance(refused, Rejection)
    assert refused.code == "payment-method-missing"
    assert billing.ledger.contents() == before


def test_a_payment_whose_default_method_is_of_another_type_is_refused() -> None:
    """An external payment that names no method falls back on the default, here a credit card."""
    billing = _billing()
    invoice = _posted_invoice(billing, "Acme")
    card = billing.create_payment_method(
        account_key=invoice.account_number, method_type="CreditCard", make_default=True
    )
    assert not isinstance(card, Rejection)
    before = billing.ledger.contents()
    refused = _pay(billing, invoice, payment_type="External")
    assert isinstance(refused, Rejection)
    assert (refused.code, refused.category) == ("payment-method-type-mismatch", Category.INVALID_VALUE)
    assert billing.ledger.contents() == before


def test_an_electronic_payment_cannot_be_made_by_check() -> None:
    billing = _billing()
    invoice = _posted_invoice(billing, "Acme")
    refused = _pay(billing, invoice, payment_type="Electronic", payment_method_type="Check")
    assert isinstance(refused, Rejection)
    assert refused.code == "payment-method-type-mismatch"


def test_a_payment_naming_another_accounts_method_is_refused() -> None:
    billing = _billing()
    invoice = _posted_invoice(billing, "Acme")
    other = _posted_invoice(billing, "Globex")
    card = billing.create_payment_method(account_key=other.account_number, method_type="CreditCard")
    assert not isinstance(card, Rejection)
    before = billing.ledger.contents()
    refused = _pay(billing, invoice, payment_type="Electronic", payment_method_id=card.id)
    assert isinstance(refused, Rejection)
    assert (refused.code, refused.category) == ("payment-method-other-account", Category.INVALID_VALUE)
    assert billing.ledger.contents() == before
    own = _pay(billing, other, payment_type="Electronic", payment_method_id=card.id)
    assert not isinstance(own, Rejection), own


@pytest.mark.parametrize("method_type", ["Check", "Cash", "Bitcoin"])
def test_no_external_or_unknown_method_is_created_for_an_account(method_type: str) -> None:
    """Zuora's "Create a payment method" lists only electronic types; the external ones are the tenant's."""
    billing = _billing()
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    refused = billing.create_payment_method(account_key=account.number, method_type=method_type)
    assert isinstance(refused, Rejection)
    assert refused.code == "payment-method-type-invalid"


def test_a_tenant_that_refuses_every_payment_is_not_judged_on_the_payment_rules(
    pytester: pytest.Pytester,
) -> None:
    """The positive controls make the payment rules errored, not holding and not broken: the tenant
    refused for a reason their statements do not name. Rules that only arrange a payment error too."""
    result = run_suite(pytester, "inprocess:tests.known_bad.payments:RefusesEveryPayment")
    assert result.ret == 4  # inconclusive: rules errored, none broken
    assert not result.broken
    assert result.rules_with("errored") >= PAYMENT_RULES
    assert result.rules_with("errored") == PAYMENT_RULES | {
        "WO-UNPAID-INVOICES-CLEARED",
        "WO-PARTLY-PAID",
        "WO-NOTHING-UNPAID",
    }
