"""Explorations in the living documentation: what ``billing-conformance explore`` tried against
each target (histories, steps, the rules judged after every step, the seed), its headline with
its denominator, and each counterexample with its rule, its message, its steps in the kit's
sentences and how its re-run ended on the target and on the reference.

The views are read from ``explore.json`` files already checked against
``schemas/explore-results.schema.json``; the page and the Markdown render the same views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["ExplorationView", "FindingView", "exploration_views"]


@dataclass(frozen=True)
class FindingView:
    rule: str
    message: str
    steps: tuple[str, ...]
    #: (side, verdict) of the counterexample's re-run: ("target", "broken"), ("reference", "holds")
    rerun: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ExplorationView:
    target: str
    started: str
    seed: int
    histories: int
    steps: int
    rules: int
    workers: int
    seconds: float
    errored: str | None
    findings: tuple[FindingView, ...]

    @property
    def verdict(self) -> str:
        """``broken`` when a rule broke, ``errored`` when the exploration could not judge, else
        ``holds``: only of the histories tried, never of the target as a whole."""
        if self.findings:
            return "broken"
        return "errored" if self.errored else "holds"

    @property
    def headline(self) -> str:
        tried = (
            f"{self.histories} histories, {self.steps} steps, {self.rules} MUST rules judged after every "
            f"step (seed {self.seed}{f', {self.workers} workers' if self.workers > 1 else ''})"
        )
        if self.findings:
            broken = sorted({finding.rule for finding in self.findings})
            return f"{tried}: {len(broken)} of {self.rules} rules broken ({', '.join(broken)})"
        if self.errored:
            return f"{tried}: errored, nothing judged of the rest"
        return f"{tried}: nothing broke in the histories tried"


def exploration_views(explorations: Sequence[dict[str, Any]]) -> list[ExplorationView]:
    """One view per ``explore.json``, in the order given."""
    return [
        ExplorationView(
            target=str(data["target"]),
            started=str(data["startedAt"]),
            seed=int(data["seed"]),
            histories=int(data["histories"]),
            steps=int(data["steps"]),
            rules=len(data["properties"]),
            workers=int(data.get("workers", 1)),
            seconds=float(data["seconds"]),
            errored=data.get("errored"),
            findings=tuple(
                FindingView(
                    str(finding["rule"]),
                    str(finding["message"]),
                    tuple(str(step) for step in finding["steps"]),
                    tuple((str(side), str(verdict)) for side, verdict in finding["rerun"].items()),
                )
                for finding in data["findings"]
            ),
        )
        for data in explorations
    ]
