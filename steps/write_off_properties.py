"""The MUST rules of "Cancel subscriptions and write off all unpaid invoices" as properties of any
history (see :mod:`steps.properties`).

Which subscription an invoice bills is not something Zuora's invoice view says, so the properties
judge only what the history makes certain: subscriptions are all taken out before the first bill
run (the explorer arranges that), so an invoice of a bill run whose target date comes before a
subscription's start cannot bill it, and an invoice of a customer whose other subscriptions all
start after the run's target date bills only the one. Anything else is left unjudged.
"""

from __future__ import annotations

from decimal import Decimal

from steps.histories import CancelSubscription, Retry, Transition, add_months
from steps.properties import ORDER_REFUSALS, WRITE_OFF, Finding, Violation, prop, unchanged
from steps.targets import BillRunView, InvoiceView, Money, OrderView, Refusal, Refused
from steps.wording import describe

__all__: list[str] = []

RECURRING = ("Basic Monthly", "Pro Monthly")


def _required_refusal(op: CancelSubscription, step: Transition) -> str | None:
    features = step.features
    if op.write_off and not features.invoice_settlement:
        return "WO-NEEDS-INVOICE-SETTLEMENT"
    if op.write_off and not features.orders:
        return "WO-NEEDS-ORDERS-AND-WORKFLOW"
    if op.write_off and op.asynchronous:
        return "WO-SYNC-ONLY"
    if op.collect_payment and not op.final_invoice:
        return "WO-COLLECT-NEEDS-BILLING"
    return None


@prop(
    "WO-NEEDS-INVOICE-SETTLEMENT",
    "WO-NEEDS-ORDERS-AND-WORKFLOW",
    "WO-SYNC-ONLY",
    "WO-COLLECT-NEEDS-BILLING",
)
def order_refused(step: Transition) -> Finding:
    op = step.op
    if not isinstance(op, CancelSubscription):
        return
    rule = _required_refusal(op, step)
    if rule is None:
        return
    outcome = step.outcome
    if isinstance(outcome, Refused) and outcome.category is Refusal.LOCKED:
        return
    if not (isinstance(outcome, Refused) and outcome.category in ORDER_REFUSALS):
        yield Violation(rule, f"order {op.order_label} was carried out: {describe(outcome)}")
    else:
        yield from unchanged(step, rule, f"order {op.order_label}")


def _run_of(step: Transition, number: str) -> BillRunView | None:
    for label, numbers in step.run_invoices.items():
        if number in numbers:
            run = step.before.runs.get(label)
            return run if isinstance(run, BillRunView) else None
    return None


def _bills(step: Transition, invoice: InvoiceView, customer: str, plan: str) -> str:
    """ "only": the invoice bills only this subscription; "not": it cannot bill it; "shared": it
    bills it and another one; "unknown" otherwise."""
    run = _run_of(step, invoice.number)
    if run is None or run.target_date is None:
        return "unknown"
    start = step.subscriptions.get((customer, plan))
    if start is None:
        return "unknown"
    if start > run.target_date:
        return "not"
    others = {p: s for (c, p), s in step.subscriptions.items() if c == customer and p != plan}
    if all(s > run.target_date for s in others.values()):
        return "only"
    if (
        plan in RECURRING
        and len(others) == 1
        and all(
            p in RECURRING and s == start and (customer, p) not in step.canceled for p, s in others.items()
        )
    ):
        return "shared"
    return "unknown"


