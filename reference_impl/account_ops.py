"""Accounts and subscriptions: opening, closing and subscribing; the accounts' payment methods."""

from __future__ import annotations

from datetime import date

from reference_impl.account import Account
from reference_impl.catalog import Catalog
from reference_impl.ledger import Ledger, atomic
from reference_impl.lookups import find_account, find_subscription
from reference_impl.payment import CREATABLE_METHOD_TYPES, EXTERNAL_METHOD_TYPES, PaymentMethod
from reference_impl.rating import add_months, beyond_calendar
from reference_impl.rejection import Category, Rejection
from reference_impl.subscription import Subscription

__all__ = ["Accounts"]


class Accounts:
    """Open, close and look up accounts; subscribe them to plans of the catalog."""

    def __init__(self, ledger: Ledger, catalog: Catalog) -> None:
        self.ledger = ledger
        self.catalog = catalog

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
        number = account_number or self.ledger.new_number("account")
        if number in self.ledger.accounts:
            return Rejection(
                "account-number-taken",
                Category.INVALID_VALUE,
                f"An account numbered {number} already exists.",
            )
        account = Account(
            id=self.ledger.new_id("account"),
            number=number,
            name=name,
            currency=currency.upper(),
            bill_cycle_day=bill_cycle_day,
        )
        self.ledger.accounts[number] = account
        return account

    def account(self, key: str) -> Account | Rejection:
        return find_account(self.ledger, key)

    @atomic
    def close_account(self, key: str) -> Account | Rejection:
        account = find_account(self.ledger, key)
        if isinstance(account, Rejection):
            return account
        closed = account.close()
        self.ledger.accounts[closed.number] = closed
        return closed

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
        account = find_account(self.ledger, account_number)
        if isinstance(account, Rejection):
            return account
        if self.catalog.plan(plan_name) is None:
            return Rejection(
                "plan-not-found", Category.INVALID_VALUE, f"No plan named {plan_name!r} is sold."
            )
        number = subscription_number or self.ledger.new_number("subscription")
        if number in self.ledger.subscriptions:
            return Rejection(
                "subscription-number-taken",
                Category.INVALID_VALUE,
                f"A subscription numbered {number} already exists.",
            )
        off_calendar = beyond_calendar(start_date, term_months)
        if off_calendar is not None:
            return off_calendar
        subscription = Subscription(
            id=self.ledger.new_id("subscription"),
            number=number,
            account_number=account.number,
            plan_names=(plan_name,),
            start_date=start_date,
            term_end=None if term_months is None else add_months(start_date, term_months),
        )
        self.ledger.subscriptions[number] = subscription
        return subscription

    def subscription(self, key: str) -> Subscription | Rejection:
        return find_subscription(self.ledger, key)

    @atomic
    def create_payment_method(
        self, *, account_key: str, method_type: str, make_default: bool = False
    ) -> PaymentMethod | Rejection:
        """A payment method of the account, as Zuora's "Create a payment method" makes one: only
        of the (electronic) types that operation lists; external ones are the tenant's own."""
        account = find_account(self.ledger, account_key)
        if isinstance(account, Rejection):
            return account
        if method_type not in CREATABLE_METHOD_TYPES:
            external = method_type in EXTERNAL_METHOD_TYPES
            shared = " External payment methods are the tenant's own." if external else ""
            return Rejection(
                "payment-method-type-invalid",
                Category.INVALID_VALUE,
                f"{method_type!r} is not a payment method type this operation creates.{shared}",
            )
        method = PaymentMethod(
            id=self.ledger.new_id("payment_method"), type=method_type, account_number=account.number
        )
        self.ledger.payment_methods[method.id] = method
        if make_default:
            self.ledger.accounts[account.number] = account.with_default_payment_method(method.id)
        return method
