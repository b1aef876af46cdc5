"""The reference implementation's billing core, below the level of the features."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from reference_impl import (
    BILL_RUN_TRANSITIONS,
    Account,
    Billing,
    BillRun,
    BillRunStatus,
    Category,
    FeatureSettings,
    Invoice,
    ManualClock,
    Rejection,
    RepeatType,
    Schedule,
)
from reference_impl.money import money
from reference_impl.order import CancellationPolicy, OrderAction, OrderRequest, Processing, SubscriptionChange
from reference_impl.rating import prorate


def _billing(today: date = date(2026, 3, 1), *, settlement: bool = True) -> Billing:
    billing = Billing(ManualClock(datetime(today.year, today.month, today.day)))
    billing.configure(FeatureSettings(invoice_settlement=settlement))
    return billing


def _ok(value: object) -> object:
    assert not isinstance(value, Rejection), value
    return value


def _completed_run(
    billing: Billing,
    plan: str = "Basic Monthly",
    start: date = date(2026, 3, 1),
    target: date = date(2026, 3, 1),
) -> BillRun:
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    _ok(billing.subscribe(account_number=account.number, plan_name=plan, start_date=start))
    run = billing.create_bill_run(target_date=target, account_number=account.number)
    assert isinstance(run, BillRun)
    billing.process_due_bill_runs()
    done = billing.bill_run(run.id)
    assert isinstance(done, BillRun)
    assert done.status is BillRunStatus.COMPLETED
    return done


def test_monthly_charges_are_billed_in_advance_up_to_the_target_date() -> None:
    """Every period starting on or before the target date is billed once, in full."""
    billing = _billing()
    run = _completed_run(billing, start=date(2026, 1, 15), target=date(2026, 3, 15))
    invoices = billing.bill_run_invoices(run.id)
    assert not isinstance(invoices, Rejection)
    (invoice,) = invoices
    assert [i.service_start for i in invoice.items] == [
        date(2026, 1, 15),
        date(2026, 2, 15),
        date(2026, 3, 15),
    ]
    assert invoice.amount == Decimal("90.00")


def test_a_period_is_not_billed_twice_but_is_billed_again_after_its_invoice_is_canceled() -> None:
    billing = _billing()
    first = _completed_run(billing)
    again = billing.create_bill_run(target_date=date(2026, 3, 1))
    assert isinstance(again, BillRun)
    billing.process_due_bill_runs()
    assert billing.bill_run_invoices(again.id) == []
    _ok(billing.cancel_bill_run(first.id))
    third = billing.create_bill_run(target_date=date(2026, 3, 1))
    assert isinstance(third, BillRun)
    billing.process_due_bill_runs()
    invoices = billing.bill_run_invoices(third.id)
    assert isinstance(invoices, list)
    assert [i.amount for i in invoices] == [Decimal("30.00")]


@pytest.mark.parametrize(
    ("settlement", "memos", "invoice_amounts"), [(True, 1, []), (False, 0, [Decimal("-20.00")])]
)
def test_a_negative_total_is_a_credit_memo_only_with_invoice_settlement(
    settlement: bool, memos: int, invoice_amounts: list[Decimal]
) -> None:
    billing = _billing(settlement=settlement)
    run = _completed_run(billing, plan="Goodwill Credit")
    memo_list = billing.bill_run_credit_memos(run.id)
    invoice_list = billing.bill_run_invoices(run.id)
    assert isinstance(memo_list, list)
    assert isinstance(invoice_list, list)
    assert len(memo_list) == memos
    assert [i.amount for i in invoice_list] == invoice_amounts
    if memo_list:
        assert memo_list[0].amount == Decimal("20.00")


def test_a_refused_cancellation_changes_nothing() -> None:
    """A run holding a posted invoice refuses to cancel, and its other documents stay as they were."""
    billing = _billing()
    run = _completed_run(billing)
    invoices = billing.bill_run_invoices(run.id)
    assert isinstance(invoices, list)
    _ok(billing.post_invoice(invoices[0].number))
    before = billing.ledger.contents()
    refused = billing.cancel_bill_run(run.id)
    assert isinstance(refused, Rejection)
    assert refused.category is Category.RULE_RESTRICTION
    assert refused.code == "bill-run-has-posted-invoices"
    assert billing.ledger.contents() == before


def test_an_operation_that_raises_leaves_the_ledger_as_it_was() -> None:
    """Half-way through a bill run (one account billed, then a fault), every write is undone:
    the run, the invoice, the numbers drawn and the indexes."""
    billing = _billing()

    class Boom(Exception):
        pass

    bill_account = billing._bill_runs._bill_account
    billed: list[str] = []
    written: list[Invoice] = []

    def explode(run: BillRun, account: Account) -> None:
        if billed:
            written.extend(billing.invoices())
            raise Boom
        bill_account(run, account)
        billed.append(account.number)

    billing._bill_runs._bill_account = explode  # type: ignore[method-assign]
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    _ok(
        billing.subscribe(
            account_number=account.number, plan_name="Basic Monthly", start_date=date(2026, 3, 1)
        )
    )
    _ok(billing.create_account(name="Globex"))  # billed second: the fault comes here
    _ok(billing.create_bill_run(target_date=date(2026, 3, 1)))
    before = billing.ledger.contents()
    with pytest.raises(Boom):
        billing.process_due_bill_runs()
    assert written  # the fault came after an invoice was written
    assert billing.ledger.contents() == before
    assert billing.invoices() == []
    (run,) = billing.ledger.bill_runs.values()
    assert billing.bill_run_invoices(run.id) == []
    assert billing.ledger.bill_runs.where("status", BillRunStatus.PENDING) == [run]


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("30.01"), "payment-exceeds-balance"),
        (Decimal("0"), "payment-amount-invalid"),
        (Decimal("1.005"), "payment-amount-invalid"),
        (Decimal("-5.00"), "payment-amount-invalid"),
    ],
)
def test_payments_are_checked_against_the_invoice_balance(amount: Decimal, code: str) -> None:
    billing = _billing()
    run = _completed_run(billing)
    _ok(billing.post_bill_run(run.id))
    invoices = billing.bill_run_invoices(run.id)
    assert isinstance(invoices, list)
    refused = billing.collect_payment(
        invoice_number=invoices[0].number, amount=amount, payment_method_type="Check"
    )
    assert isinstance(refused, Rejection)
    assert refused.code == code


def test_a_draft_invoice_cannot_be_paid() -> None:
    billing = _billing()
    run = _completed_run(billing)
    invoices = billing.bill_run_invoices(run.id)
    assert isinstance(invoices, list)
    refused = billing.collect_payment(
        invoice_number=invoices[0].number, amount=Decimal("30.00"), payment_method_type="Check"
    )
    assert isinstance(refused, Rejection)
    assert refused.code == "invoice-not-posted"


def test_an_ad_hoc_bill_run_needs_a_target_date() -> None:
    refused = _billing().create_bill_run()
    assert isinstance(refused, Rejection)
    assert refused.category is Category.MISSING_FIELD


def test_a_schedule_cannot_end_before_it_starts() -> None:
    refused = _billing().create_bill_run(
        schedule=Schedule(RepeatType.DAILY, date(2026, 4, 2), date(2026, 4, 1))
    )
    assert isinstance(refused, Rejection)
    assert refused.category is Category.INVALID_VALUE


def test_advancing_the_clock_runs_each_due_occurrence_and_schedules_the_next() -> None:
    billing = _billing()
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    first = billing.create_bill_run(schedule=Schedule(RepeatType.WEEKLY, date(2026, 3, 2), date(2026, 3, 20)))
    assert isinstance(first, BillRun)
    ran = billing.advance_clock(datetime(2026, 3, 31))
    assert [r.scheduled_for.date() for r in ran] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    assert all(r.status is BillRunStatus.COMPLETED for r in ran)
    assert first.series is not None
    assert billing.pending_occurrence(first.series) is None


def test_the_clock_never_goes_back() -> None:
    with pytest.raises(ValueError, match="cannot go back"):
        _billing().advance_clock(datetime(2020, 1, 1))


def test_every_status_appears_in_the_transition_table() -> None:
    """The table is the whole lifecycle: no status is unreachable or a dead end by accident."""
    sources = {status for status, _ in BILL_RUN_TRANSITIONS}
    targets = set(BILL_RUN_TRANSITIONS.values())
    assert sources | targets == set(BillRunStatus)
    assert set(BillRunStatus) - sources == {BillRunStatus.POSTED, BillRunStatus.REMOVE_IN_PROGRESS}


def test_money_rounds_half_up_to_the_cent_and_proration_uses_days() -> None:
    assert money("2.345") == Decimal("2.35")
    assert prorate(Decimal("30.00"), date(2026, 4, 1), date(2026, 5, 1), date(2026, 4, 16)) == Decimal(
        "15.00"
    )


@pytest.mark.parametrize(
    ("rejection", "code"),
    [
        (Rejection("bill-run-has-posted-invoices", Category.RULE_RESTRICTION, "m"), 50003030),
        (Rejection("invoice-not-found", Category.NOT_FOUND, "m"), 50004040),
        (Rejection("order-write-off-needs-settlement", Category.PERMISSION_DENIED, "m"), 53100310),
        (Rejection("nothing-known", Category.INVALID_VALUE, "m"), 50000020),
    ],
)
def test_a_rejection_renders_as_zuoras_error_envelope(rejection: Rejection, code: int) -> None:
    """Eight digits: a six-digit resource code, then the two-digit category."""
    assert rejection.envelope() == {"success": False, "reasons": [{"code": code, "message": "m"}]}
    assert str(code).endswith(f"{rejection.category.value:02d}")


def test_the_unused_part_of_a_cancelled_subscription_is_credited_once() -> None:
    """After a cancellation, the first bill run credits the unused service; later ones do not again."""
    billing = _billing(date(2026, 4, 1))
    run = _completed_run(billing, start=date(2026, 4, 1), target=date(2026, 4, 1))
    _ok(billing.post_bill_run(run.id))
    account = billing.account("A00000001")
    assert not isinstance(account, Rejection)
    cancel = OrderAction(
        "CancelSubscription", policy=CancellationPolicy.SPECIFIC_DATE, effective_date=date(2026, 4, 16)
    )
    _ok(
        billing.create_order(
            OrderRequest(
                date(2026, 4, 1),
                (SubscriptionChange((cancel,), "A-S00000001"),),
                existing_account_number=account.number,
            )
        )
    )
    credits = []
    for target in (date(2026, 5, 1), date(2026, 6, 1)):
        again = billing.create_bill_run(target_date=target, account_number=account.number)
        assert isinstance(again, BillRun)
        billing.process_due_bill_runs()
        memos = billing.bill_run_credit_memos(again.id)
        assert isinstance(memos, list)
        credits.append([m.amount for m in memos])
    assert credits == [[Decimal("15.00")], []]


def test_a_payment_in_another_currency_than_the_accounts_is_refused() -> None:
    """A payment that is not standalone is in its account's currency, and nothing else changes."""
    billing = _billing()
    run = _completed_run(billing)
    _ok(billing.post_bill_run(run.id))
    invoices = billing.bill_run_invoices(run.id)
    assert isinstance(invoices, list)
    refused = billing.collect_payment(
        invoice_number=invoices[0].number,
        amount=Decimal("30.00"),
        currency="EUR",
        payment_method_type="Check",
    )
    assert isinstance(refused, Rejection)
    assert refused.code == "payment-currency-mismatch"
    assert billing.invoice(invoices[0].number) == invoices[0]