@prop("WO-RESULTS-RETRIEVABLE", "WO-CUSTOM-FIELDS-KEPT", "WO-SUBSCRIPTION-CANCELLED", "WO-ONLY-WHEN-ASKED")
def order_done(step: Transition) -> Finding:
    op, answer = step.op, step.outcome
    if not isinstance(op, CancelSubscription) or not isinstance(answer, OrderView):
        return
    looked = step.looked_up
    if isinstance(looked, Refused) and looked.category is Refusal.NOT_FOUND:
        yield Violation("WO-RESULTS-RETRIEVABLE", f"order {answer.number} cannot be found: {looked.message}")
    elif isinstance(looked, OrderView) and op.cancel_reason is not None:
        kept = looked.action_custom_fields.get("CancelReason__c")
        if kept != op.cancel_reason:
            yield Violation("WO-CUSTOM-FIELDS-KEPT", f"the cancellation's reason for canceling is {kept!r}")
    start = step.subscriptions.get((op.customer, op.plan))
    expected = {"SpecificDate": op.effective_date, "EndOfCurrentTerm": start and add_months(start, 12)}
    now = step.after.subscriptions.get((op.customer, op.plan))
    if now is not None and not isinstance(now, Refused):
        if now.status != "Cancelled":
            yield Violation(
                "WO-SUBSCRIPTION-CANCELLED", f"after order {op.order_label} the subscription is {now.status}"
            )
        elif op.policy in expected and now.end_date != expected[op.policy]:
            yield Violation(
                "WO-SUBSCRIPTION-CANCELLED",
                f"the {op.policy} cancellation ends the subscription on {now.end_date}, "
                f"not {expected[op.policy]}",
            )
    if not op.write_off:
        fresh = [
            m
            for n, m in step.after.memos.items()
            if n not in step.before.memos and m.reason_code == WRITE_OFF
        ]
        if answer.write_offs or fresh:
            yield Violation(
                "WO-ONLY-WHEN-ASKED", f"order {op.order_label} did not ask to write off, yet wrote off"
            )


def _write_off_memos(step: Transition, answer: OrderView) -> set[str]:
    named = {w.credit_memo_number for w in answer.write_offs or () if w.credit_memo_number}
    fresh = {
        n for n, m in step.after.memos.items() if n not in step.before.memos and m.reason_code == WRITE_OFF
    }
    return {n for n in named | fresh if n in step.after.memos}


