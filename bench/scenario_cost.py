"""What one scenario costs when the suite runs in-process, beside the floor of pytest-bdd itself.

A scenario's cost is the wall time from the end of collection to the end of the last scenario's
report (fixture set-up, the steps and their look-up, teardown, the kit's hooks and pytest's own
reporting), divided by the number of scenarios. It is measured inside the pytest process, by this
module loaded as a plugin (``-p bench.scenario_cost``), so that start-up (interpreter, imports,
plugins, opening the target), collection and the end of the session (summary, results folder) are
reported apart rather than spread over the scenarios.

* The suite runs as ``billing-conformance run`` runs it (the kit's plugins only, a results folder
  written to a temporary directory), in the environment as given, :data:`RUNS` times; the median
  counts. Start-up is also measured with Python's bytecode cache (a private
  ``PYTHONPYCACHEPREFIX``, warmed by one run first), since ``PYTHONDONTWRITEBYTECODE=1``, common in
  CI and sandboxes, makes every start-up compile the kit again.
* The floor: the same measure for :data:`FLOOR_SCENARIOS` scenarios (one Scenario Outline) whose
  Given, When and Then do nothing, with pytest and pytest-bdd alone, in a temporary folder.

Target: at most :data:`TARGET_MS` ms a scenario. ``python bench/scenario_cost.py`` prints the
figures and exits 1 when the target is missed; ``bench/run.py`` runs it among the other measures.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 10.0
RUNS = 3
FLOOR_SCENARIOS = 100
_STAMPS = "BENCH_SCENARIO_COST_STAMPS"  # where the plugin writes its timings (JSON)
_PLUGIN = "bench.scenario_cost"

# -- the plugin: loaded into the measured pytest process with -p bench.scenario_cost ------------

_seen: dict[str, float] = {}


def pytest_sessionstart() -> None:
    _seen["session"] = time.time()  # compared with the parent's clock: start-up
    _seen["scenarios"] = 0


def pytest_collection_finish() -> None:
    _seen["collected_wall"] = time.time()
    _seen["collected"] = time.perf_counter()


def pytest_runtest_logfinish() -> None:
    _seen["last"] = time.perf_counter()
    _seen["scenarios"] += 1


def pytest_unconfigure() -> None:
    out = os.environ.get(_STAMPS)
    if out and "last" in _seen:
        _seen["done"] = time.time()
        Path(out).write_text(json.dumps(_seen), encoding="utf-8")


# -- the measure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    scenarios: int
    per_scenario_ms: float
    startup_s: float  # process start to the session's start: interpreter, imports, plugins, target
    collection_s: float
    finish_s: float  # last scenario to process exit: summary, results folder, interpreter exit


def measured(command: list[str], env: dict[str, str], cwd: Path) -> Run:
    """One run of ``command`` with this module as its plugin: where its time went."""
    with tempfile.TemporaryDirectory() as folder:
        stamps = Path(folder) / "stamps.json"
        started = time.time()
        done = subprocess.run(
            command, cwd=cwd, env={**env, _STAMPS: str(stamps)}, capture_output=True, text=True, check=False
        )
        ended = time.time()
        if done.returncode != 0 or not stamps.exists():
            raise SystemExit(f"the measured run failed ({done.returncode}): {done.stdout[-1500:]}")
        seen = json.loads(stamps.read_text(encoding="utf-8"))
    count = int(seen["scenarios"])
    run_phase = seen["last"] - seen["collected"]
    return Run(
        scenarios=count,
        per_scenario_ms=1000 * run_phase / count,
        startup_s=seen["session"] - started,
        collection_s=seen["collected_wall"] - seen["session"],
        finish_s=ended - (seen["collected_wall"] + run_phase),
    )


def _suite_run(env: dict[str, str]) -> Run:
    with tempfile.TemporaryDirectory() as results:
        command = [sys.executable, "-m", "billing_conformance.cli", "run", "--results", results]
        return measured([*command, "--", "-p", _PLUGIN], env, ROOT)


_FLOOR_STEPS = """\
from pytest_bdd import given, scenarios, then, when