@pytest.mark.parametrize(
    ("item_settlement", "status", "balance"),
    [(False, "Failed", Decimal("130.00")), (True, "Success", Decimal("100.00"))],
)
def test_a_shared_invoice_is_written_off_only_with_invoice_item_settlement(
    item_settlement: bool, status: str, balance: Decimal
) -> None:
    """Without Invoice Item Settlement the write-off of an invoice that also bills another
    subscription fails and leaves it whole; with it, only the canceled subscription's part goes."""
    billing = _billing()
    billing.configure(FeatureSettings(invoice_item_settlement=item_settlement))
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    for plan in ("Basic Monthly", "Pro Monthly"):
        _ok(billing.subscribe(account_number=account.number, plan_name=plan, start_date=date(2026, 3, 1)))
    run = billing.create_bill_run(target_date=date(2026, 3, 1), account_number=account.number)
    assert isinstance(run, BillRun)
    billing.process_due_bill_runs()
    _ok(billing.post_bill_run(run.id))
    cancel = OrderAction(
        "CancelSubscription", policy=CancellationPolicy.SPECIFIC_DATE, effective_date=date(2026, 3, 16)
    )
    order = billing.create_order(
        OrderRequest(
            date(2026, 3, 1),
            (SubscriptionChange((cancel,), "A-S00000001"),),
            existing_account_number=account.number,
            processing=Processing(write_off=True),
        )
    )
    assert not isinstance(order, Rejection)
    (write_off,) = order.write_offs
    invoice = billing.invoice(write_off.invoice_number)
    assert not isinstance(invoice, Rejection)
    assert (write_off.status, invoice.balance) == (status, balance)
