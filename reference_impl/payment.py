"""Payments collected against invoices, and the payment methods they are made with.

Zuora's "Create a payment" (``POST /v1/payments``, request body, ``paymentMethodId`` and
``paymentMethodType``) decides the method of a payment in this order:

1. the method the payment names by id;
2. for an external payment, the external method type it names (Check, Cash, ...);
3. otherwise the account's default payment method; when that method is of a different type
   than the payment, the payment is refused.

Two kinds of method exist. *External* ones (Cash, Check, WireTransfer, Other: Zuora's
knowledge-center page "Payment methods for customer accounts", section External Payment
Method) record money received outside Zuora; they are the tenant's own, shared by every
account, and Zuora's "Create a payment method" (``POST /v1/payment-methods``) creates none of
them. The *electronic* ones that operation does create (CreditCard, ACH, ...) belong to one
account. The reference processes no money: an electronic method only stands for one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reference_impl.rejection import Category, Rejection

__all__ = [
    "CREATABLE_METHOD_TYPES",
    "EXTERNAL_METHOD_TYPES",
    "Payment",
    "PaymentMethod",
    "method_refusal",
]

#: The external payment method types (zuora_sdk ``PaymentMethodType`` less the electronic ones).
EXTERNAL_METHOD_TYPES = frozenset({"Cash", "Check", "WireTransfer", "Other"})

#: The types "Create a payment method" lists (its request body, ``type``): all electronic.
CREATABLE_METHOD_TYPES = frozenset(
    {
        "CreditCard",
        "CreditCardReferenceTransaction",
        "ACH",
        "SEPA",
        "Betalingsservice",
        "Autogiro",
        "Bacs",
        "Becs",
        "Becsnz",
        "PAD",
        "PayPalCP",
        "PayPalEC",
        "PayPalNativeEC",
        "PayPalAdaptive",
        "AdyenApplePay",
        "AdyenGooglePay",
        "GooglePay",
        "AmazonPay",
    }
)


@dataclass(frozen=True)
class PaymentMethod:
    """A way an account pays: ``account_number`` is the account that owns it."""

    id: str
    type: str
    account_number: str

    @property
    def payment_type(self) -> str:
        """The type of payment the method makes: ``External`` or ``Electronic``."""
        return "External" if self.type in EXTERNAL_METHOD_TYPES else "Electronic"


@dataclass(frozen=True)
class Payment:
    """Money received from an account and applied to one invoice, with the method it came by."""

    id: str
    number: str
    account_number: str
    invoice_number: str
    amount: Decimal
    effective_date: date
    status: str = "Processed"
    type: str = "External"
    payment_method_type: str | None = None
    payment_method_id: str | None = None


def method_refusal(
    account_number: str,
    payment_type: str,
    method: PaymentMethod | None,
    method_type: str | None,
) -> Rejection | None:
    """Why a payment of ``payment_type`` from the account cannot be made with the method it
    names (``method``, looked up from its ``paymentMethodId``), or with ``method_type``, or,
    when it names neither, with the account's default ``method``; None when it can."""
    if method is None and method_type is None:
        return Rejection(
            "payment-method-missing",
            Category.RULE_RESTRICTION,
            f"The payment names no payment method and the account {account_number} has no "
            "default payment method.",
        )
    if method is not None and method.account_number != account_number:
        return Rejection(
            "payment-method-other-account",
            Category.INVALID_VALUE,
            f"The payment method {method.id} belongs to another account than {account_number}.",
        )
    kind = method.payment_type if method is not None else _kind(method_type)
    if kind != payment_type:
        named = method.type if method is not None else method_type
        return Rejection(
            "payment-method-type-mismatch",
            Category.INVALID_VALUE,
            f"An {payment_type} payment cannot be made with a payment method of type {named}.",
        )
    return None


def _kind(method_type: str | None) -> str | None:
    """The payment type a method type named on its own makes: only external types can be."""
    return "External" if method_type in EXTERNAL_METHOD_TYPES else None
