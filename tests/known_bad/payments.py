"""A tenant that refuses every payment: not a known-bad variant of one rule, since no rule says a
payment must be accepted, but the case the payment rules' positive controls exist for.

WO-WRITTEN-OFF-NOT-PAYABLE and BR-CANCEL-INVOICES expect a payment to be refused by a business
rule. Refusing every payment that way would pass them for a reason neither names; each of their
examples therefore first makes the same payment on an invoice the customer can pay, and a tenant
that refuses that one too leaves them errored (not judged), never holding.
``tests/test_payment_controls.py`` runs the suite against it.
"""

from __future__ import annotations

from decimal import Decimal

from reference_impl import Billing, Category, Invoice, Rejection, document_ops

__all__ = ["RefusesEveryPayment"]


class RefusesEveryPayment(Billing):
    """Refuses every payment by a business rule, whatever the invoice and its balance."""

    class Documents(document_ops.Documents):
        def _payment_refusal(self, invoice: Invoice, amount: Decimal) -> Rejection | None:
            return Rejection("payment-refused", Category.RULE_RESTRICTION, "This tenant takes no payment.")
