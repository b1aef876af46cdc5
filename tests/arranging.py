"""Arrangements the kit's own tests make directly on the reference domain."""

from __future__ import annotations

from datetime import date

from reference_impl import Billing, BillRun, Rejection

__all__ = ["bill_run_for_new_customer"]


def bill_run_for_new_customer(billing: Billing, name: str, day: date = date(2026, 3, 1)) -> BillRun:
    """A new customer ``name`` subscribed to "Basic Monthly" from ``day``, and an ad hoc bill run
    for that customer alone on ``day`` (not yet processed)."""
    account = billing.create_account(name=name)
    assert not isinstance(account, Rejection)
    subscribed = billing.subscribe(account_number=account.number, plan_name="Basic Monthly", start_date=day)
    assert not isinstance(subscribed, Rejection)
    run = billing.create_bill_run(target_date=day, account_number=account.number)
    assert isinstance(run, BillRun)
    return run