@prop(
    "WO-UNPAID-INVOICES-CLEARED",
    "WO-ANY-POLICY",
    "WO-ONLY-THIS-SUBSCRIPTION",
    "WO-DRAFTS-NOT-WRITTEN-OFF",
    "WO-FAILURE-REPORTED",
    "WO-PARTLY-PAID",
    "WO-FINAL-CREDIT-MEMO-FIRST",
)
def written_off(step: Transition) -> Finding:  # noqa: PLR0912 - one branch per kind of invoice
    op, answer = step.op, step.outcome
    if not isinstance(op, CancelSubscription) or not isinstance(answer, OrderView) or not op.write_off:
        return
    customer_id = next((i for i, c in step.after.customer_of.items() if c == op.customer), None)
    cleared = "WO-UNPAID-INVOICES-CLEARED" if op.policy == "SpecificDate" else "WO-ANY-POLICY"
    memos = _write_off_memos(step, answer)
    finals = [
        m
        for n, m in step.after.memos.items()
        if n not in step.before.memos and n not in memos and m.account_id == customer_id
    ]
    # Which invoice a new final credit memo is applied to is the implementer's choice: an invoice
    # this write-off must leave alone may still go down by what those memos credit, never more.
    credited = sum((m.amount.amount for m in finals), Decimal(0))

    def untouched(was: Money, now: Money) -> bool:
        return now.amount <= was.amount and was.amount - now.amount <= credited

    for number, was in step.before.invoices.items():
        now = step.after.invoices.get(number)
        if now is None:
            continue
        if was.account_id != customer_id:
            if now.balance != was.balance:
                yield Violation(
                    "WO-ONLY-THIS-SUBSCRIPTION", f"another customer's invoice {number} changed: {now.balance}"
                )
            continue
        if was.status == "Draft":
            if (now.status, now.balance) != (was.status, was.balance):
                yield Violation(
                    "WO-DRAFTS-NOT-WRITTEN-OFF",
                    f"the draft invoice {number} became {now.status}, {now.balance}",
                )
            continue
        if now.balance.amount < 0:
            partly = was.amount.amount > was.balance.amount
            rule = "WO-PARTLY-PAID" if partly else "WO-FINAL-CREDIT-MEMO-FIRST" if finals else cleared
            yield Violation(rule, f"the write-off left invoice {number} with a balance of {now.balance}")
            continue
        if was.status != "Posted" or was.balance.amount <= 0:
            continue
        bills = _bills(step, was, op.customer, op.plan)
        if bills == "only" and now.balance.amount != 0:
            yield Violation(cleared, f"the unpaid invoice {number} still has a balance of {now.balance}")
        elif bills == "not" and not untouched(was.balance, now.balance):
            yield Violation(
                "WO-ONLY-THIS-SUBSCRIPTION", f"invoice {number} of another subscription went to {now.balance}"
            )
        elif bills == "shared" and not step.features.invoice_item_settlement:
            if not untouched(was.balance, now.balance):
                yield Violation("WO-FAILURE-REPORTED", f"the shared invoice {number} went to {now.balance}")
            for w in answer.write_offs or ():
                if w.invoice_number == number and (w.status != "Failed" or not w.failed_reason):
                    yield Violation(
                        "WO-FAILURE-REPORTED", f"the write-off of shared invoice {number} is {w.status}"
                    )
    for w in answer.write_offs or ():
        owed_before = step.before.invoices.get(w.invoice_number)
        memo = step.after.memos.get(w.credit_memo_number or "")
        if owed_before is not None and memo is not None and memo.amount.amount > owed_before.balance.amount:
            partly = owed_before.amount.amount > owed_before.balance.amount
            yield Violation(
                "WO-PARTLY-PAID" if partly else cleared,
                f"{memo.amount} was written off invoice {w.invoice_number}, which owed {owed_before.balance}",
            )
    owed = sum(
        (
            i.balance.amount
            for n, i in step.before.invoices.items()
            if i.account_id == customer_id
            and i.status == "Posted"
            and _bills(step, i, op.customer, op.plan) == "only"
        ),
        Decimal(0),
    )
    sole = all(c != op.customer or p == op.plan for c, p in step.subscriptions)
    for final in finals:
        if (
            sole
            and final.applied_amount is not None
            and owed >= final.amount.amount > final.applied_amount.amount
        ):
            yield Violation(
                "WO-FINAL-CREDIT-MEMO-FIRST",
                f"the final credit memo {final.number} of {final.amount} was applied only "
                f"{final.applied_amount}",
            )


@prop("WO-UNPAID-INVOICES-CLEARED", "WO-REPORTED", "WO-FINANCE-INFORMATION", "WO-FINAL-INVOICE-WRITTEN-OFF")
def write_off_memos(step: Transition) -> Finding:  # noqa: PLR0912 - one branch per reported fact
    op, answer = step.op, step.outcome
    if not isinstance(op, CancelSubscription) or not isinstance(answer, OrderView) or not op.write_off:
        return
    memos = _write_off_memos(step, answer)
    for number in sorted(memos):
        memo = step.after.memos[number]
        if memo.status != "Posted" or memo.reason_code != WRITE_OFF:
            yield Violation(
                "WO-UNPAID-INVOICES-CLEARED",
                f"write-off credit memo {number} is {memo.status} with reason code {memo.reason_code!r}",
            )
        if op.finance_code is not None:
            for item in memo.items:
                if item.finance.get("deferredRevenueAccountingCode") != op.finance_code:
                    yield Violation(
                        "WO-FINANCE-INFORMATION", f"an item of {number} is booked to {dict(item.finance)}"
                    )
    customer_id = next((i for i, c in step.after.customer_of.items() if c == op.customer), None)
    for n, memo in step.after.memos.items():
        if n in step.before.memos or n in memos or memo.account_id != customer_id or op.finance_code is None:
            continue
        if any(item.finance.get("deferredRevenueAccountingCode") == op.finance_code for item in memo.items):
            yield Violation(
                "WO-FINANCE-INFORMATION", f"the final credit memo {n} carries the write-off's account"
            )
    for w in answer.write_offs or ():
        if w.invoice_number not in step.after.invoices:
            yield Violation("WO-REPORTED", f"a write-off names {w.invoice_number!r}, not one of the invoices")
        elif w.status != "Failed" and w.credit_memo_number not in step.after.memos:
            yield Violation(
                "WO-REPORTED", f"the write-off of {w.invoice_number} names no credit memo of the customer"
            )
    sole = all(c != op.customer or p == op.plan for c, p in step.subscriptions)
    for number in answer.invoice_numbers:
        final = step.after.invoices.get(number)
        fresh = final is not None and number not in step.before.invoices
        if sole and fresh and final is not None and final.status == "Posted" and final.balance.amount > 0:
            yield Violation(
                "WO-FINAL-INVOICE-WRITTEN-OFF", f"the final invoice {number} still owes {final.balance}"
            )


