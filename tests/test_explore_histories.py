"""Hand-written histories judged by explore's properties on the reference: each once blamed a
rule for what the rule's statement does not name (a false finding), and must not again."""

from __future__ import annotations

from datetime import date

from steps.histories import (
    AddSubscription,
    AdHocRun,
    Advance,
    CancelSubscription,
    NewCustomer,
    PostInvoice,
    World,
)
from steps.judge import check
from steps.targets.in_process import InProcessTarget

START = date(2026, 1, 1)


def test_a_final_credit_memo_applied_to_a_shared_invoice_is_not_a_write_off_of_it() -> None:
    """Two plans billed on one invoice; one is canceled part-way with a final invoice and a
    write-off. The write-off of the shared invoice is reported failed, and the final credit memo
    for the unused days may be applied to it (where it goes is the implementer's choice): its
    balance going down by that memo breaks nothing. Before, WO-FAILURE-REPORTED was blamed."""
    world = World.start(InProcessTarget(), START)
    for op in (
        NewCustomer("C1", "USD", "Basic Monthly", START),
        AddSubscription("C1", "Pro Monthly", START),
        AdHocRun("R1", "C1", START),
        PostInvoice("C1", "R1"),
        Advance(date(2026, 1, 16)),
    ):
        assert check(world.apply(op)) == [], op
    cancel = CancelSubscription(
        "O1", "C1", "Basic Monthly", effective_date=date(2026, 1, 16), final_invoice=True, write_off=True
    )
    step = world.apply(cancel)
    shared = next(iter(step.before.invoices.values()))
    assert step.after.invoices[shared.number].balance.amount < shared.balance.amount  # the memo was applied
    assert check(step) == []
