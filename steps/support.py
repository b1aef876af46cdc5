"""Helpers shared by steps: turn a target's outcome into the arrangement or assertion a step needs."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from steps.targets import (
    ArrangementError,
    BillRunView,
    CannotObserveError,
    CreditMemoView,
    InvoiceView,
    Outcome,
    Refusal,
    Refused,
    Target,
)
from steps.wording import describe

__all__ = [
    "BUSINESS_REFUSALS",
    "accepted",
    "arranged",
    "business_refusal",
    "credit_memo_of",
    "invoice_dated",
    "invoice_of",
    "observed",
    "refused",
    "refused_by_rule",
    "refused_while_busy",
]

T = TypeVar("T")


def arranged(outcome: Outcome[T]) -> T:
    """The result of a preparatory operation; a refusal means the scenario cannot be set up."""
    if isinstance(outcome, Refused):
        raise ArrangementError(outcome.operation, f"{outcome.message} (code {outcome.code})")
    return outcome


def observed(outcome: Outcome[T], what: str) -> T:
    """The result of a look-up a ``Then`` step makes only to observe its rule (finding the invoice a
    write-off names, listing a bill run's documents); a refusal means the rule cannot be observed
    this way, so the scenario is errored rather than failed (the rule whose statement names the
    look-up judges it)."""
    if isinstance(outcome, Refused):
        raise CannotObserveError(what, f"it was refused: {outcome.message} (code {outcome.code})")
    return outcome


def _not_now(outcome: object, what: str) -> None:
    """A locking contention answers "not now", neither yes nor no: the rule is not observed."""
    if isinstance(outcome, Refused) and outcome.category is Refusal.LOCKED:
        raise CannotObserveError(
            f"whether {what} is accepted or refused",
            f"the target answered 'locking contention' (code {outcome.code}): {outcome.message}",
        )


def accepted(outcome: Outcome[T], what: str) -> T:
    """The result of the operation under test, which the rule says must be accepted."""
    _not_now(outcome, what)
    assert not isinstance(outcome, Refused), (
        f"expected {what} to be accepted, but it was refused: {outcome.message} (code {outcome.code})"
    )
    return outcome


def refused(outcome: Outcome[object], what: str, category: Refusal) -> Refused:
    """The refusal of the operation under test, which must be for the given reason."""
    if category is not Refusal.LOCKED:
        _not_now(outcome, what)
    assert isinstance(outcome, Refused), (
        f"expected {what} to be refused, but it was accepted: {describe(outcome)}"
    )
    assert outcome.category is category, (
        f"expected {what} to be refused as {category.name}, but it was refused as "
        f"{outcome.category.name}: {outcome.message} (code {outcome.code})"
    )
    return outcome


def _accepted(what: str, outcome: object) -> str:
    return f"expected {what} to be refused, but it was accepted: {describe(outcome)}"


def invoice_of(target: Target, bill_run: BillRunView, name: str) -> InvoiceView:
    """The one invoice ``bill_run`` produced for the customer called ``name``."""
    account = target.account_id(name)
    listed = observed(target.bill_run_invoices(bill_run.id), f"the invoices of bill run {bill_run.number}")
    found = [i for i in listed if i.account_id == account]
    assert len(found) == 1, (
        f"expected one invoice for {name} in bill run {bill_run.number}, found {describe(found)}"
    )
    return found[0]


def credit_memo_of(target: Target, bill_run: BillRunView, name: str) -> CreditMemoView:
    """The one credit memo ``bill_run`` produced for the customer called ``name``."""
    account = target.account_id(name)
    listed = observed(
        target.bill_run_credit_memos(bill_run.id), f"the credit memos of bill run {bill_run.number}"
    )
    found = [m for m in listed if m.account_id == account]
    assert len(found) == 1, (
        f"expected one credit memo for {name} in bill run {bill_run.number}, found {describe(found)}"
    )
    return found[0]


def invoice_dated(target: Target, name: str, day: date) -> InvoiceView:
    """The one invoice of the customer ``name`` dated ``day`` that is not canceled."""
    found = [i for i in target.account_invoices(name) if i.invoice_date == day and i.status != "Canceled"]
    assert len(found) == 1, f"expected one invoice of {name} dated {day}, found {describe(found)}"
    return found[0]


#: The categories a refusal "because a business rule forbids it" may carry: Zuora's documents
#: name no codes, and describe such refusals both as rule restrictions and as invalid values.
RULE_REFUSALS = frozenset({Refusal.RULE_RESTRICTION, Refusal.INVALID_VALUE})


def refused_by_rule(outcome: Outcome[object], what: str) -> Refused:
    """The refusal of the operation under test, which must be a business-rule refusal."""
    _not_now(outcome, what)
    assert isinstance(outcome, Refused), (
        f"expected {what} to be refused, but it was accepted: {describe(outcome)}"
    )
    assert outcome.category in RULE_REFUSALS, (
        f"expected {what} to be refused by a business rule (rule restriction or invalid value), but it was "
        f"refused as {outcome.category.name}: {outcome.message} (code {outcome.code})"
    )
    return outcome


def refused_while_busy(outcome: Outcome[object], what: str) -> Refused:
    """The refusal of an operation on a bill run in passage: a business-rule refusal, or a locking
    contention, which says the run is being worked on (``features/bill_runs/canceling.feature``,
    BR-IN-PASSING-STATUS)."""
    if isinstance(outcome, Refused) and outcome.category is Refusal.LOCKED:
        return outcome
    return refused_by_rule(outcome, what)


def business_refusal(outcome: Outcome[object], what: str) -> Refused:
    """A refusal in any of Zuora's business categories (the documents name no particular code)."""
    _not_now(outcome, what)
    assert isinstance(outcome, Refused), (
        f"expected {what} to be refused, but it was accepted: {describe(outcome)}"
    )
    assert outcome.category in BUSINESS_REFUSALS, (
        f"expected {what} to be refused for a business reason, but it was refused as "
        f"{outcome.category.name}: {outcome.message} (code {outcome.code})"
    )
    return outcome


BUSINESS_REFUSALS = frozenset(
    {
        Refusal.PERMISSION_DENIED,
        Refusal.INVALID_VALUE,
        Refusal.UNKNOWN_FIELD,
        Refusal.MISSING_FIELD,
        Refusal.RULE_RESTRICTION,
        Refusal.OTHER,
    }
)
