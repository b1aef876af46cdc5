"""The credit for unused service as a property of any history (WO-PRORATED-BY-DAY,
WO-NO-FINAL-INVOICE; see :mod:`steps.properties`).

A monthly plan is billed a month in advance from the subscription's start; a bill run with target
date T bills every period that starts on or before T. When a customer's only subscription is
canceled as of a day inside the periods already billed, the unused days are credited day by day:
by the order's final credit memo, or, without a final invoice, by the next bill run. The property
judges only histories where that is certain: the customer's invoices were never canceled (what a
canceled run's charges become is a SHOULD decision), the plan is monthly, Invoice Settlement is on
(so a credit is a credit memo), and the cancellation falls inside the billed periods. Amounts are
compared to the cent, allowing either honest rounding of a half cent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from steps.histories import AdHocRun, CancelSubscription, Transition, add_months
from steps.properties import WRITE_OFF, Finding, Violation, prop
from steps.targets import BillRunView, CreditMemoView, OrderView

__all__ = ["PRICES", "unused_credit"]

PRICES = {"Basic Monthly": Decimal("30.00"), "Pro Monthly": Decimal("100.00")}
CENT = Decimal("0.01")


def unused_credit(price: Decimal, start: date, billed_through: date, effective: date) -> Decimal | None:
    """What canceling as of ``effective`` credits of the periods billed through ``billed_through``
    (None when the day is outside them)."""
    if effective < start or billed_through < start:
        return None
    k = 0
    while add_months(start, k + 1) <= billed_through:
        k += 1
    j = 0
    while add_months(start, j + 1) <= effective:
        j += 1
    if j != k:  # outside the billed periods, or before the last one: not judged
        return None
    begin, end = add_months(start, j), add_months(start, j + 1)
    return price * Decimal((end - effective).days) / Decimal((end - begin).days)


def _billed_through(step: Transition, customer_id: str, until: frozenset[str] | None = None) -> date | None:
    """The latest target date of a run that billed the customer (of the invoices ``until`` names,
    when it names them); None when one of the customer's run invoices is canceled, or none exists,
    or (with ``until``) the customer was billed since."""
    latest: date | None = None
    for label, numbers in step.run_invoices.items():
        run = step.before.runs.get(label)
        for number in numbers:
            invoice = step.before.invoices.get(number)
            if invoice is None or invoice.account_id != customer_id:
                continue
            if invoice.status == "Canceled" or not isinstance(run, BillRunView) or run.target_date is None:
                return None
            if until is not None and number not in until:
                return None
            latest = run.target_date if latest is None else max(latest, run.target_date)
    return latest


def _customer_id(step: Transition, customer: str) -> str | None:
    return next((i for i, c in step.after.customer_of.items() if c == customer), None)


def _sole(step: Transition, customer: str, plan: str) -> bool:
    return plan in PRICES and all(c != customer or p == plan for c, p in step.subscriptions)


def _close(actual: Decimal, expected: Decimal) -> bool:
    return abs(actual - expected) <= CENT


@prop("WO-PRORATED-BY-DAY")
def final_credit(step: Transition) -> Finding:
    op, answer = step.op, step.outcome
    if not isinstance(op, CancelSubscription) or not isinstance(answer, OrderView):
        return
    if not (op.final_invoice and op.policy == "SpecificDate" and op.effective_date is not None):
        return
    if not (step.features.invoice_settlement and _sole(step, op.customer, op.plan)):
        return
    customer_id = _customer_id(step, op.customer)
    start = step.subscriptions.get((op.customer, op.plan))
    through = None if customer_id is None else _billed_through(step, customer_id)
    if start is None or through is None or (op.customer, op.plan) in step.canceled:
        return
    expected = unused_credit(PRICES[op.plan], start, through, op.effective_date)
    if expected is None:
        return
    memos = [
        m
        for n, m in step.after.memos.items()
        if n not in step.before.memos and m.account_id == customer_id and m.reason_code != WRITE_OFF
    ]
    written = {w.credit_memo_number for w in answer.write_offs or ()}
    credited = sum((m.amount.amount for m in memos if m.number not in written), Decimal(0))
    if not _close(credited, expected):
        yield Violation(
            "WO-PRORATED-BY-DAY",
            f"canceling as of {op.effective_date} credited {credited} for the unused days, "
            f"not {expected:.2f}",
        )


@prop("WO-NO-FINAL-INVOICE", "WO-PRORATED-BY-DAY")
def later_credit(step: Transition) -> Finding:
    op = step.op
    if not isinstance(op, AdHocRun) or not isinstance(step.outcome, BillRunView):
        return
    if step.outcome.status != "Completed" or not step.features.invoice_settlement:
        return
    for label, answer in step.first_answers.items():
        order = step.first_orders.get(label)
        if (
            order is None
            or order.final_invoice
            or order.policy != "SpecificDate"
            or order.effective_date is None
        ):
            continue
        # A bill run leaves a closed account out (as Zuora's leave canceled accounts): no credit.
        if not _sole(step, order.customer, order.plan) or order.customer in step.closed:
            continue
        if not isinstance(answer, OrderView) or (op.account not in (None, order.customer)):
            continue
        customer_id = _customer_id(step, order.customer)
        start = step.subscriptions.get((order.customer, order.plan))
        then = step.order_invoices.get(label, frozenset())
        through = None if customer_id is None else _billed_through(step, customer_id, then)
        billed_since = [  # a credit already made (the plan is monthly: nothing else is a credit memo)
            m
            for m in step.before.memos.values()
            if m.account_id == customer_id and m.reason_code != WRITE_OFF
        ]
        if start is None or through is None or billed_since or op.day < through:
            continue
        expected = unused_credit(PRICES[order.plan], start, through, order.effective_date)
        if expected is None or expected <= 0:
            continue
        memos: list[CreditMemoView] = [
            m
            for n, m in step.after.memos.items()
            if n not in step.before.memos and m.account_id == customer_id and m.reason_code != WRITE_OFF
        ]
        credited = sum((m.amount.amount for m in memos), Decimal(0))
        if not memos:
            yield Violation(
                "WO-NO-FINAL-INVOICE",
                f"the bill run after order {label} credited nothing for the unused days",
            )
        elif not _close(credited, expected):
            yield Violation(
                "WO-PRORATED-BY-DAY",
                f"the bill run credited {credited} for the unused days, not {expected:.2f}",
            )
