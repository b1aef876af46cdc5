"""Exploring with ``--workers N``: the rounds of :mod:`.runner` shared among N processes.

Worker ``w`` plays rounds ``w``, ``w + N``, ``w + 2N``, ... against a target of its own, opened
from the same spec in its own process (each history on a tenant of its own, so they never meet).
A worker whose round ends the exploration (a rule broke, or a fault) writes that round's number
where every worker sees it, and no worker starts a later round after that. The answer is the
first round in number order that ended it, so a seed and ``--histories`` give the same finding
with any number of workers; what each worker played beyond it is still counted.
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

from billing_conformance.explore.runner import Exploration, Round, close_target, combine, play_rounds
from steps.targets import open_target

__all__ = ["Plan", "explore_in_parallel"]

#: No round ended the exploration yet.
_NONE = 2**62
_first_end: Synchronized[int] | None = None


@dataclass(frozen=True)
class Plan:
    """What every worker needs to open the target and play its share of the rounds."""

    spec: str
    profile: Path | None
    allow_production: bool
    seed: int
    histories: int | None
    budget: float | None
    only: frozenset[str] | None
    max_steps: int
    workers: int
    #: the control plan the parent process decided (``plan_as_wire``), for an HTTP target
    control_plan: dict[str, Any] | None = None


def _share(first_end: Synchronized[int]) -> None:
    global _first_end  # noqa: PLW0603 - the one value a pool hands each worker at its start
    _first_end = first_end


def _skip(index: int) -> bool:
    return _first_end is not None and _first_end.value < index


def _play(plan: Plan, worker: int) -> list[Round]:
    target = open_target(plan.spec, plan.profile, allow_production=plan.allow_production)
    adopt = getattr(target, "adopt_plan", None)
    if plan.control_plan is not None and callable(adopt):
        adopt(plan.control_plan)  # decided once, before any worker started
    try:
        played = play_rounds(
            target,
            seed=plan.seed,
            histories=plan.histories,
            budget=plan.budget,
            only=set(plan.only) if plan.only is not None else None,
            max_steps=plan.max_steps,
            first=worker,
            every=plan.workers,
            skip=_skip,
        )
    finally:
        close_target(target)
    ended = [played_round.index for played_round in played if played_round.ends]
    if ended and _first_end is not None:
        with _first_end.get_lock():
            _first_end.value = min(_first_end.value, *ended)
    return played


def explore_in_parallel(plan: Plan) -> Exploration:
    """Play the plan's rounds in ``plan.workers`` processes and combine what they found."""
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")  # no fork of a process with threads running
    first_end: Synchronized[int] = context.Value("q", _NONE)
    with ProcessPoolExecutor(
        max_workers=plan.workers, mp_context=context, initializer=_share, initargs=(first_end,)
    ) as pool:
        shares = [pool.submit(_play, plan, worker) for worker in range(plan.workers)]
        rounds = [played for share in shares for played in share.result()]
    return combine(plan.seed, rounds, time.perf_counter() - started, plan.workers)
