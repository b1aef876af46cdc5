"""The MUST rules as properties of any history: each judges one :class:`~steps.histories.Transition`
(an operation, its answer, and what the target showed before and after it) and names its rule.

They judge by meaning, as the steps do: money as amounts in a currency, documents by number in any
order, refusals by category ("a business rule forbids it": rule restriction or invalid value; a
run in passage may also answer with a locking contention). None depends on a choice the
documents leave open (the SHOULD decisions, which invoice a final credit memo goes to first, how a
shared invoice is settled with Invoice Item Settlement): such cases are left unjudged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from steps.histories import CancelRun, DeleteRun, Pay, PostRun, ResumeRun, Transition, add_months
from steps.support import RULE_REFUSALS
from steps.targets import BillRunView, CreditMemoView, InvoiceView, Refusal, Refused
from steps.wording import describe

__all__ = [  # check and rules_checked: steps.judge, which gathers every property module
    "ORDER_REFUSALS",
    "PROPERTIES",
    "WRITE_OFF",
    "Violation",
    "prop",
    "unchanged",
]

WRITE_OFF = "Write-off"
PASSING = ("Processing", "PostInProgress", "CancelInProgress")
#: refusal categories of an order refused for a business reason (features/shared.feature)
ORDER_REFUSALS = frozenset(
    {
        Refusal.PERMISSION_DENIED,
        Refusal.INVALID_VALUE,
        Refusal.UNKNOWN_FIELD,
        Refusal.MISSING_FIELD,
        Refusal.RULE_RESTRICTION,
        Refusal.OTHER,
    }
)


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


Finding = Iterator[Violation]
PROPERTIES: dict[str, Callable[[Transition], Finding]] = {}


def prop(*rules: str) -> Callable[[Callable[[Transition], Finding]], Callable[[Transition], Finding]]:
    def register(check: Callable[[Transition], Finding]) -> Callable[[Transition], Finding]:
        PROPERTIES[check.__name__] = check
        check.rules = rules  # type: ignore[attr-defined]
        return check

    return register


def _status(view: object) -> str | None:
    return view.status if isinstance(view, BillRunView) else None


def _by_rule(outcome: object) -> bool:
    return isinstance(outcome, Refused) and outcome.category in RULE_REFUSALS


def _busy(outcome: object) -> bool:
    return isinstance(outcome, Refused) and outcome.category in {*RULE_REFUSALS, Refusal.LOCKED}


def _locked(outcome: object) -> bool:
    return isinstance(outcome, Refused) and outcome.category is Refusal.LOCKED


def unchanged(step: Transition, rule: str, what: str) -> Finding:
    """A refused operation changes nothing (features/shared.feature, for every rule)."""
    changed = step.before.changes(step.after)
    if changed:
        yield Violation(rule, f"{what} was refused, yet it changed: {'; '.join(changed)}")


# -- bill runs ------------------------------------------------------------------------------------


def _cancel_rule(step: Transition, status: str | None) -> tuple[str, bool] | None:
    """The rule that decides a cancellation of a run in ``status``, and whether it must be accepted."""
    label = step.op.run_label  # type: ignore[attr-defined]
    invoices = [
        step.before.invoices[n] for n in step.run_invoices.get(label, ()) if n in step.before.invoices
    ]
    memos = [step.before.memos[n] for n in step.run_memos.get(label, ()) if n in step.before.memos]
    if status == "Pending":
        return "BR-CANCEL-PENDING", True
    if status == "Completed":
        if any(i.status == "Posted" for i in invoices):
            return "BR-CANCEL-POSTED-INVOICE", False
        if all(i.status == "Draft" for i in invoices) and all(m.status == "Draft" for m in memos):
            return "BR-CANCEL-COMPLETED", True
        return None
    rules = {"Posted": "BR-CANCEL-POSTED-RUN", "Paused": "BR-CANCEL-PAUSED"}
    rules |= {
        "Error": "BR-CANCEL-ONLY-PENDING-OR-COMPLETED",
        "Canceled": "BR-CANCEL-ONLY-PENDING-OR-COMPLETED",
    }
    rules |= dict.fromkeys(PASSING, "BR-IN-PASSING-STATUS")
    return (rules[status], False) if status in rules else None


@prop(
    "BR-CANCEL-PENDING",
    "BR-CANCEL-COMPLETED",
    "BR-CANCEL-POSTED-INVOICE",
    "BR-CANCEL-POSTED-RUN",
    "BR-CANCEL-PAUSED",
    "BR-CANCEL-ONLY-PENDING-OR-COMPLETED",
    "BR-IN-PASSING-STATUS",
    "BR-VIEW-CANCELED",
)
def cancelable(step: Transition) -> Finding:
    if not isinstance(step.op, CancelRun):
        return
    label, outcome = step.op.run_label, step.outcome
    status = _status(step.before.runs.get(label))
    decided = _cancel_rule(step, status)
    if decided is None or (_locked(outcome) and decided[0] != "BR-IN-PASSING-STATUS"):
        return
    rule, accept = decided
    if accept:
        if isinstance(outcome, Refused):
            yield Violation(rule, f"canceling the {status} bill run {label} was refused: {outcome.message}")
            return
        now = step.after.runs.get(label)
        if isinstance(now, Refused) and now.category is Refusal.NOT_FOUND:
            yield Violation("BR-VIEW-CANCELED", f"the canceled bill run {label} can no longer be found")
        elif _status(now) != "Canceled":
            yield Violation(rule, f"the cancellation of {label} was accepted, but the run is {_status(now)}")
        return
    ok = _busy(outcome) if rule == "BR-IN-PASSING-STATUS" else _by_rule(outcome)
    if not ok:
        said = describe(outcome)
        yield Violation(rule, f"canceling the {status} bill run {label} was not refused by a rule: {said}")
    else:
        yield from unchanged(step, rule, f"canceling the {status} bill run {label}")


@prop("BR-CANCEL-INVOICES", "BR-CANCEL-CREDIT-MEMOS", "BR-CANCEL-ONLY-ITS-DOCUMENTS")
def canceled_documents(step: Transition) -> Finding:
    if not isinstance(step.op, CancelRun) or isinstance(step.outcome, Refused):
        return
    label = step.op.run_label
    own_invoices = step.run_invoices.get(label, frozenset())
    own_memos = step.run_memos.get(label, frozenset())
    for number in sorted(own_invoices):
        now = step.after.invoices.get(number)
        if now is not None and now.status != "Canceled":
            yield Violation("BR-CANCEL-INVOICES", f"invoice {number} of canceled run {label} is {now.status}")
    if step.features.invoice_settlement:
        for number in sorted(own_memos):
            memo = step.after.memos.get(number)
            if memo is not None and memo.status != "Canceled":
                yield Violation(
                    "BR-CANCEL-CREDIT-MEMOS", f"credit memo {number} of canceled run {label} is {memo.status}"
                )
    for number, was in step.before.invoices.items():
        now = step.after.invoices.get(number)
        if (
            number not in own_invoices
            and now is not None
            and (now.status, now.balance) != (was.status, was.balance)
        ):
            yield Violation(
                "BR-CANCEL-ONLY-ITS-DOCUMENTS",
                f"canceling run {label} changed invoice {number} of another run: "
                f"{was.status} -> {now.status}",
            )
    for number, memo in step.before.memos.items():
        later = step.after.memos.get(number)
        if number not in own_memos and later is not None and later.status != memo.status:
            yield Violation(
                "BR-CANCEL-ONLY-ITS-DOCUMENTS",
                f"canceling run {label} changed credit memo {number} of another run: "
                f"{memo.status} -> {later.status}",
            )


@prop("BR-CANCEL-ONCE", "BR-CANCEL-ALL")
def recurrences(step: Transition) -> Finding:
    op = step.op
    if not isinstance(op, CancelRun) or isinstance(step.outcome, Refused):
        return
    was = step.before.runs.get(op.run_label)
    spec = step.before.pending.get(op.run_label, "absent")
    if (
        not isinstance(was, BillRunView)
        or was.status != "Pending"
        or spec == "absent"
        or was.scheduled_date is None
    ):
        return
    waiting = step.after.pending.get(op.run_label)
    if op.once is False:
        if waiting is not None:
            yield Violation("BR-CANCEL-ALL", f"after canceling all recurrences, {waiting.number} still waits")
        return
    expected = _next_date(step, op.run_label, was.scheduled_date)
    if expected is None:
        return
    if waiting is None or waiting.scheduled_date != expected:
        seen = "none" if waiting is None else f"one for {waiting.scheduled_date}"
        yield Violation(
            "BR-CANCEL-ONCE", f"canceling only the current occurrence left {seen} waiting, not {expected}"
        )


def _next_date(step: Transition, label: str, day: date) -> date | None:
    spec = step.schedules.get(label)
    if spec is None:
        return None
    following = {"Daily": 1, "Weekly": 7}
    if spec.repeat_type in following:
        nxt = day + timedelta(days=following[spec.repeat_type])
    elif spec.repeat_type == "Monthly" and spec.repeat_from.day <= 28:
        nxt = add_months(day, 1)
    else:
        return None
    return None if spec.repeat_to is not None and nxt > spec.repeat_to else nxt


@prop("BR-DELETE", "BR-IN-PASSING-STATUS")
def deletable(step: Transition) -> Finding:
    if not isinstance(step.op, DeleteRun):
        return
    label, outcome = step.op.run_label, step.outcome
    status = _status(step.before.runs.get(label))
    if status in ("Canceled", "Error"):
        if isinstance(outcome, Refused):
            yield Violation(
                "BR-DELETE", f"deleting the {status} bill run {label} was refused: {outcome.message}"
            )
        elif isinstance(step.after.runs.get(label), BillRunView):
            yield Violation("BR-DELETE", f"bill run {label} was deleted but can still be found")
    elif status in ("Completed", "Posted", "Pending", "Paused"):
        if not _by_rule(outcome):
            yield Violation("BR-DELETE", f"deleting the {status} bill run {label} was not refused by a rule")
        else:
            yield from unchanged(step, "BR-DELETE", f"deleting the {status} bill run {label}")
    elif status in PASSING and not _busy(outcome):
        yield Violation("BR-IN-PASSING-STATUS", f"deleting the {status} bill run {label} was not refused")


@prop("BR-VIEW-CANCELED", "BR-DELETE")
def runs_stay(step: Transition) -> Finding:
    """Only a run the history deleted disappears; a canceled one can still be viewed."""
    for label, was in step.before.runs.items():
        now = step.after.runs.get(label)
        deleted = (
            isinstance(step.op, DeleteRun)
            and step.op.run_label == label
            and not isinstance(step.outcome, Refused)
        )
        if isinstance(was, BillRunView) and isinstance(now, Refused) and not deleted:
            rule = "BR-VIEW-CANCELED" if was.status == "Canceled" else "BR-DELETE"
            yield Violation(rule, f"the {was.status} bill run {label} can no longer be found")


@prop("BR-CANCELED-NOT-POSTED", "BR-POST-HOLDING-POSTED-INVOICE")
def posting(step: Transition) -> Finding:
    if not isinstance(step.op, PostRun):
        return
    label, outcome = step.op.run_label, step.outcome
    status = _status(step.before.runs.get(label))
    own = sorted(step.run_invoices.get(label, frozenset()))
    if status == "Canceled":
        if not _by_rule(outcome):
            yield Violation(
                "BR-CANCELED-NOT-POSTED", f"posting the canceled bill run {label} was not refused by a rule"
            )
        else:
            yield from unchanged(step, "BR-CANCELED-NOT-POSTED", f"posting the canceled bill run {label}")
        return
    holding = [n for n in own if n in step.before.invoices and step.before.invoices[n].status == "Posted"]
    if status != "Completed" or not holding or _locked(outcome):
        return
    if isinstance(outcome, Refused):
        yield Violation("BR-POST-HOLDING-POSTED-INVOICE", f"posting {label} was refused: {outcome.message}")
        return
    if _status(step.after.runs.get(label)) != "Posted":
        yield Violation(
            "BR-POST-HOLDING-POSTED-INVOICE",
            f"{label} was posted but is {_status(step.after.runs.get(label))}",
        )
    for number in own:
        now = step.after.invoices.get(number)
        if now is not None and now.status != "Posted":
            yield Violation(
                "BR-POST-HOLDING-POSTED-INVOICE", f"after posting {label}, invoice {number} is {now.status}"
            )


@prop("BR-RESUME")
def resumed(step: Transition) -> Finding:
    if not isinstance(step.op, ResumeRun) or isinstance(step.outcome, Refused):
        return
    if _status(step.before.runs.get(step.op.run_label)) != "Paused":
        return
    now = step.after.runs.get(step.op.run_label)
    if not isinstance(now, BillRunView):
        return
    if now.status == "Pending" and now.scheduled_date is not None and now.scheduled_date <= step.today:
        yield Violation(
            "BR-RESUME", f"the resumed run {now.number} waits for {now.scheduled_date}, a time already past"
        )
    elif now.status not in ("Pending", "Canceled"):
        yield Violation("BR-RESUME", f"the resumed run {now.number} is {now.status}")


@prop("BR-CANCEL-INVOICES", "WO-WRITTEN-OFF-NOT-PAYABLE")
def payable(step: Transition) -> Finding:
    if not isinstance(step.op, Pay) or isinstance(step.outcome, Refused):
        return
    paid = getattr(step.outcome, "invoice_number", None)
    was = step.before.invoices.get(str(paid))
    if was is not None and was.status == "Canceled":
        yield Violation("BR-CANCEL-INVOICES", f"a payment was accepted on the canceled invoice {paid}")
    elif paid in step.written_off:
        yield Violation(
            "WO-WRITTEN-OFF-NOT-PAYABLE", f"a payment was accepted on the written-off invoice {paid}"
        )


@prop("WO-ACCOUNT-CURRENCY")
def currencies(step: Transition) -> Finding:
    documents: list[InvoiceView | CreditMemoView] = [
        *step.after.invoices.values(),
        *step.after.memos.values(),
    ]
    for doc in documents:
        customer = step.after.customer_of.get(doc.account_id)
        currency = step.currencies.get(customer or "")
        if currency is not None and doc.amount.currency != currency:
            yield Violation(
                "WO-ACCOUNT-CURRENCY",
                f"{doc.number} is in {doc.amount.currency}, its account pays in {currency}",
            )
