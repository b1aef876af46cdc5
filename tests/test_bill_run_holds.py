"""Holding bill runs part-way (the control API's hold, queue and release), in the domain and served."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import requests

from reference_impl import Billing, BillRun, BillRunStatus, DocumentStatus, ManualClock, Rejection
from reference_impl.server import RunningServer

S = BillRunStatus


def _billing() -> tuple[Billing, str]:
    billing = Billing(ManualClock(datetime(2026, 3, 1)))
    account = billing.create_account(name="Acme")
    assert not isinstance(account, Rejection)
    billing.subscribe(account_number=account.number, plan_name="Basic Monthly", start_date=date(2026, 3, 1))
    return billing, account.number


def _run(billing: Billing, account: str, *, held: bool) -> BillRun:
    billing.hold_new_bill_runs(held)
    run = billing.create_bill_run(target_date=date(2026, 3, 1), account_number=account)
    billing.hold_new_bill_runs(False)
    assert isinstance(run, BillRun)
    billing.process_due_bill_runs()
    found = billing.bill_run(run.id)
    assert isinstance(found, BillRun)
    return found


def _status(billing: Billing, run: BillRun) -> BillRunStatus:
    found = billing.bill_run(run.id)
    assert isinstance(found, BillRun)
    return found.status


def test_a_run_created_while_new_runs_are_held_waits_until_released() -> None:
    billing, account = _billing()
    run = _run(billing, account, held=True)
    assert run.status is S.PENDING
    assert not isinstance(billing.release_bill_run(run.id), Rejection)
    billing.process_due_bill_runs()
    assert _status(billing, run) is S.COMPLETED


@pytest.mark.parametrize(
    ("held", "pending", "finished"),
    [
        (S.PROCESSING, True, S.COMPLETED),
        (S.POST_IN_PROGRESS, False, S.POSTED),
        (S.CANCEL_IN_PROGRESS, False, S.CANCELED),
    ],
)
def test_a_held_run_stays_in_its_passing_status_until_released(
    held: BillRunStatus, pending: bool, finished: BillRunStatus
) -> None:
    """Nothing of the held work is done until the run is released; releasing finishes it."""
    billing, account = _billing()
    run = _run(billing, account, held=pending)
    moved = billing.hold_bill_run(run.id, held)
    assert isinstance(moved, BillRun)
    assert moved.status is held
    billing.process_due_bill_runs()
    assert _status(billing, run) is held
    assert isinstance(billing.cancel_bill_run(run.id), Rejection)
    assert isinstance(billing.delete_bill_run(run.id), Rejection)
    done = billing.release_bill_run(run.id)
    assert isinstance(done, BillRun)
    assert done.status is finished
    invoices = billing.account_invoices(account)
    assert not isinstance(invoices, Rejection)
    documents = {i.status for i in invoices}
    expected = {
        S.COMPLETED: DocumentStatus.DRAFT,
        S.POSTED: DocumentStatus.POSTED,
        S.CANCELED: DocumentStatus.CANCELED,
    }
    assert documents == {expected[finished]}


def test_only_a_run_that_can_start_the_work_is_held_and_only_a_held_run_is_released() -> None:
    billing, account = _billing()
    completed = _run(billing, account, held=False)
    assert isinstance(billing.hold_bill_run(completed.id, S.PROCESSING), Rejection)
    assert isinstance(billing.hold_bill_run(completed.id, S.COMPLETED), Rejection)
    assert isinstance(billing.release_bill_run(completed.id), Rejection)
    assert _status(billing, completed) is S.COMPLETED


def test_the_control_api_holds_and_releases_bill_runs(reference_server: RunningServer) -> None:
    base, control = reference_server.url, reference_server.url + "/conformance/v1"
    requests.post(control + "/reset", json={}, timeout=10)
    requests.put(control + "/clock", json={"now": "2026-03-01T00:00:00"}, timeout=10)
    account = requests.post(
        base + "/v1/accounts",
        json={
            "name": "Acme",
            "currency": "USD",
            "billCycleDay": 0,
            "billToContact": {"firstName": "A", "lastName": "B"},
        },
        timeout=10,
    ).json()
    assert requests.put(control + "/bill-run-queue", json={"held": True}, timeout=10).json()["success"]
    created = requests.post(
        base + "/v1/bill-runs",
        json={
            "targetDate": "2026-03-01",
            "billRunFilters": [{"filterType": "Account", "accountId": account["accountId"]}],
        },
        timeout=10,
    ).json()
    requests.put(control + "/bill-run-queue", json={"held": False}, timeout=10)
    run = f"/bill-runs/{created['id']}"
    assert requests.get(base + "/v1" + run, timeout=10).json()["status"] == "Pending"
    held = requests.put(control + run + "/hold", json={"status": "Processing"}, timeout=10).json()
    assert held["status"] == "Processing"
    wrong = requests.put(control + run + "/hold", json={"status": "Completed"}, timeout=10)
    assert wrong.status_code == 400
    assert requests.post(control + run + "/release", timeout=10).json()["status"] == "Completed"
    assert requests.post(control + run + "/release", timeout=10).json()["success"] is False
