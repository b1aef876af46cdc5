"""The one interface through which steps reach a system under test.

Steps know nothing about HTTP or about ``reference_impl``: they call a :class:`Target` and get
back plain, frozen views of what the target reports. A refusal by the target is a value,
:class:`Refused`; a fault of the harness, the connection or the target's protocol is an
exception (see :mod:`steps.targets.errors`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Protocol, TypeAlias, TypeVar, runtime_checkable

__all__ = [
    "PROCESSING_OPTIONS",
    "BillRunView",
    "CancelView",
    "CancellationOrder",
    "CreditMemoView",
    "InvoiceView",
    "MemoItemView",
    "Money",
    "OrderView",
    "Outcome",
    "PaymentView",
    "Refusal",
    "Refused",
    "ScheduleSpec",
    "SubscriptionView",
    "Target",
    "TenantFeatures",
    "WriteOffView",
]

T = TypeVar("T")


class Refusal(Enum):
    """Why a target refused, from the two-digit category at the end of a Zuora error code."""

    PERMISSION_DENIED = 10
    INVALID_VALUE = 20
    UNKNOWN_FIELD = 21
    MISSING_FIELD = 22
    RULE_RESTRICTION = 30
    NOT_FOUND = 40
    #: Zuora's "locking contention": the objects are being worked on (see steps.targets.categories).
    LOCKED = 50
    OTHER = 0

    @classmethod
    def from_code(cls, code: str | int) -> Refusal:
        digits = str(code)
        category = int(digits[-2:]) if digits[-2:].isdigit() else 0
        return next((c for c in cls if c.value == category), cls.OTHER)


@dataclass(frozen=True)
class Refused:
    """The target said no. ``code`` is the target's own; ``category`` is what the kit compares."""

    operation: str
    category: Refusal
    code: str
    message: str


Outcome: TypeAlias = T | Refused


@dataclass(frozen=True)
class Money:
    """An amount in a currency, compared by meaning: 30, 30.0 and 30.00 USD are equal; USD and EUR
    never are. Amounts are Decimal, never float."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        cents = self.amount.quantize(Decimal("0.01"))
        shown = cents if cents == self.amount else self.amount
        return f"{shown:f} {self.currency}"


@dataclass(frozen=True)
class TenantFeatures:
    invoice_settlement: bool = True
    orders: bool = True
    workflow: bool = True
    invoice_item_settlement: bool = False


@dataclass(frozen=True)
class ScheduleSpec:
    """A bill-run schedule in Zuora's terms: ``repeat_type`` is None, Daily, Weekly or Monthly."""

    repeat_type: str
    repeat_from: date
    repeat_to: date | None = None
    run_time: int = 0


@dataclass(frozen=True)
class BillRunView:
    id: str
    number: str
    status: str
    target_date: date | None
    scheduled_date: date | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class CancelView:
    bill_run: BillRunView
    next_run: BillRunView | None


@dataclass(frozen=True)
class InvoiceView:
    """An invoice as Zuora shows it: its account by id (Zuora's invoices carry no account number)."""

    number: str
    account_id: str
    status: str
    amount: Money
    balance: Money
    invoice_date: date


@dataclass(frozen=True)
class MemoItemView:
    amount: Decimal
    finance: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CreditMemoView:
    number: str
    account_id: str
    status: str
    amount: Money
    reason_code: str | None = None
    applied_amount: Money | None = None
    items: tuple[MemoItemView, ...] = ()


@dataclass(frozen=True)
class CancellationOrder:
    """An order that cancels one subscription of a customer, with its processing options.

    ``final_invoice`` is Zuora's ``runBilling`` (billed through the effective date);
    ``finance`` uses the wire names of ``writeOffBehavior.financeInformation``;
    ``credit_memo_reason_code`` is ``billingOptions.creditMemoReasonCode``; ``unstated``
    names processing options the order leaves out (of :data:`PROCESSING_OPTIONS`); an order
    with an ``idempotency_key`` may be sent again as a retry of the same request.
    """

    customer: str
    plan: str
    policy: str = "SpecificDate"
    effective_date: date | None = None
    final_invoice: bool = False
    collect_payment: bool = False
    write_off: bool = True
    asynchronous: bool = False
    finance: Mapping[str, str] | None = None
    order_custom_fields: Mapping[str, str] = field(default_factory=dict)
    action_custom_fields: Mapping[str, str] = field(default_factory=dict)
    unstated: frozenset[str] = frozenset()
    idempotency_key: str | None = None
    credit_memo_reason_code: str | None = None


#: The processing options a write-off order states, by their business names.
PROCESSING_OPTIONS = ("final invoice", "payment collection", "document date", "target date")


