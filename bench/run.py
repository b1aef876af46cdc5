"""Benchmarks of the kit: how long the suite takes, and how the reference copes with volume.

Targets (on the 2-core machines this project runs on):

* the whole suite in-process: under 5 s;
* the whole suite over HTTP against ``billing-conformance serve`` in another process: under 20 s;
* a bill run over 1,000 accounts in the reference: under 5 s and under 100 MiB of Python objects;
* a remote target (50 ms added to every request by a loopback proxy, :mod:`latency`): the suite
  with eight workers at least 5x faster than serially, and the serial run within 1.3x the latency
  it cannot avoid (requests x 50 ms); requests per scenario printed beside them.

Run with ``make bench``; it prints one line per measure and exits 1 if a target is missed.
Not part of ``make test``: timings belong here, not in unit tests.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.latency import measure_remote_runs  # noqa: E402
from bench.scenario_cost import scenario_cost  # noqa: E402
from reference_impl import Billing, ManualClock  # noqa: E402


def _suite(*args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    passed = re.search(r"\b\d+ passed\b", done.stdout) and not re.search(r"\b\d+ failed\b", done.stdout)
    if done.returncode != 0 or not passed:
        raise SystemExit(f"the suite did not pass: {done.stdout[-500:]}")
    return elapsed


def suite_in_process() -> float:
    return _suite()


def suite_over_http() -> float:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "billing_conformance.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        return _suite(f"--target=http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def bill_run_of_many_accounts(count: int = 1000) -> tuple[float, float]:
    """Seconds and MiB of Python objects to bill ``count`` subscribed accounts in one bill run."""
    tracemalloc.start()
    billing = Billing(ManualClock(datetime(2026, 3, 1)))
    for index in range(count):
        account = billing.create_account(name=f"Customer {index}")
        assert not isinstance(account, Exception)
        billing.subscribe(
            account_number=f"A{index + 1:08d}", plan_name="Basic Monthly", start_date=date(2026, 3, 1)
        )
    started = time.perf_counter()
    billing.create_bill_run(target_date=date(2026, 3, 1))
    processed = billing.process_due_bill_runs()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert processed[0].status.value == "Completed"
    return elapsed, peak / 2**20


def main() -> int:
    checks: list[tuple[str, Callable[[], float], float, str]] = [
        ("suite in-process", suite_in_process, 5.0, "s"),
        ("scenario cost in-process", scenario_cost, 10.0, "ms"),
        ("suite over HTTP", suite_over_http, 20.0, "s"),
    ]
    missed = 0
    for name, measure, limit, unit in checks:
        value = measure()
        missed += value > limit
        print(
            f"{'ok  ' if value <= limit else 'SLOW'} {name}: {value:.2f} {unit} (target < {limit:g} {unit})"
        )
    seconds, mebibytes = bill_run_of_many_accounts()
    for name, value, limit, unit in (
        ("bill run of 1,000 accounts", seconds, 5.0, "s"),
        ("its peak Python memory", mebibytes, 100.0, "MiB"),
    ):
        missed += value > limit
        print(
            f"{'ok  ' if value <= limit else 'SLOW'} {name}: {value:.2f} {unit} (target < {limit:g} {unit})"
        )
    missed += _remote()
    return 1 if missed else 0


def _remote(latency: float = 0.05) -> int:
    """Serial and eight-worker runs through the latency proxy, side by side; the targets missed."""
    serial, parallel = measure_remote_runs(latency)
    for run in (serial, parallel):
        print(
            f"     remote suite, {run.workers or 'no'} workers: {run.seconds:.1f} s, {run.requests} requests "
            f"(per scenario: median {run.median_per_scenario:g}, most {run.max_per_scenario})"
        )
    speedup = serial.seconds / parallel.seconds
    floor = serial.requests * latency
    checks = (
        (f"eight workers {speedup:.1f}x faster than serial", speedup >= 5.0, "target >= 5x"),
        (
            f"serial {serial.seconds / floor:.2f}x its latency floor ({floor:.1f} s)",
            serial.seconds <= 1.3 * floor,
            "target <= 1.3x",
        ),
    )
    for text, met, target in checks:
        print(f"{'ok  ' if met else 'SLOW'} {text} ({target})")
    return sum(not met for _, met, _ in checks)


if __name__ == "__main__":
    sys.exit(main())
