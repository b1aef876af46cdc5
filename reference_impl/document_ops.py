"""Invoices, credit memos and payments: looking them up, posting them, collecting payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reference_impl.clock import Clock
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentAction, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.ledger import Ledger, atomic
from reference_impl.lookups import find_account, find_credit_memo, find_invoice, not_found
from reference_impl.money import ZERO, money
from reference_impl.payment import Payment, PaymentMethod, method_refusal
from reference_impl.rejection import Category, Rejection

__all__ = ["Documents"]


class Documents:
    """The billing documents of the tenant, and payments collected on invoices."""

    def __init__(self, ledger: Ledger, clock: Clock) -> None:
        self.ledger = ledger
        self.clock = clock

    def invoices(self) -> list[Invoice]:
        return self.ledger.invoices.values()

    def credit_memos(self) -> list[CreditMemo]:
        return self.ledger.credit_memos.values()

    # -- invoices and credit memos --------------------------------------------------------------

    def invoice(self, key: str) -> Invoice | Rejection:
        return find_invoice(self.ledger, key)

    def account_invoices(self, account_number: str) -> list[Invoice] | Rejection:
        account = find_account(self.ledger, account_number)
        if isinstance(account, Rejection):
            return account
        return self.ledger.invoices.where("account", account.number)

    @atomic
    def post_invoice(self, key: str) -> Invoice | Rejection:
        invoice = find_invoice(self.ledger, key)
        if isinstance(invoice, Rejection):
            return invoice
        posted = invoice.transition(DocumentAction.POST)
        if isinstance(posted, Rejection):
            return posted
        self.ledger.invoices[posted.number] = posted
        return posted

    def credit_memos_of_account(self, account_number: str) -> list[CreditMemo]:
        return self.ledger.credit_memos.where("account", account_number)

    def credit_memo(self, key: str) -> CreditMemo | Rejection:
        if not self.ledger.features.invoice_settlement:
            return _needs_invoice_settlement()
        return find_credit_memo(self.ledger, key)

    @atomic
    def post_credit_memo(self, key: str) -> CreditMemo | Rejection:
        memo = self.credit_memo(key)
        if isinstance(memo, Rejection):
            return memo
        posted = memo.transition(DocumentAction.POST)
        if isinstance(posted, Rejection):
            return posted
        self.ledger.credit_memos[posted.number] = posted
        return posted

    # -- payments -------------------------------------------------------------------------------

    @atomic
    def collect_payment(
        self,
        *,
        invoice_number: str,
        amount: Decimal,
        effective_date: date | None = None,
        currency: str | None = None,
        payment_type: str = "External",
        payment_method_id: str | None = None,
        payment_method_type: str | None = None,
    ) -> Payment | Rejection:
        """Collect ``amount`` from the invoice's account and apply it to that invoice.

        ``currency``, when given, must be the account's (Zuora's rule for payments that are not
        standalone). The payment is made with the method it names, or the external method type it
        names, or else the account's default method (see :mod:`reference_impl.payment`).
        """
        invoice = find_invoice(self.ledger, invoice_number)
        if isinstance(invoice, Rejection):
            return invoice
        account = self.ledger.accounts[invoice.account_number]
        if currency is not None and currency != account.currency:
            return Rejection(
                "payment-currency-mismatch",
                Category.INVALID_VALUE,
                f"The payment is in {currency}; the account {account.number} pays in {account.currency}.",
            )
        named_type = payment_method_type if payment_method_id is None else None
        default = None if named_type is not None else account.default_payment_method_id
        method = self._payment_method(default, payment_method_id)
        if isinstance(method, Rejection):
            return method
        refused = method_refusal(account.number, payment_type, method, named_type) or self._payment_refusal(
            invoice, amount
        )
        if refused is not None:
            return refused
        payment = Payment(
            id=self.ledger.new_id("payment"),
            number=self.ledger.new_number("payment"),
            account_number=invoice.account_number,
            invoice_number=invoice.number,
            amount=money(amount),
            effective_date=effective_date or self.clock.now().date(),
            type=payment_type,
            payment_method_type=method.type if method is not None else named_type,
            payment_method_id=None if method is None else method.id,
        )
        self.ledger.payments[payment.number] = payment
        self.ledger.invoices[invoice.number] = invoice.record_payment(payment.amount)
        return payment

    def _payment_method(self, default: str | None, named: str | None) -> PaymentMethod | Rejection | None:
        """The method a payment names by id, or else (None when it names none) the default one."""
        if named is not None:
            return self.ledger.payment_methods.get(named) or not_found("payment method", named)
        return None if default is None else self.ledger.payment_methods.get(default)

    def _payment_refusal(self, invoice: Invoice, amount: Decimal) -> Rejection | None:
        """Rule: only a posted invoice with enough balance takes a payment; a canceled one never."""
        if invoice.status is DocumentStatus.CANCELED:
            return Rejection(
                "invoice-canceled",
                Category.RULE_RESTRICTION,
                f"The invoice {invoice.number} is canceled; no payment can be collected on it.",
            )
        if invoice.status is not DocumentStatus.POSTED:
            return Rejection(
                "invoice-not-posted",
                Category.RULE_RESTRICTION,
                f"The invoice {invoice.number} is a draft; only posted invoices can be paid.",
            )
        if amount <= ZERO or money(amount) != amount:
            return Rejection(
                "payment-amount-invalid",
                Category.INVALID_VALUE,
                "A payment amount must be positive and in whole cents.",
            )
        if amount > invoice.balance:
            return Rejection(
                "payment-exceeds-balance",
                Category.RULE_RESTRICTION,
                f"The payment of {amount} exceeds the invoice balance of {invoice.balance}.",
            )
        return None


def _needs_invoice_settlement() -> Rejection:
    return Rejection(
        "invoice-settlement-required",
        Category.PERMISSION_DENIED,
        "Credit memos are only available when the Invoice Settlement feature is enabled.",
    )
