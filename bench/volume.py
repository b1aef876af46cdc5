"""The reference engine at volume: bill runs over many accounts, a write-off over many invoices,
and the HTTP server's look-up throughput as the tenant grows.

Each measure runs in a fresh Python process (``python -m bench.volume MEASURE N``), so that its
peak memory (the process's peak resident set) is its own. What a measure arranges first (the
accounts, the invoices) is timed apart from what it measures.

* ``bill-run N``: N accounts, each subscribed to one monthly plan; one ad hoc bill run bills them
  all (execute: create and process it) and is then canceled with its N draft invoices.
* ``write-off N``: one customer whose subscription has N posted, unpaid monthly invoices; one
  order cancels the subscription mid-period, bills the unused days back as a credit memo that
  goes to the invoices first, and writes off all that stays unpaid (N credit memos).
* ``serve N``: a reference server with N subscribed accounts and one completed bill run over
  them; it prints its address and the run's id, and serves until stopped. The parent process
  then asks for that bill run as fast as one keep-alive connection allows.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reference_impl import Billing, BillRun, DocumentItem, Invoice, ManualClock, Rejection  # noqa: E402
from reference_impl.document import DocumentStatus  # noqa: E402
from reference_impl.order import (  # noqa: E402
    CancellationPolicy,
    OrderAction,
    OrderRequest,
    Processing,
    SubscriptionChange,
)
from reference_impl.rating import add_months  # noqa: E402

__all__ = ["VolumeFigures", "measure_volume"]

_TODAY = datetime(2026, 3, 1)
_PLAN = "Basic Monthly"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _subscribed(count: int) -> Billing:
    billing = Billing(ManualClock(_TODAY))
    for index in range(count):
        account = billing.create_account(name=f"Customer {index}")
        if isinstance(account, Rejection):
            raise SystemExit(account.message)
        billing.subscribe(account_number=account.number, plan_name=_PLAN, start_date=_TODAY.date())
    return billing


def bill_run(count: int) -> dict[str, float]:
    """Execute and cancel one bill run over ``count`` subscribed accounts."""
    started = time.perf_counter()
    billing = _subscribed(count)
    arranged = time.perf_counter()
    run = billing.create_bill_run(target_date=_TODAY.date())
    assert isinstance(run, BillRun)
    (done,) = billing.process_due_bill_runs()
    executed = time.perf_counter()
    canceled = billing.cancel_bill_run(run.id)
    finished = time.perf_counter()
    assert done.status.value == "Completed"
    assert not isinstance(canceled, Rejection)
    assert len(billing.invoices()) == count
    assert all(i.status is DocumentStatus.CANCELED for i in billing.invoices())
    return {
        "arrange": arranged - started,
        "execute": executed - arranged,
        "cancel": finished - executed,
        "peak_mib": _peak_mib(),
    }


def write_off(count: int) -> dict[str, float]:
    """One cancel-and-write-off order over ``count`` unpaid invoices of one subscription."""
    started = time.perf_counter()
    billing = Billing(ManualClock(_TODAY))
    account = billing.create_account(name="Long-standing customer")
    assert not isinstance(account, Rejection)
    first = add_months(_TODAY.date(), -count)
    subscription = billing.subscribe(
        account_number=account.number, plan_name=_PLAN, start_date=first, term_months=None
    )
    assert not isinstance(subscription, Rejection)
    plan = billing.catalog.plan(_PLAN)
    assert plan is not None
    charge = plan.charges[0]
    ledger = billing.ledger  # arranged in the ledger directly: N bill runs would take minutes
    for month in range(count + 1):
        start, stop = add_months(first, month), add_months(first, month + 1)
        item_id, number = ledger.new_id("item"), ledger.new_number("invoice")
        item = DocumentItem(item_id, subscription.number, charge.name, start, stop, charge.price)
        ledger.invoices[number] = Invoice(
            ledger.new_id("invoice"),
            number,
            account.number,
            "USD",
            start,
            start,
            (item,),
            DocumentStatus.POSTED,
        )
    cancel = OrderAction(
        "CancelSubscription", policy=CancellationPolicy.SPECIFIC_DATE, effective_date=date(2026, 3, 16)
    )
    request = OrderRequest(
        _TODAY.date(),
        (SubscriptionChange((cancel,), subscription.number),),
        existing_account_number=account.number,
        processing=Processing(run_billing=True, write_off=True, document_date=_TODAY.date()),
    )
    arranged = time.perf_counter()
    order = billing.create_order(request)
    finished = time.perf_counter()
    assert not isinstance(order, Rejection), order
    assert len(order.write_offs) == count + 1
    assert all(w.status == "Success" for w in order.write_offs)
    return {"arrange": arranged - started, "order": finished - arranged, "peak_mib": _peak_mib()}


def serve(count: int) -> None:
    """Serve a tenant of ``count`` accounts billed by one bill run; print its address and the run."""
    from reference_impl.server import create_app, serve_in_background  # noqa: PLC0415

    app = create_app(Billing)
    tenant = app.state.tenant
    tenant.clock.set(_TODAY)
    tenant.billing = billing = _subscribed(count)
    tenant.clock = billing.clock
    run = billing.create_bill_run(target_date=_TODAY.date())
    assert isinstance(run, BillRun)
    billing.process_due_bill_runs()
    server = serve_in_background(app)
    print(json.dumps({"url": server.url, "bill_run": run.id}), flush=True)
    sys.stdin.read()  # until the parent closes it
    server.stop()


def _child(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.volume", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench.volume {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def get_throughput(count: int, seconds: float = 2.0) -> float:
    """Bill-run look-ups per second from one keep-alive client, against a tenant of ``count`` accounts."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.volume", "serve", str(count)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        where = json.loads(server.stdout.readline())
        url = f"{where['url']}/v1/bill-runs/{where['bill_run']}"
        with requests.Session() as session:
            for _ in range(50):  # warm up
                session.get(url, timeout=10).raise_for_status()
            done, started = 0, time.perf_counter()
            while (elapsed := time.perf_counter() - started) < seconds:
                answer = session.get(url, timeout=10)
                answer.raise_for_status()
                done += 1
        return done / elapsed
    finally:
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=20)


@dataclass(frozen=True)
class VolumeFigures:
    """What ``make bench`` prints about volume."""

    small: dict[str, float]
    large: dict[str, float]
    write_off: dict[str, float]
    get_one: float
    get_many: float


def measure_volume(small: int = 10_000, large: int = 100_000, invoices: int = 10_000) -> VolumeFigures:
    return VolumeFigures(
        small=_child("bill-run", str(small)),
        large=_child("bill-run", str(large)),
        write_off=_child("write-off", str(invoices)),
        get_one=get_throughput(1),
        get_many=get_throughput(small),
    )


def main(argv: list[str]) -> int:
    measure, count = argv[0], int(argv[1])
    if measure == "serve":
        serve(count)
        return 0
    figures = bill_run(count) if measure == "bill-run" else write_off(count)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