@prop("WO-RESULT-NAMES-DOCUMENTS", "WO-NOTHING-UNPAID")
def order_answer(step: Transition) -> Finding:
    op, answer = step.op, step.outcome
    if not isinstance(op, CancelSubscription):
        return
    customer_id = next((i for i, c in step.before.customer_of.items() if c == op.customer), None)
    unpaid = [
        i
        for i in step.before.invoices.values()
        if i.account_id == customer_id and i.status == "Posted" and i.balance.amount > 0
    ]
    start = step.subscriptions.get((op.customer, op.plan))
    valid = (
        op.write_off
        and not op.asynchronous
        and not op.collect_payment
        and step.features.invoice_settlement
        and step.features.orders
        and step.features.workflow
        and (op.customer, op.plan) not in step.canceled
        and start is not None
        and op.policy == "SpecificDate"
        and op.effective_date is not None
        and start <= op.effective_date <= add_months(start, 12)
    )
    if valid and not unpaid and not op.final_invoice:
        if isinstance(answer, Refused) and answer.category is not Refusal.LOCKED:
            yield Violation("WO-NOTHING-UNPAID", f"order {op.order_label}, with nothing unpaid, was refused")
        elif isinstance(answer, OrderView) and answer.write_offs:
            yield Violation(
                "WO-NOTHING-UNPAID", f"order {op.order_label} reports write-offs with nothing unpaid"
            )
    if not isinstance(answer, OrderView) or not op.final_invoice:
        return
    memos = _write_off_memos(step, answer)
    for n, invoice in step.after.invoices.items():
        if (
            n not in step.before.invoices
            and invoice.account_id == customer_id
            and n not in answer.invoice_numbers
        ):
            yield Violation(
                "WO-RESULT-NAMES-DOCUMENTS", f"the order's answer does not name its final invoice {n}"
            )
    for n, memo in step.after.memos.items():
        fresh = n not in step.before.memos and n not in memos and memo.account_id == customer_id
        if fresh and n not in answer.credit_memo_numbers:
            yield Violation(
                "WO-RESULT-NAMES-DOCUMENTS", f"the order's answer does not name its final credit memo {n}"
            )


@prop("WO-IDEMPOTENT-RETRY")
def retried(step: Transition) -> Finding:
    op = step.op
    if not isinstance(op, Retry):
        return
    first = step.first_answers.get(op.order_label)
    same_day = step.first_days.get(op.order_label) == step.today
    placed = step.first_orders.get(op.order_label)
    synchronous = placed is not None and not placed.asynchronous  # only an order at once takes a key
    if first is None or step.first_keys.get(op.order_label) is None or not same_day or not synchronous:
        return
    answer = step.outcome
    if isinstance(answer, Refused) and answer.category is Refusal.LOCKED:
        return
    if not isinstance(answer, OrderView) or answer.number != first.number:
        said = describe(answer)
        yield Violation("WO-IDEMPOTENT-RETRY", f"the retry was answered {said}, not order {first.number}")
    else:
        yield from unchanged(step, "WO-IDEMPOTENT-RETRY", "the retry")
