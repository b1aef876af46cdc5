"""The suite against ``billing-conformance serve`` over loopback, serially, beside the suite in
process: what a user pays for running the catalog over HTTP rather than in one process.

The server is started as the README starts it (:func:`serve_as_the_readme_does`: the
``billing-conformance`` command beside this interpreter, ``serve --port P``, in another
process), and both runs are ``billing-conformance run --workers 0`` with the scenario-cost
plugin loaded (:mod:`scenario_cost`), so that what is compared is the scenarios' own time, from
the end of collection to the last scenario's report, start-up and the results folder apart.
Each side runs :data:`RUNS` times; the medians count.

Target: the loopback run at most :data:`TARGET_RATIO` times the in-process one.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scenario_cost import Run, measured  # noqa: E402

TARGET_RATIO = 4.0
RUNS = 3
#: The runs measured see Python's default bytecode cache, as on a user's machine, even where the
#: environment turns it off (PYTHONDONTWRITEBYTECODE, common in CI); ``bench`` is importable for
#: the plugin whichever way the command is started.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}
_PLUGIN = ("--", "-p", "bench.scenario_cost")


def _command() -> str:
    """``billing-conformance`` as the venv installs it (README: ``.venv/bin/billing-conformance``)."""
    return str(Path(sys.executable).with_name("billing-conformance"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve_as_the_readme_does() -> Iterator[str]:
    """``billing-conformance serve --port P`` in another process on a free loopback port; its URL
    once it says it is serving (it binds its port before saying so)."""
    port = _free_port()
    server = subprocess.Popen(
        [_command(), "serve", "--port", str(port)],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("serving "):
            raise SystemExit(f"billing-conformance serve --port {port} did not start: {line!r}")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=30)


@dataclass(frozen=True)
class Side:
    runs: list[Run]
    walls: list[float]  # the whole command, start-up and results folder included
    requests: list[int]  # the requests the scenarios' evidence records (the summary's total)

    @property
    def scenarios_s(self) -> float:
        return statistics.median(run.per_scenario_ms * run.scenarios / 1000 for run in self.runs)

    @property
    def wall_s(self) -> float:
        return statistics.median(self.walls)

    @property
    def requests_made(self) -> int:
        return int(statistics.median(self.requests)) if self.requests else 0


@dataclass(frozen=True)
class Loopback:
    in_process: Side
    loopback: Side

    @property
    def ratio(self) -> float:
        return self.loopback.scenarios_s / self.in_process.scenarios_s

    @property
    def whole_ratio(self) -> float:
        return self.loopback.wall_s / self.in_process.wall_s

    @property
    def per_request_ms(self) -> float:
        """What each request recorded over loopback costs beyond the in-process run's scenarios."""
        made = self.loopback.requests_made
        return 1000 * (self.loopback.scenarios_s - self.in_process.scenarios_s) / made if made else 0.0

    @property
    def met(self) -> bool:
        return self.ratio <= TARGET_RATIO


def _side(target: str | None, runs: int) -> Side:
    measured_runs: list[Run] = []
    walls: list[float] = []
    requests: list[int] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as results:
            command = [_command(), "run", "--workers", "0", "--results", results]
            if target:
                command += ["--target", target]
            started = time.perf_counter()
            measured_runs.append(measured([*command, *_PLUGIN], ENV, ROOT))
            walls.append(time.perf_counter() - started)
            requests.append(_requests(Path(results)))
    return Side(measured_runs, walls, requests)


def _requests(results: Path) -> int:
    """The requests the run's scenarios recorded, as its conformance.json counts them (0 for
    the in-process target, which records none)."""
    try:
        summary = json.loads((results / "conformance.json").read_text(encoding="utf-8"))["summary"]
        return int(summary.get("requests", {}).get("total") or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def measure(runs: int = RUNS) -> Loopback:
    """The suite in process and against one ``serve`` over loopback, ``runs`` times each."""
    in_process = _side(None, runs)
    with serve_as_the_readme_does() as url:
        loopback = _side(url, runs)
    return Loopback(in_process, loopback)


def report(figures: Loopback) -> list[str]:
    """The lines that describe ``figures``, the verdict first."""
    near, far = figures.in_process, figures.loopback
    return [
        f"{'ok  ' if figures.met else 'SLOW'} suite over loopback against serve, serial: "
        f"{far.scenarios_s:.2f} s, {figures.ratio:.1f}x the {near.scenarios_s:.2f} s in process "
        f"(scenarios only, median of {len(far.runs)}; target <= {TARGET_RATIO:g}x)",
        f"     whole commands: {far.wall_s:.2f} s over loopback, {near.wall_s:.2f} s in process "
        f"({figures.whole_ratio:.1f}x; start-up and the results folder included, not judged)",
        f"     over loopback each of the {far.requests_made:,} requests recorded cost "
        f"{figures.per_request_ms:.2f} ms beyond the in-process scenarios",
    ]


def main() -> int:
    figures = measure()
    print("\n".join(report(figures)))
    return 0 if figures.met else 1


if __name__ == "__main__":
    sys.exit(main())
