"""Running the explorer: rounds of histories under Hypothesis until a rule breaks or the budget ends.

A round is one Hypothesis run of :data:`ROUND` histories with its own seed (derived from the
explore's seed), no example database, and every failure shrunk and reported on its own. The
budget is checked between rounds, so ``--histories N`` makes a run deterministic for a seed and
``--budget SECONDS`` bounds its time. The first round that breaks a rule ends the exploration.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from billing_conformance.explore.machine import Broken, Histories, machine_for
from steps.histories import Transition
from steps.targets import HarnessError, Target

__all__ = ["ROUND", "Exploration", "Finding", "explore"]

ROUND = 25


@dataclass(frozen=True)
class Finding:
    """A shrunk history that breaks ``rule`` at its last step."""

    rule: str
    message: str
    history: tuple[Transition, ...]


@dataclass
class Exploration:
    seed: int
    histories: int = 0
    steps: int = 0
    seconds: float = 0.0
    rounds: int = 0
    findings: list[Finding] = field(default_factory=list)
    #: a fault of the harness or the target (an exception, not a refusal): the exploration stopped
    errored: str | None = None


def _flatten(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _flatten(inner)]
    return [error]


def explore(
    target: Target,
    *,
    seed: int = 0,
    histories: int | None = None,
    budget: float | None = None,
    only: set[str] | None = None,
    max_steps: int = 14,
) -> Exploration:
    """Explore ``target`` until ``histories`` were tried or ``budget`` seconds passed (the first
    of the two; one round at least), or a rule broke."""
    done = Exploration(seed)
    started = time.perf_counter()
    counts = {"histories": 0}
    steps = [0]
    machine = machine_for(target, only, steps)

    def factory() -> Histories:
        counts["histories"] += 1
        return machine()

    while True:
        left = None if histories is None else histories - done.histories
        if left is not None and left <= 0:
            break
        if budget is not None and done.rounds and time.perf_counter() - started >= budget:
            break
        if histories is None and budget is None and done.rounds:
            break
        size = ROUND if left is None else min(ROUND, left)
        factory._hypothesis_internal_use_seed = seed * 100_003 + done.rounds  # type: ignore[attr-defined]
        before = counts["histories"]
        found = _round(factory, size, done, max_steps)
        done.rounds += 1
        done.histories += size if not found else counts["histories"] - before
        if found or done.errored:
            break
    done.steps = steps[0]
    done.seconds = time.perf_counter() - started
    return done


def _round(factory: object, size: int, done: Exploration, max_steps: int) -> bool:
    chosen = settings(
        max_examples=size,
        stateful_step_count=max_steps,
        deadline=None,
        database=None,
        derandomize=False,
        report_multiple_bugs=True,
        verbosity=Verbosity.quiet,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
        print_blob=False,
    )
    try:
        run_state_machine_as_test(factory, settings=chosen)  # type: ignore[arg-type]
    except (Broken, BaseExceptionGroup, HarnessError, Flaky) as error:
        for leaf in _flatten(error):
            if isinstance(leaf, Broken):
                done.findings.append(
                    Finding(leaf.violation.rule, leaf.violation.message, tuple(leaf.history))
                )
            elif done.errored is None:
                done.errored = f"{type(leaf).__name__}: {leaf}"
        return bool(done.findings)
    except Exception as error:  # any other fault is the harness's: errored, not a crash
        done.errored = f"{type(error).__name__}: {error}"
    return False