scenarios("floor.feature")


@given("nothing")
def _() -> None:
    pass


@when("nothing happens")
def _() -> None:
    pass


@then("nothing has happened")
def _() -> None:
    pass
"""


def _floor_run(folder: Path, env: dict[str, str]) -> Run:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "pytest_bdd.plugin"]
    floor_env = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONPATH": str(ROOT)}
    return measured([*command, "-p", _PLUGIN, str(folder)], floor_env, folder)


def _write_floor(folder: Path, scenarios: int) -> None:
    examples = "\n".join(f"      | {n} |" for n in range(1, scenarios + 1))
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # the root: no project config
    (folder / "floor.feature").write_text(
        "Feature: The floor\n"
        "  Scenario Outline: Nothing happens, time <n>\n"
        "    Given nothing\n    When nothing happens\n    Then nothing has happened\n\n"
        f"    Examples:\n      | n |\n{examples}\n",
        encoding="utf-8",
    )
    (folder / "test_floor.py").write_text(_FLOOR_STEPS, encoding="utf-8")


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(float(getattr(run, field)) for run in runs)


@dataclass(frozen=True)
class ScenarioCost:
    suite: list[Run]  # in the environment as given
    cached_startup_s: float  # start-up with Python's bytecode cache, warm
    floor: list[Run]

    @property
    def per_scenario_ms(self) -> float:
        return _median(self.suite, "per_scenario_ms")

    @property
    def floor_ms(self) -> float:
        return _median(self.floor, "per_scenario_ms")

    @property
    def met(self) -> bool:
        return self.per_scenario_ms <= TARGET_MS


def measure(runs: int = RUNS) -> ScenarioCost:
    env = dict(os.environ)
    suite = [_suite_run(env) for _ in range(runs)]
    with tempfile.TemporaryDirectory() as cache:
        cached_env = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached_env["PYTHONPYCACHEPREFIX"] = cache
        _suite_run(cached_env)  # warms the cache
        cached = _suite_run(cached_env)
    with tempfile.TemporaryDirectory() as folder:
        _write_floor(Path(folder), FLOOR_SCENARIOS)
        floor = [_floor_run(Path(folder), env) for _ in range(runs)]
    return ScenarioCost(suite, cached.startup_s, floor)


def report(cost: ScenarioCost) -> list[str]:
    """The lines that describe ``cost``, the verdict first."""
    suite, floor = cost.suite, cost.floor
    given = os.environ.get("PYTHONDONTWRITEBYTECODE") or "unset"
    startup, collection, finish = (_median(suite, name) for name in ("startup_s", "collection_s", "finish_s"))
    return [
        f"{'ok  ' if cost.met else 'SLOW'} scenario cost in-process: {cost.per_scenario_ms:.2f} ms "
        f"a scenario, {suite[0].scenarios} scenarios, median of {len(suite)} (target <= {TARGET_MS:g} ms)",
        f"     pytest-bdd floor, a Given/When/Then that do nothing: {cost.floor_ms:.2f} ms a scenario "
        f"({floor[0].scenarios} scenarios)",
        f"     suite start-up {startup:.2f} s (PYTHONDONTWRITEBYTECODE={given}; "
        f"{cost.cached_startup_s:.2f} s with a warm bytecode cache), collection {collection:.2f} s, "
        f"summary and results {finish:.2f} s",
    ]


def scenario_cost() -> float:
    """For ``bench/run.py``: prints the floor and start-up, returns the ms a scenario."""
    cost = measure()
    for line in report(cost)[1:]:
        print(line)
    return cost.per_scenario_ms


def main() -> int:
    cost = measure()
    print("\n".join(report(cost)))
    return 0 if cost.met else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
