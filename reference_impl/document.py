"""What invoices and credit memos share: items, statuses and the status transition table.

A billing document is created as a Draft. A draft can be posted (issued to the customer) or
canceled; a posted or canceled document never goes back in this implementation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from reference_impl.rejection import Category, Rejection

__all__ = [
    "DOCUMENT_TRANSITIONS",
    "DocumentAction",
    "DocumentItem",
    "DocumentStatus",
    "FinanceInformation",
    "changed",
    "next_document_status",
]

T = TypeVar("T")


def changed(document: T, **changes: object) -> T:
    """A copy of the frozen dataclass ``document`` with ``changes``.

    What :func:`dataclasses.replace` does, at a fraction of its cost (a bill run changes one
    document per account): the documents have no ``__post_init__`` for it to run again.
    """
    known = document.__dataclass_fields__  # type: ignore[attr-defined]
    if not changes.keys() <= known.keys():
        msg = f"{type(document).__name__} has no field {', '.join(sorted(changes.keys() - known.keys()))}"
        raise TypeError(msg)
    copy = object.__new__(type(document))
    copy.__dict__.update(document.__dict__, **changes)
    return copy


class DocumentStatus(Enum):
    """Zuora's ``BillingDocumentStatus`` values this implementation uses (one-L ``Canceled``)."""

    DRAFT = "Draft"
    POSTED = "Posted"
    CANCELED = "Canceled"


class DocumentAction(Enum):
    POST = "post"
    CANCEL = "cancel"


DOCUMENT_TRANSITIONS: Mapping[tuple[DocumentStatus, DocumentAction], DocumentStatus] = {
    (DocumentStatus.DRAFT, DocumentAction.POST): DocumentStatus.POSTED,
    (DocumentStatus.DRAFT, DocumentAction.CANCEL): DocumentStatus.CANCELED,
}


def next_document_status(
    kind: str, number: str, status: DocumentStatus, action: DocumentAction
) -> DocumentStatus | Rejection:
    """Look ``action`` up in the transition table, or explain why the document refuses it."""
    target = DOCUMENT_TRANSITIONS.get((status, action))
    if target is None:
        return Rejection(
            code=f"{kind.replace(' ', '-')}-not-{action.value}able",
            category=Category.RULE_RESTRICTION,
            message=f"The {kind} {number} is {status.value} and cannot be {action.value}ed.",
        )
    return target


@dataclass(frozen=True)
class FinanceInformation:
    """Accounting codes a credit memo item can carry (Zuora's write-off ``financeInformation``)."""

    deferred_revenue_accounting_code: str | None = None
    on_account_accounting_code: str | None = None
    recognized_revenue_accounting_code: str | None = None
    revenue_recognition_rule_name: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One line of an invoice or credit memo: what was charged (or credited) for which period."""

    id: str
    subscription_number: str
    charge_name: str
    service_start: date
    service_end: date
    amount: Decimal
    finance: FinanceInformation | None = None