@dataclass(frozen=True)
class WriteOffView:
    """One write-off an order reports. Zuora's report carries no currency: the amount is in the
    account's currency. Only the invoice number and the status are sure to be there."""

    invoice_number: str
    amount: Money | None
    status: str
    credit_memo_number: str | None = None
    failed_reason: str | None = None


@dataclass(frozen=True)
class OrderView:
    """A processed order. ``write_offs`` is None when the target reported no write-off list."""

    number: str
    status: str
    subscription_numbers: tuple[str, ...] = ()
    invoice_numbers: tuple[str, ...] = ()
    credit_memo_numbers: tuple[str, ...] = ()
    write_offs: tuple[WriteOffView, ...] | None = None
    custom_fields: Mapping[str, object] = field(default_factory=dict)
    #: the custom fields of its cancellation order action (known when the order is looked up)
    action_custom_fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SubscriptionView:
    number: str
    status: str
    end_date: date | None


@dataclass(frozen=True)
class PaymentView:
    number: str
    invoice_number: str
    amount: Money


@runtime_checkable
class Target(Protocol):
    """A billing implementation under test, seen through business operations.

    Accounts are named by the scenario ("Acme"); the target remembers which account number
    each name got. Every method that can be refused returns :data:`Outcome`.
    """

    name: str

    # tenant and time
    def reset(self) -> None:
        """Forget everything: a new, empty tenant with default features, for a new scenario."""
        ...

    def features(self) -> TenantFeatures: ...
    def set_features(self, features: TenantFeatures) -> None: ...
    def set_today(self, day: date) -> None:
        """Set the tenant's clock to the start of ``day``."""
        ...

    def advance_to(self, day: date) -> None:
        """Let time pass until the end of ``day``; due scheduled bill runs run."""
        ...

    # accounts and subscriptions
    def create_account(self, name: str, currency: str = "USD") -> Outcome[str]: ...
    def account_number(self, name: str) -> str: ...
    def account_id(self, name: str) -> str:
        """The id of the account of ``name``: what invoices and credit memos name it by."""
        ...

    def account_currency(self, name: str) -> str: ...
    def close_account(self, name: str) -> Outcome[None]: ...
    def subscribe(self, name: str, plan: str, start: date) -> Outcome[str]: ...
    def subscription_number(self, name: str, plan: str) -> str: ...
    def subscription(self, name: str, plan: str) -> Outcome[SubscriptionView]: ...

    # orders
    def cancel_subscription(self, order: CancellationOrder) -> Outcome[OrderView]:
        """Place an order that cancels a subscription; an asynchronous one is awaited."""
        ...

    def order(self, number: str) -> Outcome[OrderView]: ...

    # bill runs
    def create_bill_run(
        self, *, target_date: date | None, account: str | None, schedule: ScheduleSpec | None
    ) -> Outcome[BillRunView]:
        """Create a bill run; an ad hoc run is returned once it has finished processing."""
        ...

    def bill_run(self, bill_run_id: str) -> Outcome[BillRunView]: ...
    def cancel_bill_run(self, bill_run_id: str, *, cancel_once: bool | None) -> Outcome[CancelView]: ...
    def post_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]: ...
    def pause_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]: ...
    def resume_bill_run(self, bill_run_id: str) -> Outcome[BillRunView]: ...
    def delete_bill_run(self, bill_run_id: str) -> Outcome[None]: ...
    def pending_occurrence(self, bill_run_id: str) -> BillRunView | None:
        """The occurrence of this bill run's schedule that waits to run, if any."""
        ...

    def create_pending_bill_run(self, *, target_date: date, account: str | None) -> Outcome[BillRunView]:
        """Create an ad hoc bill run that the target holds Pending, not yet processed."""
        ...

    def hold_bill_run(self, bill_run_id: str, status: str) -> Outcome[BillRunView]:
        """Hold a bill run part-way: ``Processing``, ``PostInProgress`` or ``CancelInProgress``."""
        ...

    def bill_run_invoices(self, bill_run_id: str) -> Outcome[list[InvoiceView]]: ...
    def bill_run_credit_memos(self, bill_run_id: str) -> Outcome[list[CreditMemoView]]: ...

    # documents and payments
    def account_invoices(self, name: str) -> list[InvoiceView]: ...
    def account_credit_memos(self, name: str) -> list[CreditMemoView]: ...
    def invoice(self, number: str) -> Outcome[InvoiceView]: ...
    def post_invoice(self, number: str) -> Outcome[InvoiceView]: ...
    def credit_memo(self, number: str) -> Outcome[CreditMemoView]: ...
    def post_credit_memo(self, number: str) -> Outcome[CreditMemoView]: ...
    def collect_payment(self, invoice_number: str, amount: Money) -> Outcome[PaymentView]: ...
