"""``billing-conformance explore`` as the README starts it: histories and steps per second, in
process and over loopback against ``billing-conformance serve`` (started as the README starts it),
there serially and with ``--workers 2`` (a history per tenant).

Each side is the command itself, in another process, with a fixed seed and a budget in histories;
the figures are the ones it writes to ``explore.json``. No target: they are printed to compare
runs and machines (a history over HTTP costs a round trip for each look at the target).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loopback import ENV, ROOT, _command, serve_as_the_readme_does

__all__ = ["ExploreSide", "measure_explore"]

IN_PROCESS_HISTORIES = 1000
OVER_HTTP_HISTORIES = 100
#: the workers of the parallel side over loopback (this machine has two cores, shared with serve)
WORKERS = 2


@dataclass(frozen=True)
class ExploreSide:
    target: str
    workers: int
    histories: int
    steps: int
    seconds: float
    histories_per_second: float
    steps_per_second: float
    findings: int


def _explore(target: str, histories: int, workers: int = 0) -> ExploreSide:
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "explore"
        command = [_command(), "explore", "--target", target, "--histories", str(histories), "--seed", "1"]
        done = subprocess.run(
            [*command, "--workers", str(workers), "--results", str(results)],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode not in (0, 1):
            raise SystemExit(f"explore against {target} ended {done.returncode}: {done.stdout}{done.stderr}")
        data = json.loads((results / "explore.json").read_text(encoding="utf-8"))
    return ExploreSide(
        target,
        data["workers"],
        data["histories"],
        data["steps"],
        data["seconds"],
        data["historiesPerSecond"],
        data["stepsPerSecond"],
        len(data["findings"]),
    )


def measure_explore() -> tuple[ExploreSide, ...]:
    """Explore in process, then against one ``serve`` over loopback, serially and in workers."""
    in_process = _explore("inprocess", IN_PROCESS_HISTORIES)
    with serve_as_the_readme_does() as url:
        over_http = _explore(url, OVER_HTTP_HISTORIES)
        in_workers = _explore(url, OVER_HTTP_HISTORIES, WORKERS)
    return in_process, over_http, in_workers


def report(sides: tuple[ExploreSide, ...]) -> list[str]:
    return [
        f"     explore {'in process' if side.target == 'inprocess' else 'over loopback against serve'}"
        f"{f' in {side.workers} workers' if side.workers > 1 else ''}: "
        f"{side.histories} histories, {side.steps} steps in {side.seconds:.1f} s "
        f"({side.histories_per_second:g} histories/s, {side.steps_per_second:g} steps/s, "
        f"{side.findings} findings)"
        for side in sides
    ]


if __name__ == "__main__":
    print("\n".join(report(measure_explore())))
