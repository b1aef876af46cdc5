"""Orders: commands that create or cancel subscriptions, and what processing them produced.

The values here are the domain's side of Zuora's ``POST /v1/orders`` payloads; translating the
wire shapes to and from them is :mod:`reference_impl.wire`'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from reference_impl.document import FinanceInformation

__all__ = [
    "WRITE_OFF_REASON",
    "AsyncJob",
    "CancellationPolicy",
    "NewAccount",
    "Order",
    "OrderAction",
    "OrderRequest",
    "Processing",
    "SubscriptionChange",
    "WriteOff",
]

#: The reason code of every write-off credit memo; Zuora does not let it be overridden.
WRITE_OFF_REASON = "Write-off"


class CancellationPolicy(Enum):
    END_OF_CURRENT_TERM = "EndOfCurrentTerm"
    END_OF_LAST_INVOICE_PERIOD = "EndOfLastInvoicePeriod"
    SPECIFIC_DATE = "SpecificDate"


@dataclass(frozen=True)
class OrderAction:
    """One order action. ``kind`` is Zuora's order action type.

    CreateSubscription uses ``plan_keys`` (rate plan ids or names) and ``term_months`` (None for
    evergreen); CancelSubscription uses ``policy`` and ``effective_date``.
    """

    kind: str
    trigger_dates: Mapping[str, date] = field(default_factory=dict)
    custom_fields: Mapping[str, object] = field(default_factory=dict)
    plan_keys: tuple[str, ...] = ()
    term_months: int | None = 12
    policy: CancellationPolicy | None = None
    effective_date: date | None = None


@dataclass(frozen=True)
class SubscriptionChange:
    """The actions for one subscription: an existing one (``subscription_number``) or a new one."""

    actions: tuple[OrderAction, ...]
    subscription_number: str | None = None


@dataclass(frozen=True)
class NewAccount:
    name: str
    currency: str
    bill_cycle_day: int


@dataclass(frozen=True)
class Processing:
    """What to do once the actions are applied: bill, collect, write off. ``unstated`` names the
    options (by their wire names) the order left out rather than set."""

    run_billing: bool = False
    collect_payment: bool = False
    write_off: bool = False
    document_date: date | None = None
    target_date: date | None = None
    generate_draft_invoice: bool = False
    write_off_finance: FinanceInformation | None = None
    unstated: frozenset[str] = frozenset()
    #: ``billingOptions.creditMemoReasonCode``: for the credit memo the order's billing makes,
    #: never for a write-off credit memo (its reason code cannot be overridden).
    credit_memo_reason_code: str | None = None


@dataclass(frozen=True)
class OrderRequest:
    order_date: date
    subscriptions: tuple[SubscriptionChange, ...]
    existing_account_number: str | None = None
    new_account: NewAccount | None = None
    processing: Processing = field(default_factory=Processing)
    order_number: str | None = None
    category: str = "NewSales"
    description: str | None = None
    custom_fields: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class WriteOff:
    """The result of writing off one invoice: ``Success`` with its credit memo, or ``Failed``."""

    invoice_number: str
    amount: Decimal
    status: str
    credit_memo_number: str | None = None
    failed_reason: str | None = None


@dataclass(frozen=True)
class Order:
    """A processed order, kept so that it can be read back later."""

    id: str
    number: str
    account_number: str
    status: str
    order_date: date
    category: str
    subscriptions: tuple[tuple[str, str], ...]  # (subscription number, its status)
    actions: tuple[tuple[str, str], ...]  # (order action type, subscription number)
    invoice_numbers: tuple[str, ...] = ()
    credit_memo_numbers: tuple[str, ...] = ()
    payment_number: str | None = None
    paid_amount: Decimal | None = None
    write_offs: tuple[WriteOff, ...] = ()
    write_off_requested: bool = False
    custom_fields: Mapping[str, object] = field(default_factory=dict)
    action_custom_fields: tuple[Mapping[str, object], ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class AsyncJob:
    """An order submitted through the asynchronous operation."""

    id: str
    status: str
    order: Order | None = None
    errors: str | None = None
