"""Accounts, subscriptions, invoices, credit memos and payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from reference_impl.account import Account
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentAction, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.ledger import atomic
from reference_impl.money import ZERO, money
from reference_impl.payment import Payment
from reference_impl.rating import add_months
from reference_impl.rejection import Category, Rejection
from reference_impl.service_base import ServiceBase
from reference_impl.subscription import Subscription
from reference_impl.tenant import FeatureSettings

__all__ = ["DocumentOps"]


class DocumentOps(ServiceBase):
    # -- tenant -----------------------------------------------------------------------------

    @property
    def features(self) -> FeatureSettings:
        return self._ledger.features

    def configure(self, features: FeatureSettings) -> None:
        self._ledger.features = features

    # -- accounts -----------------------------------------------------------------------------

    @atomic
    def create_account(
        self, *, name: str, currency: str = "USD", bill_cycle_day: int = 1, account_number: str | None = None
    ) -> Account | Rejection:
        if not name.strip():
            return Rejection("account-name-required", Category.MISSING_FIELD, "An account needs a name.")
        if len(currency) != 3 or not currency.isalpha():
            return Rejection(
                "account-currency-invalid",
                Category.INVALID_VALUE,
                f"{currency!r} is not a three-letter currency code.",
            )
        if not 0 <= bill_cycle_day <= 31:
            return Rejection(
                "account-bill-cycle-day-invalid",
                Category.INVALID_VALUE,
                "The bill cycle day must be between 0 (automatic) and 31.",
            )
        number = account_number or self._ledger.new_number("account")
        if number in self._ledger.accounts:
            return Rejection(
                "account-number-taken",
                Category.INVALID_VALUE,
                f"An account numbered {number} already exists.",
            )
        account = Account(
            id=self._ledger.new_id("account"),
            number=number,
            name=name,
            currency=currency.upper(),
            bill_cycle_day=bill_cycle_day,
        )
        self._ledger.accounts[number] = account
        return account

    def accounts(self) -> dict[str, Account]:
        """Every account, by number (a copy)."""
        return dict(self._ledger.accounts)

    def invoices(self) -> list[Invoice]:
        return list(self._ledger.invoices.values())

    def credit_memos(self) -> list[CreditMemo]:
        return list(self._ledger.credit_memos.values())

    def account(self, key: str) -> Account | Rejection:
        return self._find_account(key)

    @atomic
    def close_account(self, key: str) -> Account | Rejection:
        account = self._find_account(key)
        if isinstance(account, Rejection):
            return account
        closed = account.close()
        self._ledger.accounts[closed.number] = closed
        return closed

    # -- subscriptions --------------------------------------------------------------------------

    @atomic
    def subscribe(
        self,
        *,
        account_number: str,
        plan_name: str,
        start_date: date,
        subscription_number: str | None = None,
        term_months: int | None = 12,
    ) -> Subscription | Rejection:
        account = self._find_account(account_number)
        if isinstance(account, Rejection):
            return account
        if self.catalog.plan(plan_name) is None:
            return Rejection(
                "plan-not-found", Category.INVALID_VALUE, f"No plan named {plan_name!r} is sold."
            )
        number = subscription_number or self._ledger.new_number("subscription")
        if number in self._ledger.subscriptions:
            return Rejection(
                "subscription-number-taken",
                Category.INVALID_VALUE,
                f"A subscription numbered {number} already exists.",
            )
        subscription = Subscription(
            id=self._ledger.new_id("subscription"),
            number=number,
            account_number=account.number,
            plan_names=(plan_name,),
            start_date=start_date,
            term_end=None if term_months is None else add_months(start_date, term_months),
        )
        self._ledger.subscriptions[number] = subscription
        return subscription

    def subscription(self, key: str) -> Subscription | Rejection:
        found = self._ledger.subscriptions.get(key) or next(
            (s for s in self._ledger.subscriptions.values() if s.id == key), None
        )
        return (
            found
            if found is not None
            else Rejection("subscription-not-found", Category.NOT_FOUND, f"No subscription {key!r} exists.")
        )

    # -- invoices and credit memos --------------------------------------------------------------

    def invoice(self, key: str) -> Invoice | Rejection:
        return self._find_invoice(key)

    def account_invoices(self, account_number: str) -> list[Invoice] | Rejection:
        account = self._find_account(account_number)
        if isinstance(account, Rejection):
            return account
        return [i for i in self._ledger.invoices.values() if i.account_number == account.number]

    @atomic
    def post_invoice(self, key: str) -> Invoice | Rejection:
        invoice = self._find_invoice(key)
        if isinstance(invoice, Rejection):
            return invoice
        posted = invoice.transition(DocumentAction.POST)
        if isinstance(posted, Rejection):
            return posted
        self._ledger.invoices[posted.number] = posted
        return posted

    def credit_memos_of_account(self, account_number: str) -> list[CreditMemo]:
        return [m for m in self._ledger.credit_memos.values() if m.account_number == account_number]

    def credit_memo(self, key: str) -> CreditMemo | Rejection:
        if not self._ledger.features.invoice_settlement:
            return _needs_invoice_settlement()
        return self._find_credit_memo(key)

    @atomic
    def post_credit_memo(self, key: str) -> CreditMemo | Rejection:
        memo = self.credit_memo(key)
        if isinstance(memo, Rejection):
            return memo
        posted = memo.transition(DocumentAction.POST)
        if isinstance(posted, Rejection):
            return posted
        self._ledger.credit_memos[posted.number] = posted
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
    ) -> Payment | Rejection:
        """Collect ``amount`` from the invoice's account and apply it to that invoice.

        ``currency``, when given, must be the account's (Zuora's rule for payments that are not
        standalone).
        """
        invoice = self._find_invoice(invoice_number)
        if isinstance(invoice, Rejection):
            return invoice
        account = self._ledger.accounts[invoice.account_number]
        if currency is not None and currency != account.currency:
            return Rejection(
                "payment-currency-mismatch",
                Category.INVALID_VALUE,
                f"The payment is in {currency}; the account {account.number} pays in {account.currency}.",
            )
        refused = self._payment_refusal(invoice, amount)
        if refused is not None:
            return refused
        payment = Payment(
            id=self._ledger.new_id("payment"),
            number=self._ledger.new_number("payment"),
            account_number=invoice.account_number,
            invoice_number=invoice.number,
            amount=money(amount),
            effective_date=effective_date or self._today(),
        )
        self._ledger.payments[payment.number] = payment
        self._ledger.invoices[invoice.number] = invoice.record_payment(payment.amount)
        return payment

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
