"""The reference implementation of the billing rules: a pure domain, no I/O.

Use :class:`Billing` with a :class:`ManualClock`; every operation returns a value or a
:class:`Rejection`.
"""

from __future__ import annotations

from reference_impl.account import Account, AccountStatus
from reference_impl.bill_run import (
    BILL_RUN_TRANSITIONS,
    BillRun,
    BillRunAction,
    BillRunStatus,
    RepeatType,
    Schedule,
)
from reference_impl.bill_run_ops import CancelOutcome
from reference_impl.billing import Billing
from reference_impl.catalog import DEFAULT_CATALOG, Catalog, Charge, ChargeModel, Plan
from reference_impl.clock import Clock, ManualClock
from reference_impl.credit_memo import CreditMemo
from reference_impl.document import DocumentItem, DocumentStatus
from reference_impl.invoice import Invoice
from reference_impl.payment import Payment
from reference_impl.rejection import Category, Rejection
from reference_impl.subscription import Subscription, SubscriptionStatus
from reference_impl.tenant import FeatureSettings

__all__ = [
    "BILL_RUN_TRANSITIONS",
    "DEFAULT_CATALOG",
    "Account",
    "AccountStatus",
    "BillRun",
    "BillRunAction",
    "BillRunStatus",
    "Billing",
    "CancelOutcome",
    "Catalog",
    "Category",
    "Charge",
    "ChargeModel",
    "Clock",
    "CreditMemo",
    "DocumentItem",
    "DocumentStatus",
    "FeatureSettings",
    "Invoice",
    "ManualClock",
    "Payment",
    "Plan",
    "Rejection",
    "RepeatType",
    "Schedule",
    "Subscription",
    "SubscriptionStatus",
]
