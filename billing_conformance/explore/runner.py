"""Running the explorer: rounds of histories under Hypothesis until a rule breaks or the budget ends.

A round is one Hypothesis run of :data:`ROUND` histories with its own seed (derived from the
explore's seed and the round's number), no example database, and every failure shrunk and
reported on its own. Round ``n`` holds the histories ``n * ROUND`` on, so ``--histories N`` names
the same rounds, hence the same histories, for a seed, however many processes play them
(:mod:`.parallel`). The budget is checked between rounds, so ``--budget SECONDS`` bounds the time.
The first round (in number order) that breaks a rule or errors is the exploration's answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from billing_conformance.explore.machine import Broken, Histories, machine_for
from steps.histories import Transition
from steps.targets import HarnessError, Target

__all__ = ["ROUND", "Exploration", "Finding", "Round", "close_target", "combine", "explore", "play_rounds"]

ROUND = 25


@dataclass(frozen=True)
class Finding:
    """A shrunk history that breaks ``rule`` at its last step."""

    rule: str
    message: str
    history: tuple[Transition, ...]


@dataclass
class Round:
    """What one round of histories came to."""

    index: int
    histories: int = 0
    steps: int = 0
    findings: list[Finding] = field(default_factory=list)
    errored: str | None = None

    @property
    def ends(self) -> bool:
        """Whether the exploration stops here: a rule broke, or the harness or the target failed."""
        return bool(self.findings) or self.errored is not None


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
    #: how many processes played the rounds (1: this one)
    workers: int = 1


def _flatten(error: BaseException) -> list[BaseException]:
    """The failures ``error`` holds; a flaky one (Hypothesis's group of a failure it could not
    reproduce) stays whole: what it saw is no finding."""
    if isinstance(error, BaseExceptionGroup) and not isinstance(error, Flaky):
        return [leaf for inner in error.exceptions for leaf in _flatten(inner)]
    return [error]


def take(error: BaseException, played: Round) -> None:
    """What a round's failure says: each rule broken is a finding; a fault of the harness or the
    target, or a failure Hypothesis could not reproduce, errors the round."""
    for leaf in _flatten(error):
        if isinstance(leaf, Flaky) and played.errored is None:
            played.errored = _flaky(leaf)
        elif isinstance(leaf, Broken):
            played.findings.append(Finding(leaf.violation.rule, leaf.violation.message, tuple(leaf.history)))
        elif played.errored is None:
            played.errored = f"{type(leaf).__name__}: {leaf}"


def _flaky(error: BaseException) -> str:
    """Seen once, not again on the same history: nothing the target does can be stated, so the
    round is errored, never a rule broken. The fault behind it is named when Hypothesis kept it
    (a failing target, say, that answered the second time)."""
    inner = list(error.exceptions) if isinstance(error, BaseExceptionGroup) else []
    seen = sorted({leaf.violation.rule for leaf in inner if isinstance(leaf, Broken)})
    if seen:
        return (
            f"a history broke {', '.join(seen)} once and not when played again (the target, or the "
            f"harness, answered differently): {type(error).__name__}"
        )
    cause = next((leaf for leaf in [*inner, error.__cause__, error.__context__] if leaf is not None), None)
    behind = f"; first: {type(cause).__name__}: {cause}" if cause is not None else ""
    return f"a history went differently when played again ({type(error).__name__}){behind}"


def close_target(target: object) -> None:
    """Delete every tenant the target made and still holds (an HTTP target; others have none)."""
    close = getattr(target, "close", None)
    if callable(close):
        close()


def round_size(index: int, histories: int | None) -> int:
    """How many histories round ``index`` holds (0: past the ``histories`` asked for)."""
    if histories is None:
        return ROUND
    return max(0, min(ROUND, histories - index * ROUND))


def play_rounds(
    target: Target,
    *,
    seed: int,
    histories: int | None,
    budget: float | None,
    only: set[str] | None,
    max_steps: int,
    first: int = 0,
    every: int = 1,
    skip: Callable[[int], bool] | None = None,
) -> list[Round]:
    """Play rounds ``first``, ``first + every``, ... against ``target`` until one ends the
    exploration, the histories asked for are all played, the budget is spent (one round at
    least), or ``skip`` says an earlier round already ended it (another process found first)."""
    started = time.perf_counter()
    counts = {"histories": 0}
    steps = [0]
    machine = machine_for(target, only, steps)

    def factory() -> Histories:
        counts["histories"] += 1
        return machine()

    played: list[Round] = []
    index = first
    while True:
        size = round_size(index, histories)
        if size == 0 or (skip is not None and skip(index)):
            break
        if played and histories is None and budget is None:
            break  # neither histories nor a budget: one round
        if played and budget is not None and time.perf_counter() - started >= budget:
            break
        factory._hypothesis_internal_use_seed = seed * 100_003 + index  # type: ignore[attr-defined]
        before, steps_before = counts["histories"], steps[0]
        played_round = Round(index)
        _round(factory, size, played_round, max_steps)
        # A round that ended early counts what it played (shrinking included), not its size.
        played_round.histories = counts["histories"] - before if played_round.ends else size
        played_round.steps = steps[0] - steps_before
        played.append(played_round)
        if played_round.ends:
            break
        index += every
    return played


def combine(seed: int, rounds: list[Round], seconds: float, workers: int = 1) -> Exploration:
    """The exploration the rounds make: everything played is counted; the answer is the first
    round, in number order, that ended it."""
    done = Exploration(seed, seconds=seconds, workers=workers)
    ordered = sorted(rounds, key=lambda played: played.index)
    for played in ordered:
        done.rounds += 1
        done.histories += played.histories
        done.steps += played.steps
    answer = next((played for played in ordered if played.ends), None)
    if answer is not None:
        done.findings, done.errored = list(answer.findings), answer.errored
    return done


def explore(
    target: Target,
    *,
    seed: int = 0,
    histories: int | None = None,
    budget: float | None = None,
    only: set[str] | None = None,
    max_steps: int = 14,
) -> Exploration:
    """Explore ``target`` in this process until ``histories`` were tried or ``budget`` seconds
    passed (the first of the two; one round at least), or a rule broke."""
    started = time.perf_counter()
    rounds = play_rounds(
        target, seed=seed, histories=histories, budget=budget, only=only, max_steps=max_steps
    )
    return combine(seed, rounds, time.perf_counter() - started)


def _round(factory: object, size: int, played: Round, max_steps: int) -> None:
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
        take(error, played)
    except Exception as error:  # any other fault is the harness's: errored, not a crash
        played.errored = f"{type(error).__name__}: {error}"
