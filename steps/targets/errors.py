"""Exceptions of the harness: faults that are not a target's business answer.

Stage by stage: choosing a target (``--target``) raises :class:`TargetSpecError`; arranging a
scenario (a ``Given`` the target refused) raises :class:`ArrangementError`. A refusal in a
``When`` is not an exception: it is a :class:`~steps.targets.protocol.Refused` value that the
``Then`` steps judge.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ArrangementError", "HarnessError", "TargetSpecError"]


class HarnessError(Exception):
    """Base of every fault of the kit or of its connection to a target."""


@dataclass(frozen=True)
class TargetSpecError(HarnessError):
    spec: str
    reason: str

    def __str__(self) -> str:
        return f"cannot use target {self.spec!r}: {self.reason}"


@dataclass(frozen=True)
class ArrangementError(HarnessError):
    """A scenario could not be set up because the target refused a preparatory operation."""

    operation: str
    message: str

    def __str__(self) -> str:
        return f"could not arrange the scenario: {self.operation} was refused: {self.message}"
