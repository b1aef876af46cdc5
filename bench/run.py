"""Benchmarks of the kit: how long the suite takes, and how the reference copes with volume.

Targets (on the 2-core machines this project runs on):

* the whole suite in-process: under 5 s; one scenario in-process (:mod:`scenario_cost`): at most
  10 ms, printed beside pytest-bdd's own floor;
* the whole suite over loopback against ``billing-conformance serve`` started as the README
  starts it (:mod:`loopback`), serially: its scenarios at most 4x their time in process;
* the reference at volume (:mod:`volume`): a bill run executed and canceled over 100,000
  subscribed accounts in at most 2 s, and at most 12x the time of 10,000 accounts (peak memory
  printed beside them); a cancel-and-write-off order over 10,000 unpaid invoices in at most 1 s;
  the server's bill-run look-ups per second with 10,000 accounts within 20% of those with one;
* a remote target (``serve`` again, 50 ms added to every request by a loopback proxy,
  :mod:`latency`): the suite with eight workers at least 5x faster than serially, and the serial
  run within 1.3x the latency it cannot avoid (requests x 50 ms); requests per scenario printed
  beside them;
* ``billing-conformance explore`` (:mod:`explore`): histories and steps per second in process and
  over loopback against ``serve``, printed (no target).

Run with ``make bench``; it prints one line per measure and exits 1 if a target is missed.
Not part of ``make test``: timings belong here, not in unit tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.explore import measure_explore  # noqa: E402
from bench.explore import report as report_explore  # noqa: E402
from bench.latency import measure_remote_runs  # noqa: E402
from bench.loopback import measure as measure_loopback  # noqa: E402
from bench.loopback import report as report_loopback  # noqa: E402
from bench.scenario_cost import scenario_cost  # noqa: E402
from bench.volume import measure_volume  # noqa: E402


def main() -> int:
    missed = _loopback()
    cost = scenario_cost()
    missed += cost > 10.0
    print(f"{'ok  ' if cost <= 10.0 else 'SLOW'} scenario cost in-process: {cost:.2f} ms (target < 10 ms)")
    missed += _volume()
    missed += _remote()
    print("\n".join(report_explore(measure_explore())))
    return 1 if missed else 0


def _loopback() -> int:
    """The suite in process (under 5 s) and over loopback against ``serve`` (at most 4x in
    process), side by side; the targets missed."""
    figures = measure_loopback()
    whole = figures.in_process.wall_s
    print(f"{'ok  ' if whole < 5.0 else 'SLOW'} suite in-process: {whole:.2f} s (target < 5 s)")
    print("\n".join(report_loopback(figures)))
    return (whole >= 5.0) + (not figures.met)


def _volume() -> int:
    """The reference engine at volume, side by side; the targets missed."""
    figures = measure_volume()
    for count, run in ((10_000, figures.small), (100_000, figures.large)):
        print(
            f"     bill run of {count:,} accounts: execute {run['execute']:.2f} s + cancel "
            f"{run['cancel']:.2f} s, peak {run['peak_mib']:.0f} MiB (arranging took {run['arrange']:.1f} s)"
        )
    small = figures.small["execute"] + figures.small["cancel"]
    large = figures.large["execute"] + figures.large["cancel"]
    order = figures.write_off["order"]
    checks = (
        (f"bill run of 100,000 accounts: {large:.2f} s", large <= 2.0, "target <= 2 s"),
        (f"10x the accounts took {large / small:.1f}x the time", large <= 12 * small, "target <= 12x"),
        (
            f"write-off order over 10,000 unpaid invoices: {order:.2f} s, "
            f"peak {figures.write_off['peak_mib']:.0f} MiB",
            order <= 1.0,
            "target <= 1 s",
        ),
        (
            f"bill-run look-ups: {figures.get_many:.0f}/s with 10,000 accounts, "
            f"{figures.get_one:.0f}/s with one",
            figures.get_many >= 0.8 * figures.get_one,
            "target: within 20%",
        ),
    )
    for text, met, target in checks:
        print(f"{'ok  ' if met else 'SLOW'} {text} ({target})")
    return sum(not met for _, met, _ in checks)


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
